namespace Billing.RecoveryTool;

/// <summary>The tool's exit codes, for scripts and CI.</summary>
internal static class ExitCodes
{
    /// <summary>The job ended done, or a list command succeeded.</summary>
    public const int Success = 0;

    /// <summary>The job ended failed, or the gateway answered an error (or none).</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments: nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>Ctrl-C: following stopped, the job's outcome is unknown (the shells' 128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
