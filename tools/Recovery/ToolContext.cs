namespace Billing.RecoveryTool;

/// <summary>
/// What the tool runs against: its output streams, environment variables and clock, and its pace. <see cref="Program.Main"/>
/// passes the process's own; tests pass writers they read back, and a quicker pace.
/// </summary>
/// <param name="Out">Results: the summary, tables, the drift report (kept clean so it can be piped).</param>
/// <param name="Error">Progress, notes and errors.</param>
/// <param name="ErrorIsTerminal">Whether <paramref name="Error"/> is a terminal, where the progress line is redrawn in place.</param>
/// <param name="ErrorColumns">The terminal's width, where known.</param>
/// <param name="Environment">Reads an environment variable (<c>BILLING_ADMIN_URL</c>, <c>BILLING_ADMIN_KEY</c>).</param>
/// <param name="Time">The clock.</param>
internal sealed record ToolContext(TextWriter Out, TextWriter Error, bool ErrorIsTerminal, int? ErrorColumns,
    Func<string, string?> Environment, TimeProvider Time)
{
    /// <summary>How often a followed job is read.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a progress line is written when stderr is not a terminal.</summary>
    public TimeSpan PlainProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long following goes on through a gateway that does not answer (restarting, a proxy's 502) before giving up:
    /// a rolling restart of the gateways should not end the watch, a gateway that is gone should.
    /// </summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The process's console, environment and clock.</summary>
    public static ToolContext FromProcess()
    {
        var terminal = !Console.IsErrorRedirected;
        return new ToolContext(Console.Out, Console.Error, terminal, terminal ? TerminalColumns() : null,
            System.Environment.GetEnvironmentVariable, TimeProvider.System);
    }

    private static int? TerminalColumns()
    {
        try
        {
            return Console.WindowWidth is > 0 and var columns ? columns : null;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            // No size to read (stdout redirected on some platforms): the line is drawn unclipped.
            return null;
        }
    }
}
