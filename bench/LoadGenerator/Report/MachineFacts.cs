using System.Runtime.InteropServices;

namespace Billing.Bench.LoadGenerator.Report;

/// <summary>The machine the numbers come from: they mean little without it.</summary>
internal sealed record MachineFacts(int Processors, string CpuModel, double MemoryGigabytes, string Os, string Runtime,
    string RuntimeSettings, string LoadAverageAtStart, string Caveat)
{
    // Runtime knobs that change how fast code warms up or collects garbage: bench/run.sh exports the same ones to
    // every process it starts, and a result means little without them.
    private static readonly string[] RuntimeKnobPrefixes = ["DOTNET_TC_", "DOTNET_Tiered", "DOTNET_ReadyToRun", "DOTNET_OSR", "DOTNET_gc"];

    public static MachineFacts Collect() => new(
        Environment.ProcessorCount,
        ProcLine("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Math.Round(MemoryKilobytes() / 1024.0 / 1024.0, 1),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        RuntimeKnobs(),
        LoadAverage(),
        "Load generator, product, baseline and PostgreSQL share this machine's cores. PostgreSQL runs with fsync on; " +
        "this disk flushes ≈8k fsync/s, cloud disks are often far slower, and write throughput falls with them.");

    private static string RuntimeKnobs()
    {
        var knobs = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => RuntimeKnobPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal)
            .Select(name => $"{name}={Environment.GetEnvironmentVariable(name)}")
            .ToList();
        return knobs.Count == 0 ? "defaults" : string.Join(' ', knobs);
    }

    private static long MemoryKilobytes() =>
        ProcLine("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0] is { } kb &&
        long.TryParse(kb, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : 0;

    // 1, 5 and 15 minute load averages: well above 0 before the run means the numbers compete with other work.
    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    // The value after "key:" on the first line starting with key, or null.
    private static string? ProcLine(string path, string key)
    {
        try
        {
            var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
