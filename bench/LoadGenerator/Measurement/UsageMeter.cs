namespace Billing.Bench.LoadGenerator.Measurement;

/// <summary>
/// CPU of the processes under load, of the benchmark's other processes (idle, waiting their turn), and of everything
/// else on the machine ("others"), between <see cref="Start"/> and <see cref="Stop"/>.
/// </summary>
internal sealed class UsageMeter(IReadOnlyList<ProcessProbe> probes, IReadOnlyList<ProcessProbe> idle)
{
    private readonly Dictionary<ProcessProbe, double?> _before = [];
    private double? _machineBefore;

    public void Start()
    {
        _machineBefore = MachineCpu.BusySeconds();
        foreach (var probe in probes.Concat(idle))
        {
            _before[probe] = probe.CpuSeconds();
        }
    }

    public List<ProcessUsage> Stop(TimeSpan elapsed)
    {
        var usage = new List<ProcessUsage>(probes.Count + idle.Count + 1);
        foreach (var probe in probes)
        {
            usage.Add(Usage(probe.Role, probe.Pid, Used(probe), elapsed, probe.PeakRssMegabytes()));
        }

        // The stacks waiting their turn still run timers, membership probes, and whatever their last load left to
        // do: counted apart, so that "others" stays what it says (someone else's work on these cores).
        foreach (var probe in idle)
        {
            usage.Add(Usage(probe.Role, probe.Pid, Used(probe), elapsed, probe.PeakRssMegabytes()) with { Idle = true });
        }

        if (MachineCpu.BusySeconds() - _machineBefore is { } machine)
        {
            usage.Add(Usage("others", 0, Math.Max(0, machine - usage.Sum(u => u.CpuSeconds)), elapsed, null));
        }

        return usage;
    }

    private double Used(ProcessProbe probe) => probe.CpuSeconds() - _before.GetValueOrDefault(probe) ?? 0;

    private static ProcessUsage Usage(string role, int pid, double cpu, TimeSpan elapsed, double? peakRss) =>
        new(role, pid, Math.Round(cpu, 2), elapsed > TimeSpan.Zero ? Math.Round(cpu / elapsed.TotalSeconds, 2) : 0, peakRss);
}
