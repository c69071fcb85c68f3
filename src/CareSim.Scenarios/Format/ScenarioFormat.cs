using CareSim.Model.Outputs;
using CareSim.Model.Parameters;

namespace CareSim.Scenarios.Format;

/// <summary>
/// THE description of the scenario file format. The validator, the JSON Schema
/// (scenarios/schema.json) and the field tables in docs/scenarios.md are all generated from it.
/// To add a top-level section (e.g. <c>strategies:</c>): describe it here as a <see cref="Field"/>
/// of <see cref="Root"/>, read it in <c>ScenarioBinder</c>, and use it in <c>PlanCompiler</c>.
/// </summary>
internal static class ScenarioFormat
{
    public static readonly string[] GradeNames = ["inadequate", "requires_improvement", "good", "outstanding"];
    public static readonly string[] RoleNames = ["dcs", "chief_executive", "lead_member"];
    public static readonly string[] RecommendationNames = ["keep_with_oversight", "partner", "remove_to_trust"];

    public const string DefaultCommissionerPrefix = "commissioner-";

    private static readonly StringType Text = new();
    private static readonly StringType NonEmpty = new() { MinLength = 1 };
    private static readonly MonthType Month = new();
    private static readonly BooleanType Bool = new();

    private static NumberType Range(double min, double max) => new() { Minimum = min, Maximum = max };
    private static NumberType AtLeast(double min) => new() { Minimum = min };
    private static NumberType Positive(double? max = null) => new() { Minimum = 0, ExclusiveMinimum = true, Maximum = max };

    private static Field Required(string name, SchemaType type, string description) =>
        new(name, type, description) { Required = true };

    private static Field Optional(string name, SchemaType type, string description, object? defaultValue = null, string? defaultText = null) =>
        new(name, type, description)
        {
            JsonDefault = defaultValue,
            Default = defaultText ?? defaultValue switch
            {
                null => null,
                bool b => b ? "true" : "false",
                double d => RangeText.Format(d),
                decimal m => RangeText.Format(m),
                _ => defaultValue.ToString(),
            },
        };

    /// <summary>A mapping of model parameter names (<see cref="P.All"/>) to values within their ranges.</summary>
    public static ObjectType Parameters { get; } = new(
        "parameters",
        P.All.Select(p => Optional(p.Name, Range(p.Min, p.Max),
            $"{p.Description} Unit: {p.Unit}. Default {RangeText.Format(p.Default)}.", p.Default)).ToList())
    {
        Description = "Model parameter overrides, by name (see `sim params` and docs/model.md). Values must lie within each parameter's range.",
        DefinitionName = "parameters",
        KeyNoun = "parameter",
        UnknownKeyHint = "run 'sim params' to list the parameters",
        DocumentFields = false,
    };

    public static EnumType Grade { get; } = new(GradeNames);

    private static Field Source => Optional("source", Text, "Where the event is documented (free text; not used by the model).");

    /// <summary>An event type. In a timeline it has a date; in a strategy a date or an offset from the decision point.</summary>
    private static ObjectType Event(bool strategy, string name, string description, params Field[] fields) =>
        new((strategy ? "strategy event: " : "event: ") + name,
        [
            strategy
                ? Optional("date", Month, "Month of the event (YYYY-MM or YYYY-MM-DD); give either this or `offset_months`.")
                : Required("date", Month, "Month of the event (YYYY-MM or YYYY-MM-DD; the day is ignored)."),
            .. strategy
                ? new[] { Optional("offset_months", new IntegerType { Minimum = -600, Maximum = 600 }, "Months after the scenario's `history_until` (its decision point); give either this or `date`.") }
                : [],
            Required("event", new EnumType([name]), "The event type."),
            .. fields,
            Source,
        ])
        { Description = description };

