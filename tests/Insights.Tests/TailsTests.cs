namespace Billing.Insights.Tests;

public sealed class TailsTests
{
    // Reference values from mpmath at 40 digits (regularized incomplete gamma / exact binomial sums).
    [Theory]
    [InlineData(10, 1, 1.1142547833872068e-7)]
    [InlineData(3, 0.01, 1.6542165280748769e-7)]
    [InlineData(50, 20, 1.2458926079719379e-8)]
    [InlineData(1000, 800, 5.5014197761792281e-12)]
    [InlineData(3, 2, 0.32332358381693654)]
    [InlineData(100000, 99000, 7.5741992117476797e-4)]
    public void Poisson_upper_tail_matches_reference_values(double k, double mean, double expected)
    {
        var actual = Tails.PoissonUpper(k, mean);
        Assert.Equal(1, actual / expected, 1e-9);
    }

    [Fact]
    public void Poisson_tail_far_below_double_range_stays_finite_in_logs()
    {
        // P(X ≥ 200 | μ = 1.5) = 4.711665863927975e-341: below double's range, exact in logs.
        Assert.Equal(-783.6314751788647, Tails.LogPoissonUpper(200, 1.5), 1e-9);
        Assert.Equal(0, Tails.PoissonUpper(200, 1.5));
    }

    [Theory]
    [InlineData(12, 40, 0.05, 3.6526699188961211e-7)]
    [InlineData(5000, 10000, 0.45, 6.5230537654153776e-24)]
    [InlineData(3, 10, 0.5, 0.9453125)]
    [InlineData(60, 400, 0.05, 4.9231905932050145e-14)]
    [InlineData(30, 2000, 0.001, 4.8395586408131813e-25)]
    public void Binomial_upper_tail_matches_reference_values(long k, long n, double p, double expected)
    {
        var actual = Tails.BinomialUpper(k, n, p);
        Assert.Equal(1, actual / expected, 1e-9);
    }

    [Fact]
    public void Binomial_tail_of_a_huge_surge_is_exact_in_logs()
    {
        // ln P(X ≥ 200 | n = 220, p = 0.05) = ln 2.6693711659363684e-233.
        Assert.Equal(Math.Log(2.6693711659363684e-233), Tails.LogBinomialUpper(200, 220, 0.05), 1e-8);
    }

    [Theory]
    [InlineData(1, 2, 0.5, 0.75)]
    [InlineData(3, 0.5, 0.1, 3.2497467927108372e-4)]
    public void Negative_binomial_upper_tail_matches_reference_values(double k, double r, double q, double expected)
    {
        Assert.Equal(1, Tails.NegativeBinomialUpper(k, r, q) / expected, 1e-9);
    }

    [Fact]
    public void Edges_are_certain_or_impossible()
    {
        Assert.Equal(1, Tails.PoissonUpper(0, 3));
        Assert.Equal(0, Tails.PoissonUpper(1, 0));
        Assert.Equal(1, Tails.BinomialUpper(0, 10, 0.3));
        Assert.Equal(0, Tails.BinomialUpper(11, 10, 0.3));
        Assert.Equal(0, Tails.BinomialUpper(1, 10, 0));
        Assert.Equal(1, Tails.BinomialUpper(10, 10, 1));
    }
}
