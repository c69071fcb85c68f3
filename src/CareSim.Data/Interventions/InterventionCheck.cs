using CareSim.Data.Baseline;
using CareSim.Model.Plan;
using CareSim.Model.Time;

namespace CareSim.Data.Interventions;

/// <summary>
/// Checks a scenario's history of trusts against the intervention record (for <c>sim validate --data</c>).
/// The record lists every trust the project knows of, so within its coverage a timeline must
/// agree with it; directions and commissioners are not checked, as the record lists only some of
/// them (the rest follow from the inadequate grades).
/// </summary>
public sealed class InterventionCheck(InterventionRecord record, BaselineDataset? data = null)
{
    /// <summary>The baseline and the record beside it in a data folder (as <c>sim scenario from-data</c> finds them).</summary>
    /// <exception cref="CareSimDataException">No baseline, no record, or a bad record.</exception>
    public static InterventionCheck Open(string dataDirectory)
    {
        var data = BaselineDataset.Load(dataDirectory);
        var path = InterventionRecord.FindBeside(dataDirectory)
            ?? throw new InterventionDataException([$"{Path.Combine(dataDirectory, InterventionRecord.FileName)}: intervention record not found"]);
        return new InterventionCheck(InterventionRecord.Load(path, data), data);
    }

    public InterventionRecord Record { get; } = record;

    /// <summary>
    /// The contradictions, each naming the scenario file, the authority and the record's line:
    /// a removal to a trust (before <c>history_until</c>, within the record's coverage) that no
    /// trust of the record starts at, or that ended before the start (the model cannot return
    /// services in-house); and a trust of the record that surely started before
    /// <c>history_until</c> and had not ended by the start, without a removal in its start window.
    /// With a dataset, authorities it does not know are not checked.
    /// </summary>
    public IReadOnlyList<string> Check(SimulationPlan plan, string scenarioFile)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<string>();
        var historyEnd = plan.MonthAt(Math.Max(0, plan.HistoryUntilMonth));
        var file = Path.GetFileName(Record.Path);
        for (var i = 0; i < plan.Authorities.Count; i++)
        {
            var a = plan.Authorities[i];
            var known = data is null ? a.Code : data.FindByCode(a.Code)?.Code;
            if (known is null)
                continue; // not an English authority of the data (an illustrative one): the record says nothing about it
            var where = $"{scenarioFile}: authorities[{i}] ({a.Name}, {a.Code})";
            var trusts = Record.For(known).Where(r => r.Kind == InterventionKind.Trust).ToList();
            var removals = a.Events.OfType<RemovalEvent>().Select(e => plan.MonthAt(e.Month)).Where(m => m < historyEnd).ToList();
            foreach (var month in removals.Where(m => m >= Record.CoveredFrom && m <= Record.CoveredUntil))
            {
                var trust = trusts.FirstOrDefault(r => StartsIn(r, month));
                if (trust is null)
                    errors.Add($"{where}: the timeline removes services to a trust in {month}, but {file} has {(trusts.Count == 0 ? "no trust for this authority" : "its trust " + string.Join(" and ", trusts.Select(t => Describe(t, file))))}");
                else if (trust.End is { } end && end <= plan.Start)
                    errors.Add($"{where}: the timeline removes services to a trust in {month}, but that trust ended in {end} ({file}:{trust.Line}), before the start ({plan.Start}); the model cannot return services in-house, so leave the removal out");
            }
            foreach (var trust in trusts.Where(t => t.LatestStart < historyEnd && (t.End is null || t.End.Value > plan.Start)))
            {
                if (!removals.Any(m => StartsIn(trust, m)))
                    errors.Add($"{where}: {file}:{trust.Line} has services in a trust from {trust.StartText}{(trust.End is { } end ? $" to {end}" : "")} ({trust.Source}), but the timeline has no removal then; add {{date: {trust.Start}, event: removal, source: \"{trust.Source}\"}}");
            }
        }
        return errors;
    }

    /// <summary>A removal in <paramref name="month"/> is the trust's start (any month of a year-only start).</summary>
    private static bool StartsIn(InterventionRow trust, SimMonth month) => month >= trust.Start && month <= trust.LatestStart;

    private static string Describe(InterventionRow trust, string file) =>
        $"from {trust.StartText}{(trust.End is { } end ? $" to {end}" : "")} ({file}:{trust.Line})";
}