    private static UnionType Events(bool strategy)
    {
        ObjectType E(string name, string description, params Field[] fields) => Event(strategy, name, description, fields);
        return new UnionType("event",
        [
            ("inspection", E("inspection",
                "A full Ofsted inspection (ILACS). Before `start` it is history and must have a grade; on or after `start` a missing grade is drawn by the model.",
                Optional("grade", Grade, "Overall effectiveness grade. Required for an inspection before `start`."),
                Optional("leaders", Grade, "Judgement: impact of leaders on social work practice."),
                Optional("help_and_protection", Grade, "Judgement: experiences and progress of children who need help and protection."),
                Optional("children_in_care", Grade, "Judgement: experiences and progress of children in care (and care leavers)."),
                Optional("published", Month, "Month the report was published (not before `date`); default: after the model's publication lag."))),
            ("monitoring_visit", E("monitoring_visit",
                "An Ofsted monitoring visit.",
                Optional("adequate", Bool, "Whether the visit found adequate progress; omit to let the model draw it."))),
            ("leader_change", E("leader_change",
                "A new person in a leadership role.",
                Required("role", new EnumType(RoleNames), "The role that changed hands."),
                Optional("interim", Bool, "Whether the new post-holder is an interim.", false))),
            ("leader_made_permanent", E("leader_made_permanent",
                "An interim made permanent in the role (the same person; not a change).",
                Required("role", new EnumType(RoleNames), "The role."))),
            ("improvement_notice", E("improvement_notice",
                "A non-statutory improvement notice with a DfE adviser.")),
            ("direction", E("direction",
                "A statutory direction.",
                Optional("commissioner", Bool, "Whether the direction appoints a commissioner.", true))),
            ("commissioner_review", E("commissioner_review",
                "A commissioner's review concluding.",
                Optional("recommendation", new EnumType(RecommendationNames), "The recommendation, when known; omit to let the model decide."))),
            ("direction_lifted", E("direction_lifted",
                "The statutory direction (and any improvement notice) lifted.")),
            ("removal", E("removal",
                "Services transferred to a children's services trust.")),
            ("partnership", E("partnership",
                "A partnership with a stronger council begins.")),
            ("investment", E("investment",
                "Money into children's services.",
                Optional("budget_gbp_m_per_year", AtLeast(0), "Added annual budget, GBP million a year.", 0.0),
                Optional("posts", new NumberType(), "Funded permanent posts added to the establishment (FTE); negative for posts cut (never below zero posts).", 0.0),
                Optional("academy_intake_per_year", AtLeast(0), "Extra newly qualified social workers a year (an academy).", 0.0),
                Optional("posts_share", Range(0, 2), "Posts added as a share of the authority's starting establishment (on top of `posts`).", 0.0),
                Optional("academy_share", Range(0, 1), "Extra newly qualified intake a year as a share of the starting establishment (on top of `academy_intake_per_year`).", 0.0),
                Optional("budget_share", Range(0, 5), "Budget added as a share of the starting annual workforce budget (on top of `budget_gbp_m_per_year`).", 0.0))),
            ("budget", E("budget",
                "The workforce budget set to a new annual amount.",
                Required("annual_gbp_m", AtLeast(0), "The new annual workforce budget, GBP million."))),
            ("programme", E("programme",
                "A programme with a recurring cost and optional external support (a retention package, an academy's running costs, an improvement programme).",
                Optional("cost_gbp_m_per_year", AtLeast(0), "Running cost, GBP million a year.", 0.0),
                Optional("cost_share", Range(0, 5), "Running cost as a share of the starting annual workforce budget (on top of `cost_gbp_m_per_year`).", 0.0),
                Optional("support", Range(0, 1), "External support it brings (the model's 0-1 support scale; see docs/model.md#support).", 0.0),
                Optional("months", new IntegerType { Minimum = 1, Maximum = 600 }, "How long it runs, in months.", defaultText: "to the end of the run"))),
            .. strategy ? Array.Empty<(string, ObjectType)>() : [("observed", Observed(E))],
        ])
        {
            Description = strategy
                ? "An event a strategy adds to each of its authorities' timelines; the `event` field selects the type."
                : "A dated event in the authority's timeline; the `event` field selects the type.",
            DefinitionName = strategy ? "strategy_event" : "timeline_event",
            Noun = "event type",
        };
    }

    /// <summary>Official figures within the history window (timelines only: a strategy acts after the history).</summary>
    private static ObjectType Observed(Func<string, string, Field[], ObjectType> e) => e("observed",
        "Official figures known at this date, within the history window (from `start` to before `history_until`): every replica's state is set to agree with them, so that the projection starts from what was observed (docs/model.md#observed-figures). Give at least one figure. Workforce figures are read at the end of the month (the DfE census is at 30 September), demand figures at the end of the month (the children in need census is at 31 March).",
        [
            Optional("sw_fte", Positive(), "Permanent social workers in post (FTE)."),
            Optional("agency_fte", AtLeast(0), "Agency social workers (FTE)."),
            Optional("vacancy_fte", AtLeast(0), "Vacant posts (FTE); with the staff in post, gives the establishment."),
            Optional("referrals_per_10k", Range(0, 5000), "Referrals in the 12 months to this date per 10,000 children."),
            Optional("cin_per_10k", Range(0, 5000), "Children in need per 10,000 children, including those on plans and looked after."),
            Optional("cpp_per_10k", Range(0, 1000), "Children on child protection plans per 10,000 children."),
            Optional("cla_per_10k", Range(0, 1000), "Children looked after per 10,000 children."),
        ]);

