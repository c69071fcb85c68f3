using CareSim.Model.Plan;

namespace CareSim.Model.Grades;

/// <summary>A full inspection on an authority's record; months are <see cref="Time.SimMonth.Ordinal"/>s.</summary>
public sealed record GradeObservation(int StartMonth, int PublishedMonth, Grade Overall, Grade? Leaders, Grade? HelpAndProtection, Grade? ChildrenInCare)
{
    /// <summary>The month ILACS replaced the single inspection framework (SIF): January 2018.</summary>
    public static readonly int IlacsFrom = 2018 * 12;

    /// <summary>Whether the inspection was under the SIF (started before January 2018), which graded on its own scale.</summary>
    public bool UnderSif => StartMonth < IlacsFrom;

    /// <summary>Every judgement inadequate: the trigger for a commissioner (docs/model.md#intervention).</summary>
    public bool AcrossTheBoard => Overall == Grade.Inadequate
        && (Leaders ?? Grade.Inadequate) == Grade.Inadequate
        && (HelpAndProtection ?? Grade.Inadequate) == Grade.Inadequate
        && (ChildrenInCare ?? Grade.Inadequate) == Grade.Inadequate;
}

/// <summary>The workforce rates in force from a month (a census, until the next one).</summary>
public sealed record WorkforceRates(int FromMonth, double AgencyRate, double VacancyRate, double TurnoverRate);

/// <summary>Services run by a children's services trust over months [From, To).</summary>
public sealed record TrustSpell(int FromMonth, int ToMonth);

/// <summary>
/// What the grade model reads of an authority: its full inspections, its workforce rates and any
/// spells in a trust, in month order. Whoever builds it decides what is known (a backtest truncates it
/// at its origin).
/// </summary>
public sealed class GradeRecord
{
    public GradeRecord(IEnumerable<GradeObservation> inspections, IEnumerable<WorkforceRates> workforce, IEnumerable<TrustSpell>? trusts = null)
    {
        Inspections = inspections.OrderBy(i => i.StartMonth).ToList();
        Workforce = workforce.OrderBy(w => w.FromMonth).ToList();
        Trusts = (trusts ?? []).ToList();
    }

    public IReadOnlyList<GradeObservation> Inspections { get; }
    public IReadOnlyList<WorkforceRates> Workforce { get; }
    public IReadOnlyList<TrustSpell> Trusts { get; }

    /// <summary>The rates in force at a month: the latest census from before it, else the earliest (held back), else England's references.</summary>
    public (double Agency, double Vacancy, double Turnover) RatesAt(int month)
    {
        WorkforceRates? found = null;
        foreach (var w in Workforce)
        {
            if (w.FromMonth > month) break;
            found = w;
        }
        found ??= Workforce.Count > 0 ? Workforce[0] : null;
        return found is null
            ? (GradeChain.ReferenceAgencyRate, GradeChain.ReferenceVacancyRate, GradeChain.ReferenceTurnoverRate)
            : (found.AgencyRate, found.VacancyRate, found.TurnoverRate);
    }

    /// <summary>Whether a trust ran the services at a month.</summary>
    public bool InTrustAt(int month) => Trusts.Any(t => t.FromMonth <= month && month < t.ToMonth);
}
