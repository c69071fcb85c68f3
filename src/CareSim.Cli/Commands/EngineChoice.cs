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
            return new RunningEngine(new GrainEngine(silo.Grains), silo);
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
        if (silo is not null) await silo.DisposeAsync();
    }
}