    public static UnionType TimelineEvent { get; } = Events(strategy: false);

    public static UnionType StrategyEvent { get; } = Events(strategy: true);

    public static readonly string[] CommissionerGroupingNames = ["as_scenario", "per_region", "per_authority"];

    public static ObjectType Strategy { get; } = new("strategy",
    [
        Required("name", new StringType { MinLength = 1 }, "Name (letters, digits, '_' and '-'; unique; 'baseline' is reserved for the scenario as it is)."),
        Optional("description", Text, "What the strategy is, its effects and costs, and their sources."),
        Optional("authorities", new ArrayType(NonEmpty) { MinItems = 1, UniqueItems = true }, "Codes of the authorities its parameters and events apply to.", defaultText: "all"),
        Optional("parameters", Parameters, "Parameter overrides (levers such as `policy.agency_cap`)."),
        Optional("events", new ArrayType(StrategyEvent) { MaxItems = ScenarioLimits.MaxEvents }, "Events added to each selected authority's timeline (at most 10,000)."),
        Optional("commissioners", new EnumType(CommissionerGroupingNames), "Regroup commissioners: one regional improvement commissioner per region, or one per authority.", "as_scenario"),
    ])
    {
        Description = "A named overlay on the scenario: levers (parameters), added events and commissioner grouping. See docs/strategies.md.",
        DefinitionName = "strategy",
    };

    /// <summary>A strategies file (`sim compare --strategies-file`).</summary>
    public static ObjectType StrategiesFile { get; } = new("strategies file",
    [
        Optional("description", Text, "Free text."),
        Required("strategies", new ArrayType(Strategy) { MinItems = 1 }, "The strategies."),
    ]);

    public static ObjectType Initial { get; } = new("initial",
    [
        Required("population", Positive(), "Children aged 0-17 (ONS mid-year estimate)."),
        Optional("population_growth_per_year", Range(-0.2, 0.2), "Proportional growth of the child population per year.", 0.0),
        Required("referrals_per_10k", Range(0, 5000), "Referrals in the year per 10,000 children (DfE C1)."),
        Optional("rereferral_share", Range(0, 1), "Share of referrals within 12 months of a previous referral.", 0.22),
        Optional("cin_start_share", Range(0, 1), "Share of referrals that start a child-in-need episode.", 0.63),
        Optional("no_further_action_share", Range(0, 1), "Share of referrals with no further action (the rest are assessed).", 0.071),
        Required("cin_per_10k", Range(0, 5000), "Children in need at 31 March per 10,000 children, including those on plans and looked after."),
        Required("cpp_per_10k", Range(0, 1000), "Children on child protection plans at 31 March per 10,000 children."),
        Required("cla_per_10k", Range(0, 1000), "Children looked after at 31 March per 10,000 children."),
        Optional("cpp_starts_per_10k", Range(0, 2000), "Child protection plans started in the year per 10,000 children.", defaultText: "from `demand.default_plan_starts_ratio`"),
        Optional("cla_starts_per_10k", Range(0, 1000), "Children starting to be looked after in the year per 10,000.", defaultText: "from `demand.default_care_starts_ratio`"),
        Optional("cla_ceased_per_10k", Range(0, 1000), "Children ceasing to be looked after in the year per 10,000.", defaultText: "from `demand.default_care_exits_ratio`"),
        Required("sw_fte", Positive(), "Permanent children and family social workers in post (FTE, DfE workforce census)."),
        Required("agency_fte", AtLeast(0), "Agency social workers (FTE)."),
        Required("vacancy_fte", AtLeast(0), "Vacant posts (FTE)."),
        Optional("turnover_rate", Range(0, 1), "Permanent leavers in the year / permanent FTE.", defaultText: "`workforce.default_turnover`"),
        Required("caseload", Positive(100), "Cases per case-holding social worker (FTE)."),
        Optional("case_holder_share", Range(0.05, 1), "Case-holding FTE as a share of permanent plus agency FTE.", defaultText: "`workforce.default_case_holder_share`"),
        Optional("absence_rate", Range(0, 0.5), "Share of working time lost to absence.", defaultText: "`workforce.default_absence`"),
        Optional("novice_share", Range(0, 1), "Share of permanent staff in their first two years.", defaultText: "`workforce.default_novice_share`"),
        Optional("academy_intake_per_year", AtLeast(0), "Newly qualified social workers taken on a year.", defaultText: "`workforce.default_academy_share` x establishment"),
        Optional("budget_gbp_m", Positive(), "Annual workforce budget, GBP million.", defaultText: "starting workforce cost x (1 + `finance.budget_headroom`)"),
        Optional("quality", Range(0, 1), "Latent practice quality at the start (the model's 0-1 scale); required when the timeline has no inspection before `start`.", defaultText: "from the last graded inspection before `start`"),
        Optional("culture", Range(0, 1), "Culture of non-compliance at the start (0 none, 1 pervasive).", defaultText: "from the grade history"),
    ])
    {
        Description = "The authority's state at `start`, in the units of the official statistics (maps 1:1 to AuthorityInitialState).",
    };

