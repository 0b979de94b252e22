using System.Globalization;

namespace Billing.Bench.LoadGenerator.Measurement;

/// <summary>
/// CPU seconds the whole machine spent busy (<c>/proc/stat</c>), so that what the measured processes did not use
/// shows up as "others": a build or test run of someone else on the same cores skews every number here.
/// </summary>
internal static class MachineCpu
{
    private const double TicksPerSecond = 100;

    /// <summary>Busy CPU seconds since boot (user, nice, system, irq, softirq, steal), or null off Linux.</summary>
    public static double? BusySeconds()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal …
            long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
