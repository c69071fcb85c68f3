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
    public static async Task<RunningEngine> StartAsync(string name, CancellationToken cancellationToken)
    {
        if (name == "reference") return new RunningEngine(new ReferenceEngine(), null);
        var silo = await EmbeddedSilo.StartAsync(cancellationToken: cancellationToken);
        return new RunningEngine(new GrainEngine(silo.Grains), silo);
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
