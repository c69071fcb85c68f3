using CareSim.Engine.Running;
using CareSim.Engine.Summaries;
using CareSim.Grains.Abstractions;
using CareSim.Model.Plan;

namespace CareSim.Grains.Runner;

/// <summary>A run kept in grain storage: what a client needs to resume it (<c>sim run --resume</c>).</summary>
public sealed record StoredRun(string RunId, RunDefinition Definition, SimulationPlan Plan, int CommittedMonth, IReadOnlyList<SummarisedRows> Months);

public static class StoredRuns
{
    /// <summary>The run's definition, its committed checkpoint and the summary rows of the months before it; null when no run of this id is stored.</summary>
    public static async Task<StoredRun?> LoadAsync(IGrainFactory grains, string runId)
    {
        var run = grains.GetGrain<IRunGrain>(runId);
        if (await run.GetDefinition() is not { } definition) return null;
        var plan = PlanJson.Deserialize(definition.PlanJson);
        var committed = await run.GetCommittedMonth();
        var months = new List<SummarisedRows>();
        for (var from = 0; definition.CheckpointEveryMonths > 0 && from < committed; from += definition.CheckpointEveryMonths)
        {
            var segment = await grains.GetGrain<IRunJournalGrain>(GrainKeys.JournalSegment(runId, from)).Read();
            months.AddRange(segment.Value.Select(m => JournalRows.FromStored(plan, m)));
        }
        if (months.Count != committed || months.Where((m, i) => m.Month != i).Any())
            throw new InvalidDataException($"run {runId}: the stored summaries do not cover months 0 to {committed - 1} (found {months.Count} months; did Redis lose its data?)");
        return new StoredRun(runId, definition, plan, committed, months);
    }
}

/// <summary>Summary rows to and from their stored form (<see cref="SummarisedMonth"/>).</summary>
internal static class JournalRows
{
    public static SummarisedMonth ToStored(SummarisedRows month) => new(
        month.Month,
        month.Rows.Select(r => r.Authority).ToArray(),
        month.Rows.Select(r => r.Metric).ToArray(),
        month.Rows.Select(r => r.Mean).ToArray(),
        month.Rows.Select(r => r.Quantiles).ToArray());

    public static SummarisedRows FromStored(SimulationPlan plan, SummarisedMonth stored)
    {
        var when = plan.MonthAt(stored.Month);
        var rows = new SummaryRow[stored.Means.Length];
        for (var i = 0; i < rows.Length; i++)
            rows[i] = new SummaryRow(stored.Authorities[i], when, stored.Metrics[i], stored.Means[i], stored.Quantiles[i]);
        return new SummarisedRows(stored.Month, rows);
    }
}
