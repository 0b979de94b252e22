namespace Billing.Bench.LoadGenerator.Measurement;

/// <summary>What one process used during a measured phase.</summary>
/// <param name="Role">gateway, silo, gateway-mem, silo-mem, postgres, baseline, bare, loadgen; "others" is the rest of
/// the machine.</param>
/// <param name="Pid">The process id (0 for "others").</param>
/// <param name="CpuSeconds">CPU seconds (user + system) during the phase.</param>
/// <param name="Cores">CPU seconds per second of the phase: 1.0 is one core busy all the time.</param>
/// <param name="PeakRssMegabytes">The process's peak resident memory so far (VmHWM), when meaningful.</param>
/// <param name="Idle">Not under load in this phase: another target's process, waiting its turn (the tables show these
/// summed as one "idle" row).</param>
internal sealed record ProcessUsage(string Role, int Pid, double CpuSeconds, double Cores, double? PeakRssMegabytes, bool Idle = false);
