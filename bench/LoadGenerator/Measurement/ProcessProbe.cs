using System.Globalization;

namespace Billing.Bench.LoadGenerator.Measurement;

/// <summary>
/// Reads a process's CPU time (<c>/proc/PID/stat</c> utime + stime) and peak resident memory (<c>/proc/PID/status</c>
/// VmHWM). With <paramref name="includeChildren"/> (PostgreSQL: the postmaster and its backends) the CPU of the
/// direct children is added, living ones from their own stat and exited ones from the parent's cutime + cstime.
/// </summary>
internal sealed class ProcessProbe(string role, int pid, bool includeChildren)
{
    // USER_HZ: the unit of /proc times; 100 on every Linux the benchmark runs on.
    private const double TicksPerSecond = 100;

    public string Role { get; } = role;

    public int Pid { get; } = pid;

    /// <summary>The probe of this process itself (the load generator shares the machine and says what it costs).</summary>
    public static ProcessProbe Self() => new("loadgen", Environment.ProcessId, includeChildren: false);

    /// <summary>CPU seconds so far, or null when the process is gone.</summary>
    public double? CpuSeconds()
    {
        if (Stat(Pid) is not { } own)
        {
            return null;
        }

        var ticks = own.UserTicks + own.SystemTicks;
        if (includeChildren)
        {
            ticks += own.ChildUserTicks + own.ChildSystemTicks;
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var child) &&
                    child != Pid && Stat(child) is { } stat && stat.ParentPid == Pid)
                {
                    ticks += stat.UserTicks + stat.SystemTicks;
                }
            }
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>Peak resident set in MiB (VmHWM), or null for a process tree (shared memory would be counted per backend).</summary>
    public double? PeakRssMegabytes()
    {
        if (includeChildren)
        {
            return null;
        }

        try
        {
            var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kilobytes is null ? null : Math.Round(long.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024.0, 1);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static StatFields? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new StatFields(
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[11], CultureInfo.InvariantCulture),
            long.Parse(fields[12], CultureInfo.InvariantCulture),
            long.Parse(fields[13], CultureInfo.InvariantCulture),
            long.Parse(fields[14], CultureInfo.InvariantCulture));
    }

    private readonly record struct StatFields(int ParentPid, long UserTicks, long SystemTicks, long ChildUserTicks, long ChildSystemTicks);
}
