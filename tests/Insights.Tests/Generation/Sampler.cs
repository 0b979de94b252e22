namespace Billing.Insights.Tests.Generation;

/// <summary>Seeded draws from the distributions traffic follows; the same seed gives the same stream.</summary>
public sealed class Sampler(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Uniform in [0, 1).</summary>
    public double Uniform() => _random.NextDouble();

    /// <summary>Uniform integer in [0, max).</summary>
    public int Next(int max) => _random.Next(max);

    /// <summary>A standard normal (Box–Muller).</summary>
    public double Normal() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    /// <summary>Poisson(mean): Knuth's product for small means, a rounded normal for large ones.</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 30)
        {
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * Normal()));
        }

        var limit = Math.Exp(-mean);
        var product = _random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= _random.NextDouble();
        }

        return count;
    }

    /// <summary>Gamma(shape, 1/shape): mean 1, variance 1/shape (Marsaglia–Tsang). Multiplies a rate for over-dispersion.</summary>
    public double GammaMeanOne(double shape)
    {
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal();
                v = 1 + c * x;
            }
            while (v <= 0);

            v = v * v * v;
            var u = _random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v))
            {
                return d * v / shape;
            }
        }
    }

    /// <summary>Binomial(n, p) by n Bernoulli draws (n is small here).</summary>
    public int Binomial(int n, double p)
    {
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            count += _random.NextDouble() < p ? 1 : 0;
        }

        return count;
    }
}
