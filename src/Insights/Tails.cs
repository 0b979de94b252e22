namespace Billing.Insights;

/// <summary>
/// Upper tails of the Poisson and binomial distributions, computed in log space through the regularized incomplete
/// gamma and beta functions (Numerical Recipes' series and continued fractions), so p-values stay accurate far below
/// 1e-12 and for counts in the millions: summing terms in double would underflow or cancel long before.
/// </summary>
internal static class Tails
{
    // Enough for counts near their mean in the millions (the series needs about √count terms there).
    private const int MaxIterations = 1_000_000;
    private const double Epsilon = 1e-15;
    private const double Tiny = 1e-300;

    /// <summary>P(X ≥ k) for X ~ Poisson(mean); k may be fractional (a count divided by an over-dispersion factor).</summary>
    public static double PoissonUpper(double k, double mean) => Math.Exp(LogPoissonUpper(k, mean));

    /// <summary>ln P(X ≥ k) for X ~ Poisson(mean): the regularized lower incomplete gamma P(k, mean).</summary>
    public static double LogPoissonUpper(double k, double mean)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mean);
        if (k <= 0)
        {
            return 0;
        }

        if (mean == 0)
        {
            return double.NegativeInfinity;
        }

        return LogLowerGammaRegularized(k, mean);
    }

    /// <summary>P(X ≥ k) for X ~ Binomial(n, p).</summary>
    public static double BinomialUpper(long k, long n, double p) => Math.Exp(LogBinomialUpper(k, n, p));

    /// <summary>ln P(X ≥ k) for X ~ Binomial(n, p): the regularized incomplete beta I_p(k, n − k + 1).</summary>
    public static double LogBinomialUpper(long k, long n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (p is < 0 or > 1 || double.IsNaN(p))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "a probability is between 0 and 1");
        }

        if (k <= 0)
        {
            return 0;
        }

        if (k > n || p == 0)
        {
            return double.NegativeInfinity;
        }

        return p == 1 ? 0 : LogBetaRegularized(k, n - k + 1, p);
    }

    /// <summary>
    /// P(X ≥ k) for X ~ NegativeBinomial(r, 1 − q): the count of a Poisson whose rate is itself uncertain (a
    /// Gamma(r) posterior), with q = window / (observed hours + window). The regularized incomplete beta I_q(k, r).
    /// </summary>
    public static double NegativeBinomialUpper(double k, double r, double q)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(r);
        if (k <= 0)
        {
            return 1;
        }

        return q <= 0 ? 0 : Math.Exp(LogBetaRegularized(k, r, q));
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, 9 terms: about 15 significant digits).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection keeps the approximation in its accurate range.
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = LanczosCoefficients[0];
        var t = x + 7.5;
        for (var i = 1; i < LanczosCoefficients.Length; i++)
        {
            sum += LanczosCoefficients[i] / (x + i);
        }

        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    private static readonly double[] LanczosCoefficients =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    private static double LogLowerGammaRegularized(double a, double x)
    {
        if (x < a + 1)
        {
            // Series: P(a, x) = e^{-x} x^a / Γ(a + 1) · Σ x^n / ((a + 1)…(a + n)).
            var term = 1.0;
            var sum = 1.0;
            for (var n = 1; n < MaxIterations; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (term < sum * Epsilon)
                {
                    break;
                }
            }

            return -x + a * Math.Log(x) - LogGamma(a + 1) + Math.Log(sum);
        }

        // Here P is not small (x ≥ a + 1 puts the mean at or above the count): 1 − Q loses nothing that matters.
        var q = Math.Exp(LogUpperGammaContinuedFraction(a, x));
        return Math.Log(Math.Max(1 - q, Tiny));
    }

    private static double LogUpperGammaContinuedFraction(double a, double x)
    {
        // Lentz's method for Q(a, x) = e^{-x} x^a / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − …)).
        var b = x + 1 - a;
        var c = 1 / Tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < MaxIterations; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = b + an / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return -x + a * Math.Log(x) - LogGamma(a) + Math.Log(h);
    }

    private static double LogBetaRegularized(double a, double b, double x)
    {
        var logFront = a * Math.Log(x) + b * Math.Log(1 - x) - (LogGamma(a) + LogGamma(b) - LogGamma(a + b));
        if (x < (a + 1) / (a + b + 2))
        {
            // The tail is small here: compute it directly, in logs.
            return logFront + Math.Log(BetaContinuedFraction(a, b, x)) - Math.Log(a);
        }

        // The tail is large here (x at or past the mean): by symmetry, 1 − I_{1−x}(b, a).
        var complement = Math.Exp(logFront + Math.Log(BetaContinuedFraction(b, a, 1 - x)) - Math.Log(b));
        return Math.Log(Math.Max(1 - complement, Tiny));
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        var qab = a + b;
        var qap = a + 1;
        var qam = a - 1;
        var c = 1.0;
        var d = 1 - qab * x / qap;
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        var h = d;
        for (var m = 1; m < MaxIterations; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + aa / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + aa / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return h;
    }
}
