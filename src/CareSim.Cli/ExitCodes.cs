namespace CareSim.Cli;

/// <summary>The process exit codes of `sim`.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The run or command failed for a reason other than its input.</summary>
    public const int Failed = 1;
    /// <summary>Bad input: an invalid scenario, option or file. Nothing was written.</summary>
    public const int InvalidInput = 2;
    /// <summary>Interrupted (Ctrl+C, SIGINT); nothing half-written was left behind.</summary>
    public const int Cancelled = 130;
    /// <summary>Stopped by SIGTERM (128 + 15); nothing half-written was left behind.</summary>
    public const int Terminated = 143;
}