    public static ObjectType Authority { get; } = new("authority",
    [
        Required("code", NonEmpty, "ONS code of the authority (unique in the scenario), e.g. E08000014."),
        Required("name", NonEmpty, "Name of the authority."),
        Required("region", NonEmpty, "Region (e.g. North West)."),
        Optional("labour_market", NonEmpty, "Labour market the authority recruits in; authorities with the same value share one.", defaultText: "the region"),
        Optional("parameters", Parameters, "Parameter overrides for this authority only, applied after the scenario's."),
        Required("initial", Initial, "State at `start`."),
        Optional("timeline", new ArrayType(TimelineEvent) { MaxItems = ScenarioLimits.MaxEvents }, "Dated events, in any order (sorted by date; ties keep file order; at most 10,000). Events before `start` are history; events from the horizon on are not simulated (a warning)."),
    ])
    {
        Description = "A local authority (council) whose children's services are simulated.",
    };

    public static ObjectType Commissioner { get; } = new("commissioner",
    [
        Required("id", NonEmpty, "Identifier of the commissioner (unique)."),
        Required("oversees", new ArrayType(NonEmpty) { MinItems = 1, UniqueItems = true }, "Codes of the authorities this commissioner oversees; an authority may be in at most one commissioner."),
    ])
    {
        Description = "A commissioner shared by several authorities.",
    };

    public static ObjectType Outputs { get; } = new("outputs",
    [
        Optional("per_replica", Bool, "Also write every replica's monthly metrics (large), not only summaries.", false),
        Optional("metrics", new ArrayType(new EnumType(MetricCatalog.All.Select(m => m.Name).ToList()) { DocName = "metric name" }) { MinItems = 1, UniqueItems = true },
            "Metrics to write, by name (MetricCatalog; see docs/results.md).", defaultText: "all metrics"),
    ])
    {
        Description = "What the run writes.",
    };

    public static ObjectType Root { get; } = new("scenario",
    [
        Required("name", NonEmpty, "Name of the scenario."),
        Optional("description", Text, "Free text."),
        Required("start", Month, "First simulated month (month 0)."),
        Required("horizon_months", new IntegerType { Minimum = 1, Maximum = 600 }, "Number of simulated months."),
        Optional("replicas", new IntegerType { Minimum = 1, Maximum = 10_000_000 }, "Number of Monte Carlo replicas.", 1000m),
        Optional("seed", new IntegerType { Minimum = 0, Maximum = ulong.MaxValue }, "Master random seed (0 to 2^64-1).", 1m),
        Optional("history_until", Month, "Months before this one are known history: inspections, monitoring visits, leader changes and commissioner recommendations happen only as the timelines say. Between `start` and `start` + `horizon_months`.", defaultText: "`start`"),
        Optional("outcomes_from", Month, "Month from which outcome clocks (months to requires improvement, to good) run. Between `start` and `start` + `horizon_months`.", defaultText: "`start`"),
        Optional("parameter_files", new ArrayType(NonEmpty), "Parameter files (paths relative to this file), each a YAML mapping with a `parameters:` mapping; applied in order, before `parameters`."),
        Optional("parameters", Parameters, "Parameter overrides for the whole scenario, applied after `parameter_files`."),
        Required("authorities", new ArrayType(Authority) { MinItems = 1, MaxItems = ScenarioLimits.MaxAuthorities }, "The authorities simulated (at least one, at most 1,000)."),
        Optional("commissioners", new ArrayType(Commissioner), "Commissioners shared by several authorities; every authority not listed gets its own (id `commissioner-<code>`)."),
        Optional("outputs", Outputs, "What the run writes."),
        Optional("strategies", new ArrayType(Strategy), "Named strategies to compare with `sim compare` (overlays on this scenario)."),
    ])
    {
        Description = "A CareSim scenario: authorities, their starting state and timelines, and the run settings.",
    };

    /// <summary>A parameter file named in <c>parameter_files</c>.</summary>
    public static ObjectType ParameterFile { get; } = new("parameter file",
    [
        Optional("description", Text, "Free text (e.g. how the values were fitted)."),
        Required("parameters", Parameters, "Parameter values."),
    ]);
}
