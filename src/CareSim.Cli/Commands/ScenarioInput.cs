using CareSim.Cli.Output;
using CareSim.Engine.Running;
using CareSim.Model.Plan;
using CareSim.Scenarios;

namespace CareSim.Cli.Commands;

/// <summary>What the commands that run a scenario check before they start.</summary>
internal static class ScenarioInput
{
    /// <summary>Prints the scenario's warnings and errors to stderr; whether it is valid.</summary>
    public static bool Report(ScenarioLoadResult load)
    {
        foreach (var warning in load.Warnings) Terminal.Note($"warning: {warning}");
        foreach (var error in load.Errors) Terminal.Error(error.ToString());
        return load.IsValid;
    }

    /// <summary>Whether a run of <paramref name="plan"/> fits in this machine's memory; if not, says why on stderr (docs/scenarios.md#limits).</summary>
    /// <param name="keptRuns">Runs whose outcome measures are kept meanwhile (the strategies of a comparison).</param>
    /// <param name="replicasOption">The option that sets the plan's replicas, for the advice.</param>
    public static bool FitsInMemory(SimulationPlan plan, int metrics, bool perReplica, int keptRuns = 0, string replicasOption = "--replicas")
    {
        if (RunMemory.Refusal(plan, metrics, perReplica, keptRuns, replicasOption) is not { } refusal) return true;
        Terminal.Error(refusal);
        return false;
    }
}
