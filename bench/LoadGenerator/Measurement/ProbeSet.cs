namespace Billing.Bench.LoadGenerator.Measurement;

/// <summary>Every process the benchmark accounts for, by role; a phase names the roles it loads.</summary>
internal sealed class ProbeSet
{
    private readonly Dictionary<string, ProcessProbe> _probes;

    private ProbeSet(Dictionary<string, ProcessProbe> probes) => _probes = probes;

    /// <summary>The processes of <see cref="BenchOptions.Pids"/> (PostgreSQL with its backends) and this one.</summary>
    public static ProbeSet From(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var probes = options.Pids.ToDictionary(kv => kv.Key,
            kv => new ProcessProbe(kv.Key, kv.Value, includeChildren: kv.Key == "postgres"), StringComparer.Ordinal);
        probes["loadgen"] = ProcessProbe.Self();
        return new ProbeSet(probes);
    }

    /// <summary>A meter of <paramref name="roles"/> (those that exist, in that order) and the load generator; every
    /// other known process is summed as idle.</summary>
    public UsageMeter Meter(IEnumerable<string> roles)
    {
        var active = roles.Append("loadgen").Distinct(StringComparer.Ordinal).Where(_probes.ContainsKey).Select(role => _probes[role]).ToList();
        return new UsageMeter(active, [.. _probes.Values.Except(active)]);
    }
}
