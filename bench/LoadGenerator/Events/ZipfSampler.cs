namespace Billing.Bench.LoadGenerator.Events;

/// <summary>
/// Picks customer indexes with a Zipf-like skew: index k is chosen with weight 1/(k+1)^s. With s = 1 and 10,000
/// customers the busiest customer gets ≈10% of the events, the top 100 ≈ 53%: a few hot grains, a long cold tail.
/// </summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cumulative;

    public ZipfSampler(int count, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _cumulative = new double[count];
        var total = 0.0;
        for (var k = 0; k < count; k++)
        {
            total += 1.0 / Math.Pow(k + 1, exponent);
            _cumulative[k] = total;
        }
    }

    /// <summary>The next index, in [0, count).</summary>
    public int Next(Random random)
    {
        var target = random.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, target);
        return Math.Min(index >= 0 ? index : ~index, _cumulative.Length - 1);
    }
}
