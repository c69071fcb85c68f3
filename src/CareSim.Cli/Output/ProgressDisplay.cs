using CareSim.Engine.Running;
using Spectre.Console;

namespace CareSim.Cli.Output;

/// <summary>
/// Shows a run's progress on standard error (standard output is for results): a bar with an
/// estimate of the time left on a terminal, plain lines (every 10%) when standard error is redirected.
/// A resumed run starts at <c>firstMonth</c>: the estimate counts only the months this process
/// simulated (the elapsed time is this process's), and the bar covers the months left.
/// </summary>
public static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(string title, Func<IProgress<RunProgress>, Task<T>> work, int firstMonth = 0)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (firstMonth > 0) title += $" (resumed at month {firstMonth})";
        if (Console.IsErrorRedirected || !console.Profile.Capabilities.Interactive)
        {
            var plain = new PlainProgress(title, firstMonth);
            var result = await work(plain).ConfigureAwait(false);
            return result;
        }

        T value = default!;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(title, maxValue: 1.0);
                // The months left from where this process started: Spectre's estimate then rests on this process's pace.
                var progress = new Progress<RunProgress>(p => task.Value = p.MonthsTotal <= firstMonth ? 1 : (double)(p.MonthsDone - firstMonth) / (p.MonthsTotal - firstMonth));
                value = await work(progress).ConfigureAwait(false);
                task.Value = 1.0;
            }).ConfigureAwait(false);
        return value;
    }

    /// <summary>Synchronous progress lines: "title: 40% (24/60 months, 1.2 s, about 1.8 s left)".</summary>
    private sealed class PlainProgress(string title, int firstMonth) : IProgress<RunProgress>
    {
        private int _lastDecile = -1;

        public void Report(RunProgress value)
        {
            var decile = (int)Math.Floor(value.Fraction * 10);
            if (decile == _lastDecile) return;
            _lastDecile = decile;
            var simulatedHere = value.MonthsDone - firstMonth;
            var left = simulatedHere > 0 ? $", about {(value.Elapsed * ((double)(value.MonthsTotal - value.MonthsDone) / simulatedHere)).TotalSeconds:0.0} s left" : "";
            Terminal.Note($"{title}: {Terminal.Percent(value.Fraction)} ({value.MonthsDone}/{value.MonthsTotal} months, {value.Elapsed.TotalSeconds:0.0} s{left})");
        }
    }
}
