using CareSim.Model.Plan;
using CareSim.Scenarios.Format;
using CareSim.Scenarios.Yaml;

namespace CareSim.Scenarios.Binding;

/// <summary>Reads validated nodes (see <see cref="ScenarioFormat"/>) into typed documents.</summary>
internal static class ScenarioBinder
{
    public static ScenarioDocument Bind(VObject root) => new(root)
    {
        Name = root.String("name"),
        Description = root.String("description"),
        Start = root.Month("start"),
        HorizonMonths = (int?)root.Integer("horizon_months"),
        Replicas = (int?)root.Integer("replicas") ?? 1000,
        Seed = (ulong?)root.Integer("seed") ?? 1,
        HistoryUntil = root.Month("history_until"),
        OutcomesFrom = root.Month("outcomes_from"),
        ParameterFiles = Items(root.Array("parameter_files"))
            .Select(n => new ParameterFileReference((string)((VScalar)n).Value, n)).ToList(),
        Parameters = BindParameters(root.Object("parameters")),
        Authorities = Indexed(root.Array("authorities")).Select(t => BindAuthority((VObject)t.Node, t.Index)).ToList(),
        Commissioners = Items(root.Array("commissioners")).Select(n => BindCommissioner((VObject)n)).ToList(),
        Outputs = BindOutputs(root.Object("outputs")),
        Strategies = BindStrategies(root.Array("strategies")),
    };

    public static IReadOnlyList<StrategyDocument> BindStrategies(VArray? strategies) =>
        Items(strategies).Select(n => BindStrategy((VObject)n)).ToList();

    private static StrategyDocument BindStrategy(VObject o) => new(o)
    {
        Name = o.String("name"),
        Description = o.String("description") ?? "",
        Authorities = o.Array("authorities") is { } list ? Items(list).Select(n => ((string)((VScalar)n).Value, n)).ToList() : null,
        Parameters = BindParameters(o.Object("parameters")),
        Events = Items(o.Array("events")).Select(n => BindStrategyEvent((VObject)n)).OfType<StrategyEventEntry>().ToList(),
        Commissioners = o.String("commissioners") switch
        {
            "per_region" => CommissionerGrouping.PerRegion,
            "per_authority" => CommissionerGrouping.PerAuthority,
            _ => CommissionerGrouping.AsScenario,
        },
    };

    private static StrategyEventEntry? BindStrategyEvent(VObject o) =>
        o.Variant is { } kind && Template(o, kind) is { } template
            ? new StrategyEventEntry(o, kind, o.Month("date"), (int?)o.Integer("offset_months"), template)
            : null;

    /// <summary>The valid items of a list (invalid ones were reported).</summary>
    private static IEnumerable<VNode> Items(VArray? array) => array?.Items.OfType<VNode>() ?? [];

    /// <summary>The valid items of a list with their indices in the file.</summary>
    private static IEnumerable<(VNode Node, int Index)> Indexed(VArray? array) =>
        array?.Items.Select((n, i) => (n, i)).Where(t => t.n is not null).Select(t => (t.n!, t.i)) ?? [];

    public static IReadOnlyList<ParameterSetting> BindParameters(VObject? parameters) =>
        parameters?.Entries.Select(e => new ParameterSetting(e.Key, (double)((VScalar)e.Value).Value, e.Value)).ToList() ?? [];

    private static AuthorityDocument BindAuthority(VObject node, int index)
    {
        var initial = node.Object("initial");
        return new AuthorityDocument(node, index)
        {
            Code = node.String("code"),
            CodeNode = node["code"],
            Name = node.String("name"),
            Region = node.String("region"),
            LabourMarket = node.String("labour_market") ?? node.String("region"),
            Parameters = BindParameters(node.Object("parameters")),
            InitialNode = initial,
            Initial = initial is null ? null : BindInitial(initial),
            Timeline = Items(node.Array("timeline")).Select(n => BindEvent((VObject)n)).OfType<EventEntry>().ToList(),
        };
    }

    private static AuthorityInitialState? BindInitial(VObject o)
    {
        if (o.Number("population") is not { } population
            || o.Number("referrals_per_10k") is not { } referrals
            || o.Number("cin_per_10k") is not { } cin
            || o.Number("cpp_per_10k") is not { } cpp
            || o.Number("cla_per_10k") is not { } cla
            || o.Number("sw_fte") is not { } sw
            || o.Number("agency_fte") is not { } agency
            || o.Number("vacancy_fte") is not { } vacancy
            || o.Number("caseload") is not { } caseload)
            return null;
        var state = new AuthorityInitialState
        {
            Population = population,
            ReferralsPer10k = referrals,
            CinPer10k = cin,
            CppPer10k = cpp,
            ClaPer10k = cla,
            SocialWorkerFte = sw,
            AgencyFte = agency,
            VacancyFte = vacancy,
            Caseload = caseload,
            CppStartsPer10k = o.Number("cpp_starts_per_10k"),
            ClaStartsPer10k = o.Number("cla_starts_per_10k"),
            ClaCeasedPer10k = o.Number("cla_ceased_per_10k"),
            TurnoverRate = o.Number("turnover_rate"),
            CaseHolderShare = o.Number("case_holder_share"),
            AbsenceRate = o.Number("absence_rate"),
            NoviceShare = o.Number("novice_share"),
            AcademyIntakePerYear = o.Number("academy_intake_per_year"),
            BudgetGbpM = o.Number("budget_gbp_m"),
            Quality = o.Number("quality"),
            Culture = o.Number("culture"),
        };
        if (o.Number("population_growth_per_year") is { } growth) state = state with { PopulationGrowthPerYear = growth };
        if (o.Number("rereferral_share") is { } rereferral) state = state with { RereferralShare = rereferral };
        if (o.Number("cin_start_share") is { } cinStart) state = state with { CinStartShare = cinStart };
        if (o.Number("no_further_action_share") is { } nfa) state = state with { NoFurtherActionShare = nfa };
        return state;
    }

