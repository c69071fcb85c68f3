using CareSim.Data.Baseline;
using CareSim.Data.Interventions;
using CareSim.Model.Grades;
using CareSim.Model.Time;

namespace CareSim.Estimation.Grades;

/// <summary>One authority's record for the grade model, and the inspections after a date that a backtest scores.</summary>
public sealed record AuthorityGradeRecord(string Code, GradeRecord Record);

/// <summary>
/// Builds the grade model's records from the baseline dataset as it was known at a date: every full
/// inspection published by then (with its sub-judgements), and each workforce census (30 September)
/// in force from the October after it. A rate missing from a census keeps the previous census's.
/// </summary>
public static class GradeRecords
{
    public static List<AuthorityGradeRecord> KnownAt(BaselineDataset data, DateOnly knownAt, IReadOnlySet<string>? codes = null,
        Func<string, IEnumerable<TrustSpell>>? trusts = null)
    {
        var records = new List<AuthorityGradeRecord>();
        foreach (var a in data.Authorities)
        {
            if (codes is not null && !codes.Contains(a.Code)) continue;
            var inspections = data.Inspections(a.Code)
                .Where(i => i.KnownFrom <= knownAt)
                .Select(i => new GradeObservation(Month(i.Start), Math.Max(Month(i.Start), Month(i.KnownFrom)), i.Overall, i.Leaders, i.HelpAndProtection, i.ChildrenInCare))
                .ToList();
            records.Add(new AuthorityGradeRecord(a.Code, new GradeRecord(inspections, Censuses(data, a.Code, knownAt), trusts?.Invoke(a.Code))));
        }
        return records;
    }

    /// <summary>The censuses known at a date, each in force from the October after its 30 September.</summary>
    public static List<WorkforceRates> Censuses(BaselineDataset data, string code, DateOnly knownAt)
    {
        var list = new List<WorkforceRates>();
        double? agency = null, vacancy = null, turnover = null;
        foreach (var y in data.Years(code).OrderBy(y => y.Year))
        {
            if (new DateOnly(y.Year, 9, 30) > knownAt) break;
            agency = y[Measures.AgencyRate] ?? agency;
            vacancy = y[Measures.VacancyRate] ?? vacancy;
            turnover = y[Measures.TurnoverRate] ?? turnover;
            if (agency is null && vacancy is null && turnover is null) continue;
            list.Add(new WorkforceRates(new SimMonth(y.Year, 10).Ordinal,
                agency ?? GradeChain.ReferenceAgencyRate, vacancy ?? GradeChain.ReferenceVacancyRate, turnover ?? GradeChain.ReferenceTurnoverRate));
        }
        return list;
    }

    public static int Month(DateOnly date) => SimMonth.FromDate(date).Ordinal;

    /// <summary>
    /// The trust spells of the intervention record as known at a date: spells that started by then,
    /// open until their end if it was known by then. Null when there is no record.
    /// </summary>
    public static Func<string, IEnumerable<TrustSpell>>? Trusts(InterventionRecord? record, DateOnly knownAt)
    {
        if (record is null) return null;
        var known = SimMonth.FromDate(knownAt);
        return code => record.For(code)
            .Where(r => r.Kind == InterventionKind.Trust && r.Start <= known)
            .Select(r => new TrustSpell(r.Start.Ordinal, r.End is { } end && end <= known ? end.Ordinal : int.MaxValue))
            .ToList();
    }

    /// <summary>The intervention record beside a data folder (data/interventions.csv), read against the dataset; null when there is none.</summary>
    public static InterventionRecord? InterventionsBeside(string dataDirectory, BaselineDataset data) =>
        InterventionRecord.FindBeside(dataDirectory) is { } path ? InterventionRecord.Load(path, data) : null;
}
