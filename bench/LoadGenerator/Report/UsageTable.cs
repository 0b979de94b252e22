using System.Globalization;
using Billing.Bench.LoadGenerator.Measurement;

namespace Billing.Bench.LoadGenerator.Report;

/// <summary>
/// The processes' CPU and memory during measured phases, one block per phase: the processes under load, the idle ones
/// summed (and the busiest named), the rest of the machine, and the machine's total.
/// </summary>
internal static class UsageTable
{
    private const int PhaseWidth = 22;

    public static void Print(TextWriter output, IEnumerable<(string Phase, IReadOnlyList<ProcessUsage> Processes)> phases)
    {
        output.WriteLine($"  {"phase",-PhaseWidth}{"process",12}{"pid",10}{"CPU s",10}{"cores",10}{"peak MiB",10}");
        foreach (var (phase, processes) in phases)
        {
            foreach (var p in processes.Where(p => !p.Idle && p.Pid > 0))
            {
                output.WriteLine($"  {phase,-PhaseWidth}{p.Role,12}{p.Pid.ToString(CultureInfo.InvariantCulture),10}" +
                                 $"{Table.N(p.CpuSeconds, 1),10}{Table.N(p.Cores, 2),10}{(p.PeakRssMegabytes is { } rss ? Table.N(rss) : "-"),10}");
            }

            if (processes.Where(p => p.Idle).ToList() is { Count: > 0 } idle)
            {
                var busiest = idle.MaxBy(p => p.CpuSeconds)!;
                // Naming the busiest says which stack was still working off its load (or idling expensively).
                output.WriteLine($"  {phase,-PhaseWidth}{"idle",12}{"",10}{Table.N(idle.Sum(p => p.CpuSeconds), 1),10}{Table.N(idle.Sum(p => p.Cores), 2),10}" +
                                 (busiest.CpuSeconds >= 0.1 ? $"{"",10}  most: {busiest.Role} {Table.N(busiest.CpuSeconds, 1)} s" : ""));
            }

            foreach (var p in processes.Where(p => !p.Idle && p.Pid == 0))
            {
                output.WriteLine($"  {phase,-PhaseWidth}{p.Role,12}{"",10}{Table.N(p.CpuSeconds, 1),10}{Table.N(p.Cores, 2),10}{"-",10}");
            }

            output.WriteLine($"  {"",-PhaseWidth}{"machine",12}{"",10}{Table.N(processes.Sum(p => p.CpuSeconds), 1),10}{Table.N(processes.Sum(p => p.Cores), 2),10}");
        }
    }
}
