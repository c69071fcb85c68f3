using CareSim.Engine.Output;

namespace CareSim.Estimation;

/// <summary>
/// How the data commands (calibrate, backtest) report what stops them: bad input exits 2,
/// Ctrl+C 130 with nothing written, a failed write 1.
/// </summary>
internal static class CommandFailures
{
    public static bool IsExpected(Exception ex) =>
        ex is CareSimDataException or OperationCanceledException or IOException or UnauthorizedAccessException;

    /// <param name="writing">What was being written, for the message ("the results").</param>
    public static int Report(Exception ex, TextWriter stderr, string writing)
    {
        switch (ex)
        {
            case CareSimDataException or OutputRefusedException:
                return BadInput(stderr, ex.Message);
            case OperationCanceledException:
                stderr.WriteLine("interrupted: nothing was written");
                return 130;
            default:
                stderr.WriteLine($"error: cannot write {writing}: {ex.Message}");
                return 1;
        }
    }

    public static int BadInput(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        return 2;
    }
}
