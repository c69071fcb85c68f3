using System.CommandLine;
using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Grains.Runner;
using CareSim.Host;

namespace CareSim.Cli.Commands;

/// <summary>The --engine option shared by the commands that simulate, and the engine it starts.</summary>
public static class EngineChoice
{
    public static Option<string> Option()
    {
        var engine = new Option<string>("--engine") { Description = "grains (Orleans, the default) or reference (one thread, no Orleans).", DefaultValueFactory = _ => "grains" };
        engine.AcceptOnlyFromAmong("grains", "reference");
        return engine;
    }

    /// <summary><see cref="StartAsync"/> on the thread pool, beside what the caller does meanwhile (reading the scenario).</summary>
    public static Task<RunningEngine> StartBeside(string name, CancellationToken cancellationToken) =>
        Task.Run(() => StartAsync(name, cancellationToken), CancellationToken.None);

    /// <summary>
    /// Gives up an engine started for a run that will not happen (bad input): it is stopped once
    /// started, without waiting for it (the process may end first: an embedded silo keeps nothing).
    /// Returns <paramref name="exitCode"/>.
    /// </summary>
    public static int Abandon(Task<RunningEngine>? starting, int exitCode)
    {
        _ = starting?.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully) return t.Result.DisposeAsync().AsTask();
            _ = t.Exception; // observed: a start that failed does not matter any more
            return Task.CompletedTask;
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return exitCode;
    }

    /// <summary>Starts the chosen engine (an embedded silo for grains); dispose to stop it.</summary>
    /// <exception cref="OperationCanceledException">Interrupted (Ctrl+C, SIGTERM) before the engine was ready.</exception>
    public static async Task<RunningEngine> StartAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (name == "reference") return new RunningEngine(new ReferenceEngine(), null);
        // An interrupt stops the wait, not the silo's start: Orleans reports a cancelled start as a
        // failure, with its stack, on stderr. A silo that starts after all is stopped at once.
        var starting = EmbeddedSilo.StartAsync(cancellationToken: CancellationToken.None);
        try
        {
            var silo = await starting.WaitAsync(cancellationToken);
            PhaseLog.Mark("silo started");
            return new RunningEngine(new GrainEngine(silo.Grains, new GrainRunOptions { LocalPlans = silo.Plans }), silo);
        }
        catch (OperationCanceledException)
        {
            _ = starting.ContinueWith(t => t.Result.DisposeAsync().AsTask(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }
}

/// <summary>An engine and whatever hosts it.</summary>
public sealed class RunningEngine(ISimulationEngine engine, EmbeddedSilo? silo) : IAsyncDisposable
{
    public ISimulationEngine Engine { get; } = engine;

    public async ValueTask DisposeAsync()
    {
        if (silo is null) return;
        await silo.DisposeAsync();
        PhaseLog.Mark("silo stopped");
    }
}
