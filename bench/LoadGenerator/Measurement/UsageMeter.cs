namespace Billing.Bench.LoadGenerator.Measurement;

/// <summary>CPU of a set of processes, and of everything else on the machine, between <see cref="Start"/> and <see cref="Stop"/>.</summary>
internal sealed class UsageMeter(IReadOnlyList<ProcessProbe> probes)
{
    private readonly Dictionary<ProcessProbe, double?> _before = [];
    private double? _machineBefore;

    public void Start()
    {
        _machineBefore = MachineCpu.BusySeconds();
        foreach (var probe in probes)
        {
            _before[probe] = probe.CpuSeconds();
        }
    }

    public List<ProcessUsage> Stop(TimeSpan elapsed)
    {
        var usage = new List<ProcessUsage>(probes.Count + 1);
        foreach (var probe in probes)
        {
            var cpu = probe.CpuSeconds() - _before.GetValueOrDefault(probe) ?? 0;
            usage.Add(Usage(probe.Role, probe.Pid, cpu, elapsed, probe.PeakRssMegabytes()));
        }

        if (MachineCpu.BusySeconds() - _machineBefore is { } machine)
        {
            usage.Add(Usage("others", 0, Math.Max(0, machine - usage.Sum(u => u.CpuSeconds)), elapsed, null));
        }

        return usage;
    }

    private static ProcessUsage Usage(string role, int pid, double cpu, TimeSpan elapsed, double? peakRss) =>
        new(role, pid, Math.Round(cpu, 2), elapsed > TimeSpan.Zero ? Math.Round(cpu / elapsed.TotalSeconds, 2) : 0, peakRss);
}
