using System.Text.Json.Serialization;

namespace CareSim.Model.Plan;

/// <summary>
/// A dated event in an authority's timeline. <see cref="Month"/> counts from the scenario's start
/// (0 = first simulated month); negative months are history, applied when the state is seeded.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(InspectionEvent), "inspection")]
[JsonDerivedType(typeof(MonitoringVisitEvent), "monitoring_visit")]
[JsonDerivedType(typeof(LeaderChangeEvent), "leader_change")]
[JsonDerivedType(typeof(LeaderMadePermanentEvent), "leader_made_permanent")]
[JsonDerivedType(typeof(ImprovementNoticeEvent), "improvement_notice")]
[JsonDerivedType(typeof(DirectionEvent), "direction")]
[JsonDerivedType(typeof(CommissionerReviewEvent), "commissioner_review")]
[JsonDerivedType(typeof(DirectionLiftedEvent), "direction_lifted")]
[JsonDerivedType(typeof(RemovalEvent), "removal")]
[JsonDerivedType(typeof(PartnershipEvent), "partnership")]
[JsonDerivedType(typeof(InvestmentEvent), "investment")]
[JsonDerivedType(typeof(BudgetEvent), "budget")]
[JsonDerivedType(typeof(ProgrammeEvent), "programme")]
[JsonDerivedType(typeof(ObservedEvent), "observed")]
public abstract record TimelineEvent(int Month);

/// <summary>
/// A full Ofsted inspection in this month. A given grade forces the result (history); a null
/// grade lets the model draw it. Publication follows after the publication lag unless given.
/// </summary>
public sealed record InspectionEvent(
    int Month,
    Grade? Overall = null,
    Grade? Leaders = null,
    Grade? HelpAndProtection = null,
    Grade? ChildrenInCare = null,
    int? PublishedMonth = null) : TimelineEvent(Month);

/// <summary>An Ofsted monitoring visit; <see cref="Adequate"/> forces its finding when known.</summary>
public sealed record MonitoringVisitEvent(int Month, bool? Adequate = null) : TimelineEvent(Month);

/// <summary>A new person in a leadership role.</summary>
public sealed record LeaderChangeEvent(int Month, LeaderRole Role, bool Interim = false) : TimelineEvent(Month);

/// <summary>A leadership role's interim made permanent (same person; not a change).</summary>
public sealed record LeaderMadePermanentEvent(int Month, LeaderRole Role) : TimelineEvent(Month);

/// <summary>A non-statutory improvement notice with a DfE adviser.</summary>
public sealed record ImprovementNoticeEvent(int Month) : TimelineEvent(Month);

/// <summary>A statutory direction with a commissioner (the commissioner id is resolved in the plan).</summary>
public sealed record DirectionEvent(int Month, bool WithCommissioner = true) : TimelineEvent(Month);

/// <summary>A commissioner's review concluding; a given recommendation forces the outcome.</summary>
public sealed record CommissionerReviewEvent(int Month, Recommendation? Forced = null) : TimelineEvent(Month);

/// <summary>The statutory direction (and any improvement notice) lifted.</summary>
public sealed record DirectionLiftedEvent(int Month) : TimelineEvent(Month);

/// <summary>Services transferred to a children's services trust in this month.</summary>
public sealed record RemovalEvent(int Month) : TimelineEvent(Month);

/// <summary>A partnership with a stronger council begins.</summary>
public sealed record PartnershipEvent(int Month) : TimelineEvent(Month);

/// <summary>
/// Money into children's services: added annual budget, funded posts (establishment FTE), extra
/// newly qualified intake a year (an academy). Posts and intake may also be given as shares of
/// the authority's starting establishment, and budget as a share of its starting workforce budget
/// (so one strategy fits authorities of any size).
/// </summary>
public sealed record InvestmentEvent(
    int Month,
    double BudgetGbpMPerYear = 0,
    double Posts = 0,
    double AcademyIntakePerYear = 0,
    double PostsShare = 0,
    double AcademyShare = 0,
    double BudgetShare = 0) : TimelineEvent(Month);

/// <summary>The workforce budget set to a new annual amount.</summary>
public sealed record BudgetEvent(int Month, double AnnualGbpM) : TimelineEvent(Month);

/// <summary>
/// A programme with a recurring cost (absolute, plus a share of the starting workforce budget)
/// and, optionally, external support: a retention package, an academy's running costs, an
/// improvement programme. Lasts <see cref="DurationMonths"/> (null: to the end of the run).
/// </summary>
public sealed record ProgrammeEvent(int Month, double CostGbpMPerYear, double Support = 0, int? DurationMonths = null, double CostShare = 0) : TimelineEvent(Month);

/// <summary>
/// Official figures known at this month (history only): the state is set to agree with them in
/// every replica, so that a projection starts from what was observed rather than from what the
/// model made of the years before. Each figure is optional. See docs/model.md#observed-figures.
/// </summary>
public sealed record ObservedEvent(int Month, WorkforceObservation? Workforce = null, DemandObservation? Demand = null) : TimelineEvent(Month);

/// <summary>Workforce census figures (DfE, 30 September): permanent and agency FTE, vacant posts (FTE).</summary>
public sealed record WorkforceObservation(double? SwFte = null, double? AgencyFte = null, double? VacancyFte = null);

/// <summary>Children in need census figures (DfE, 31 March): the year's referrals and the stocks, per 10,000 children.</summary>
public sealed record DemandObservation(double? ReferralsPer10k = null, double? CinPer10k = null, double? CppPer10k = null, double? ClaPer10k = null);