    /// <summary>The event, or null when its date or a required field is missing or invalid.</summary>
    private static EventEntry? BindEvent(VObject o)
    {
        if (o.Month("date") is not { } date || o.Variant is not { } kind || Template(o, kind) is not { } template) return null;
        return new EventEntry(o, kind, date, template) { Published = o.Month("published") };
    }

    /// <summary>The model event (month 0) of an event mapping, or null when a required field is missing or invalid.</summary>
    private static TimelineEvent? Template(VObject o, string kind) =>
        kind switch
        {
            "inspection" => new InspectionEvent(0, Grade(o, "grade"), Grade(o, "leaders"), Grade(o, "help_and_protection"), Grade(o, "children_in_care")),
            "monitoring_visit" => new MonitoringVisitEvent(0, o.Bool("adequate")),
            "leader_change" => Role(o) is { } role ? new LeaderChangeEvent(0, role, o.Bool("interim") ?? false) : null,
            "leader_made_permanent" => Role(o) is { } role ? new LeaderMadePermanentEvent(0, role) : null,
            "improvement_notice" => new ImprovementNoticeEvent(0),
            "direction" => new DirectionEvent(0, o.Bool("commissioner") ?? true),
            "commissioner_review" => new CommissionerReviewEvent(0, o.String("recommendation") switch
            {
                "keep_with_oversight" => Recommendation.KeepWithOversight,
                "partner" => Recommendation.Partner,
                "remove_to_trust" => Recommendation.RemoveToTrust,
                _ => null,
            }),
            "direction_lifted" => new DirectionLiftedEvent(0),
            "removal" => new RemovalEvent(0),
            "partnership" => new PartnershipEvent(0),
            "investment" => new InvestmentEvent(0, o.Number("budget_gbp_m_per_year") ?? 0, o.Number("posts") ?? 0, o.Number("academy_intake_per_year") ?? 0,
                o.Number("posts_share") ?? 0, o.Number("academy_share") ?? 0, o.Number("budget_share") ?? 0),
            "budget" => o.Number("annual_gbp_m") is { } annual ? new BudgetEvent(0, annual) : null,
            "programme" => new ProgrammeEvent(0, o.Number("cost_gbp_m_per_year") ?? 0, o.Number("support") ?? 0, (int?)o.Integer("months"), o.Number("cost_share") ?? 0),
            "observed" => Observed(o),
            _ => throw new InvalidOperationException($"event type '{kind}' is in the format but not bound"),
        };

    private static ObservedEvent Observed(VObject o)
    {
        var workforce = new WorkforceObservation(o.Number("sw_fte"), o.Number("agency_fte"), o.Number("vacancy_fte"));
        var demand = new DemandObservation(o.Number("referrals_per_10k"), o.Number("cin_per_10k"), o.Number("cpp_per_10k"), o.Number("cla_per_10k"));
        return new ObservedEvent(0,
            workforce is { SwFte: null, AgencyFte: null, VacancyFte: null } ? null : workforce,
            demand is { ReferralsPer10k: null, CinPer10k: null, CppPer10k: null, ClaPer10k: null } ? null : demand);
    }

    private static Grade? Grade(VObject o, string key) =>
        o.String(key) is { } text && GradeNames.TryParse(text, out var grade) ? grade : null;

    private static LeaderRole? Role(VObject o) => o.String("role") switch
    {
        "dcs" => LeaderRole.Dcs,
        "chief_executive" => LeaderRole.ChiefExecutive,
        "lead_member" => LeaderRole.LeadMember,
        _ => null,
    };

    private static CommissionerDocument BindCommissioner(VObject o) =>
        new(o, o.String("id"), Items(o.Array("oversees")).Select(n => ((string)((VScalar)n).Value, n)).ToList());

    private static ScenarioOutputs BindOutputs(VObject? o)
    {
        if (o is null) return ScenarioOutputs.Default;
        var metrics = o.Array("metrics") is { } list
            ? Items(list).Select(n => (string)((VScalar)n).Value).ToList()
            : ScenarioOutputs.Default.Metrics;
        return new ScenarioOutputs(o.Bool("per_replica") ?? false, metrics);
    }
}
