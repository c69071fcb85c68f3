namespace CareSim.Model.Parameters;

/// <summary>
/// Every parameter of the model, in one list. Names are "mechanism.parameter"; scenarios
/// override them by name. The source column says where each default comes from: the domain
/// brief, a data file (with the computation), or "assumed" with the reason.
/// </summary>
/// <remarks>Fields are initialised in textual order, which fixes each parameter's index.</remarks>
public static class P
{
    private static readonly List<ParameterDefinition> _all = [];

    /// <summary>All parameters in index order.</summary>
    public static IReadOnlyList<ParameterDefinition> All => _all;

    private static ParameterDefinition Define(string name, double value, double min, double max, string unit,
        string description, string source, double? low = null, double? high = null)
    {
        var definition = new ParameterDefinition(_all.Count, name, value, min, max, unit, description, source)
        {
            UncertainLow = low,
            UncertainHigh = high,
        };
        _all.Add(definition);
        return definition;
    }

    private const string Assumed = "assumed: ";

    // ---------------------------------------------------------------- demand
    public static readonly ParameterDefinition ReferralNoiseSd = Define("demand.referral_noise_sd", 0.10, 0, 1, "log",
        "Month-to-month noise of referrals (standard deviation of the AR(1) log deviation).",
        Assumed + "DfE publishes only annual counts; 0.10 keeps the 12-month sum within a few percent of its level.", 0.05, 0.15);
    public static readonly ParameterDefinition ReferralNoisePersistence = Define("demand.referral_noise_persistence", 0.5, 0, 0.99, "per month",
        "AR(1) coefficient of the month-to-month referral noise.",
        Assumed + "referral surges last a few weeks to months.");
    public static readonly ParameterDefinition ReferralLevelSd = Define("demand.referral_level_sd", 0.32, 0, 2, "log",
        "Long-run standard deviation of an authority's referral level around its starting level and trend (a slowly mean-reverting AR(1) in logs).",
        "data/dfe c1, 2013-2023: the sd of the change in log referrals relative to England is 0.21, 0.28, 0.31, 0.36 and 0.41 over 1, 2, 3, 5 and 8 years; an AR(1) with annual persistence 0.78 and stationary sd 0.32 fits it.", 0.2, 0.4);
    public static readonly ParameterDefinition ReferralLevelPersistence = Define("demand.referral_level_persistence", 0.78, 0, 0.999, "per year",
        "Annual persistence of an authority's referral level (the AR(1) coefficient over 12 months).",
        "data/dfe c1: fitted with demand.referral_level_sd (see there); uncertain range 0.3-0.9 (sim calibrate on each authority's own year-on-year changes went to the earlier lower end, 0.6).", 0.3, 0.9);
    public static readonly ParameterDefinition ReferralTrendPerYear = Define("demand.referral_trend_per_year", 0.0, -0.2, 0.2, "per year",
        "Proportional trend of the referral rate per year.",
        "data/dfe c1: England's referrals were flat, 2013-2023 (about 620,000-650,000 a year).");
    public static readonly ParameterDefinition ScrutinyReferralUplift = Define("demand.scrutiny_referral_uplift", 0.15, 0, 2, "proportion",
        "Rise in referrals accepted while an authority is under scrutiny (improvement notice, direction, or an inadequate grade in the last scrutiny window): thresholds are re-applied and unmet need is found.",
        "data/dfe c1 joined to data/ofsted: over 60 inadequate judgements (2013-2023), referrals in the year of publication were 13% (se 3%) above the year before, relative to England, and 11% two years on; Ofsted 2022 report para. 38-39 (Sefton's front-door review found more children in need).", 0.05, 0.3);
    public static readonly ParameterDefinition ScrutinyPlanUplift = Define("demand.scrutiny_plan_uplift", 0.08, 0, 2, "proportion",
        "Rise in the rate at which children in need start child protection plans while under scrutiny (on top of the rise in referrals).",
        "data/dfe d3 and b1 joined to data/ofsted: plans started rose 16% (se 3%) in the year of an inadequate grade against 8% for children in need, relative to England.", 0.0, 0.16);
    public static readonly ParameterDefinition ScrutinyWindowMonths = Define("demand.scrutiny_window_months", 24, 0, 120, "months",
        "How long after an inadequate grade is published the scrutiny uplifts apply.",
        Assumed + "the typical time from an inadequate grade to the first re-inspection window (data/ofsted: p25 30 months).");
    public static readonly ParameterDefinition RereferralQualitySlope = Define("demand.rereferral_quality_slope", 0.15, 0, 2, "share per quality unit",
        "Rise in the re-referral share for each unit of practice quality lost since the start.",
        Assumed + "a fall from the good band to the inadequate band (0.4 quality units) adds about 6 points, the gap between England (22%) and the worst authorities (data/dfe c1).", 0.05, 0.3);
    public static readonly ParameterDefinition RereferralNoiseSd = Define("demand.rereferral_noise_sd", 0.23, 0, 2, "log",
        "Stationary sd of the AR(1) variation of the re-referral share (besides the quality effect).",
        "data/dfe c1 2013-2023: the log change of authorities' re-referral shares has sd 0.231, 0.282 and 0.309 over 1, 2 and 3 years; an AR(1) with annual persistence 0.49 and stationary sd 0.23 fits it; uncertain range 0.15-0.45 (sim calibrate went to the earlier upper end, 0.3).", 0.15, 0.45);
    public static readonly ParameterDefinition RereferralNoisePersistence = Define("demand.rereferral_noise_persistence", 0.49, 0, 0.999, "per year",
        "Annual persistence of the variation of the re-referral share.", "data/dfe c1: fitted with demand.rereferral_noise_sd.");
    public static readonly ParameterDefinition EntryNoiseSd = Define("demand.entry_noise_sd", 0.4, 0, 2, "log",
        "Stationary standard deviation of the AR(1) noise (a mean-one factor) on the rate at which children in need start child protection plans.",
        "data/baseline (DfE 2021-2023, authorities over 20,000 children): year-on-year log changes of children on plans have sd 0.234; simulated with the referral noise, a mid-sized authority gives 0.21 at 0.35 and about the data's at 0.4 (fitted by sim calibrate, demand stage, to the spread of the log changes of plans).", 0.25, 0.6);
    public static readonly ParameterDefinition CareNoiseSd = Define("demand.care_noise_sd", 0.3, 0, 2, "log",
        "Stationary standard deviation of the AR(1) noise (mean-one factors, each its own) on the rates at which children enter and leave care.",
        "data/baseline, looked-after flows known at 31 March 2021: the log of (children looked after) / (looked after - started + ceased in the year), the stock's change over the year, has sd 0.076 over 150 authorities; 0.3 gives about that in a mid-sized authority (0.35 gave 0.087) and is fitted by sim calibrate (demand stage) to it. Until this parameter, one noise served plans and care and could fit neither (plans change three times as much); uncertain range 0-0.5 (the fit to 2019 went to the earlier lower end 0.1).", 0.0, 0.5);
    public static readonly ParameterDefinition EntryNoisePersistence = Define("demand.entry_noise_persistence", 0.3, 0, 0.999, "per year",
        "Persistence over 12 months of the noise on plan and care flows.",
        "assumed: shifts in practice and court decisions last months, rarely years; the year-on-year spreads above barely depend on it (0.2-0.4).");
    public static readonly ParameterDefinition PlanToCareShare = Define("demand.plan_to_care_share", 0.15, 0, 1, "share",
        "Share of ending child protection plans after which the child becomes looked after.",
        Assumed + "not published by authority in the official statistics; about one in seven.");
    public static readonly ParameterDefinition PlanStepDownShare = Define("demand.plan_step_down_share", 0.55, 0, 1, "share",
        "Share of ending child protection plans stepped down to a child-in-need plan (the rest close).",
        Assumed + "most plans step down before closure.");
    public static readonly ParameterDefinition PermanenceExitShare = Define("demand.permanence_exit_share", 0.5, 0, 1, "share",
        "Share of exits from care that need social-work capacity (adoption, special guardianship, return home) rather than ageing out.",
        Assumed + "DfE's looked-after statistics put adoption, special guardianship and return home at about half of all exits.");
    public static readonly ParameterDefinition PermanenceCapacityElasticity = Define("demand.permanence_capacity_elasticity", 1.0, 0, 4, "elasticity",
        "Exponent of the capacity ratio (reference caseload / effective caseload) in the permanence exit rate: capacity shortfall causes drift and delay.",
        Assumed + "proportional slowing; Sefton 2022 report para. 16 and 20 (drift and delay in permanence).", 0.5, 1.5);

    public static readonly ParameterDefinition DefaultPlanStartsRatio = Define("demand.default_plan_starts_ratio", 1.26, 0, 10, "per year per plan",
        "Plans started in a year per child on a plan at 31 March, when the authority's own figure is missing.",
        "data/dfe d3 and d5: England 2023, 63,870 plans started / 50,780 at 31 March.");
    public static readonly ParameterDefinition DefaultCareStartsRatio = Define("demand.default_care_starts_ratio", 0.40, 0, 10, "per year per child looked after",
        "Children starting care in a year per child looked after at 31 March, when the authority's own figure is missing.",
        "data/dfe cla: England 2023, 33,090 started / 83,750 looked after.");
    public static readonly ParameterDefinition DefaultCareExitsRatio = Define("demand.default_care_exits_ratio", 0.38, 0, 10, "per year per child looked after",
        "Children ceasing care in a year per child looked after at 31 March, when the authority's own figure is missing.",
        "data/dfe cla: England 2023, 31,850 ceased / 83,750 looked after.");

    // ---------------------------------------------------------------- workforce
    public static readonly ParameterDefinition DefaultTurnover = Define("workforce.default_turnover", 0.159, 0, 1, "per year",
        "Annual turnover used when an authority's own figure is missing.",
        "data/dfe csww: England 2023, 15.9%.");
    public static readonly ParameterDefinition LeaverPressureEffect = Define("workforce.leaver_pressure_effect", 1.0, 0, 5, "log hazard per unit",
        "Rise in the log leaver hazard per unit of caseload pressure above the reference.",
        Assumed + "the caseload-turnover loop (Munro systems map; Stahlschmidt 2019) in the brief; 30% over reference raises leaving by about a third.", 0.5, 2.0);
    public static readonly ParameterDefinition LeaverInstabilityEffect = Define("workforce.leaver_instability_effect", 0.5, 0, 5, "log hazard per unit",
        "Rise in the log leaver hazard per unit of leadership instability (1 - stability).",
        Assumed + "the brief's 'lack of stable, senior management'; team stability is among the strongest levers (Stahlschmidt 2019).", 0.2, 1.0);
    public static readonly ParameterDefinition LeaverMoraleEffect = Define("workforce.leaver_morale_effect", 1.0, 0, 5, "log hazard per unit",
        "Rise in the log leaver hazard per unit of morale lost since the start.",
        Assumed + "low morale -> sickness and turnover (Munro loop in the brief).", 0.5, 2.0);
    public static readonly ParameterDefinition LeaverInadequateEffect = Define("workforce.leaver_inadequate_effect", 0.0, 0, 2, "log hazard",
        "Rise in the log leaver hazard while the latest grade is inadequate.",
        "data/dfe csww joined to data/ofsted: across authorities turnover is higher under inadequate grades (median 20.5% against 18.6% under good, 2022), but within authorities turnover did not rise in the year of an inadequate grade (mean log change -0.08 over 30 grades, against +0.02 for all authority-years): no effect beyond the association.", 0.0, 0.2);
    public static readonly ParameterDefinition LeaverNoiseSd = Define("workforce.leaver_noise_sd", 0.45, 0, 2, "log",
        "Stationary standard deviation of the AR(1) noise in the log leaver hazard, a median-one factor: the authority's observed turnover is the median of its forecast (data/dfe csww 2019-2022: next year's turnover over the three-year mean has median 0.92-1.18 across authorities, mean 0.95-1.27) and recruitment replaces the mean leavers.",
        "data/dfe csww 2017-2023 (authorities over 30 FTE): the log change of annual turnover has sd 0.51 at lags of 1 to 4 years, i.e. about 0.36 a year of noise that does not persist; an AR(1) with this sd and persistence 0.2 a year gives that over 12-month sums.", 0.3, 0.6);
    public static readonly ParameterDefinition LeaverNoisePersistence = Define("workforce.leaver_noise_persistence", 0.2, 0, 0.999, "per year",
        "Persistence over 12 months of the noise in the leaver hazard.",
        "data/dfe csww: year-on-year correlation of authorities' turnover is 0.22.");
    public static readonly ParameterDefinition MaxLeaverHazard = Define("workforce.max_leaver_hazard", 0.05, 0.001, 1, "per month",
        "Highest monthly leaver hazard (about 60% a year), whatever the conditions.",
        "data/dfe csww 2017-2023: the highest authority turnover is 50% (Herefordshire 2022, Rutland 2021; the Isles of Scilly's one worker aside).");
    public static readonly ParameterDefinition NoviceHazardMultiplier = Define("workforce.novice_hazard_multiplier", 1.8, 1, 5, "ratio",
        "Leaver hazard of social workers in their first two years relative to experienced ones.",
        "brief: 70% of leavers have under 5 years' service (Community Care, Feb 2023); assumed ratio for under 2 years.", 1.3, 2.5);
    public static readonly ParameterDefinition LeaverShareToOtherAuthority = Define("workforce.leaver_share_to_other_authority", 0.27, 0, 1, "share",
        "Share of leavers who move to another authority.",
        "brief: of the 15.4% who left in 2020-21, 4.2 points moved to another authority (Community Care, May 2022).");
    public static readonly ParameterDefinition LeaverShareToAgency = Define("workforce.leaver_share_to_agency", 0.17, 0, 1, "share",
        "Share of leavers who go to agency work.",
        "brief: 2.6 of 15.4 points went to agency work (Community Care, May 2022).");
    public static readonly ParameterDefinition NoviceProgressionMonths = Define("workforce.novice_progression_months", 24, 1, 120, "months",
        "Mean time a newly qualified social worker counts as a novice.",
        Assumed + "the assessed and supported year in employment plus a second year.");
    public static readonly ParameterDefinition DefaultNoviceShare = Define("workforce.default_novice_share", 0.2, 0, 1, "share",
        "Share of permanent staff in their first two years, when the scenario does not say.",
        Assumed + "not in the official statistics.");
    public static readonly ParameterDefinition NoviceCaseloadWeight = Define("workforce.novice_caseload_weight", 0.8, 0, 1, "ratio",
        "Caseload capacity of a novice relative to an experienced social worker (protected caseloads).",
        Assumed + "ASYE protected caseloads of 80-90%.");
    public static readonly ParameterDefinition RecruitmentVacancyElasticity = Define("workforce.recruitment_vacancy_elasticity", 0.24, 0, 2, "elasticity",
        "Elasticity of experienced recruits per funded post with respect to the vacancy rate: recruitment is mostly replacement and grows little with vacancies.",
        "data/dfe csww 2017-2023, within authorities: the year-on-year change in log starters per FTE against the previous year's change in log vacancy rate has slope 0.24 (702 authority-years; across authorities 0.14, attenuated by noise); uncertain range 0-0.4 (sim calibrate went to the earlier lower end, 0.1).", 0.0, 0.4);
    public static readonly ParameterDefinition RecruitmentNoiseSd = Define("workforce.recruitment_noise_sd", 0.42, 0, 3, "log",
        "Stationary standard deviation of the AR(1) noise (a mean-one factor) on the rate at which experienced social workers are recruited: campaigns, market offers and luck.",
        "data/dfe csww 2017-2023 (authorities over 30 FTE): the log change of starters per FTE has sd 0.48 and 0.49 over 1 and 2 years (881 and 730 pairs), about 0.34 a year of noise in the annual total that hardly persists; a monthly AR(1) with persistence 0.2 a year gives that with stationary sd 0.42. Fitted by sim calibrate (workforce stage) with the spread of FTE changes; uncertain range 0.2-2.0 (the fits at 2019-2023 went to 0.84-1.0, the earlier upper end 1.0, so it was widened: the staff in post change more from year to year than starters alone explain, and this noise then also stands in for the moves the model has no mechanism for, such as restructures and transfers).", 0.2, 2.0);
    public static readonly ParameterDefinition RecruitmentNoisePersistence = Define("workforce.recruitment_noise_persistence", 0.2, 0, 0.999, "per year",
        "Persistence over 12 months of the recruitment noise.",
        "data/dfe csww: starters per FTE barely persist from one year to the next (the spread of the log change is 0.48 at one year and 0.49 at two); as the leaver noise's.");
    public static readonly ParameterDefinition AttractivenessInadequate = Define("workforce.attractiveness_inadequate", -0.4, -3, 0, "log",
        "Effect of an inadequate grade on the rate at which vacancies are filled.",
        "brief: median vacancy rate 29% under inadequate against 10% under outstanding (data/dfe joined to data/ofsted, association); assumed size.", -0.8, -0.1);
    public static readonly ParameterDefinition AttractivenessGood = Define("workforce.attractiveness_good", 0.1, 0, 3, "log",
        "Effect of a good or outstanding grade on the rate at which vacancies are filled.",
        Assumed + "smaller than the inadequate effect; same association as above.");
    public static readonly ParameterDefinition AttractivenessMorale = Define("workforce.attractiveness_morale", 0.5, 0, 3, "log per unit",
        "Effect of morale (relative to the start) on recruitment.", Assumed + "reputation travels by word of mouth.");
    public static readonly ParameterDefinition DefaultAcademyShare = Define("workforce.default_academy_share", 0.05, 0, 1, "per year",
        "Newly qualified intake a year as a share of establishment, when the scenario does not say.",
        Assumed + "about 30% of England's 6,000 starters a year (data/dfe csww) are newly qualified.");
    public static readonly ParameterDefinition AcademyIntakeMonth = Define("workforce.academy_intake_month", 0, 0, 12, "calendar month",
        "Calendar month in which the year's newly qualified intake starts (1-12), or 0 to spread it evenly over the year.",
        "assumed 0: councils take newly qualified staff in several cohorts; a single September cohort puts the whole intake into the DfE census month and biases the 30 September figures (docs/validation.md#backtest).");
    public static readonly ParameterDefinition DefaultCaseHolderShare = Define("workforce.default_case_holder_share", 0.52, 0.1, 1, "share",
        "Case-holding FTE as a share of permanent plus agency FTE, when the authority's own is missing.",
        "data/dfe csww: England 2023, 21,111 case holders / (33,119 + 7,179).");
    public static readonly ParameterDefinition DefaultAbsence = Define("workforce.default_absence", 0.033, 0, 0.5, "share",
        "Absence rate when the authority's own is missing.", "data/dfe csww: England 2023, 3.3%.");
    public static readonly ParameterDefinition AbsencePressureEffect = Define("workforce.absence_pressure_effect", 0.5, 0, 5, "per unit",
        "Proportional rise in absence per unit of caseload pressure above the reference.",
        Assumed + "low morale -> sickness (Munro loop in the brief).");
    public static readonly ParameterDefinition CaseloadReference = Define("workforce.caseload_reference", 16.3, 5, 40, "cases per case holder",
        "Caseload at which pressure is 1.", "data/dfe csww: England 2021, 16.3.");
    public static readonly ParameterDefinition PressureExcessCap = Define("workforce.pressure_excess_cap", 1.0, 0, 10, "pressure",
        "Caseload pressure above the reference beyond which its effects (on leaving, absence, morale, culture, quality, permanence, sub-judgements) no longer grow: managers ration work and further cases go unallocated rather than onto workers.",
        "data/dfe csww 2017-2023: the highest caseload reported is 32.7 (North East Lincolnshire 2019), twice the reference of 16.3; without a limit the overload-turnover loop runs to a complete loss of staff.");
    public static readonly ParameterDefinition EstablishmentNoiseSd = Define("workforce.establishment_noise_sd", 0.106, 0, 1, "log",
        "Stationary sd of the AR(1) variation of an authority's funded posts around their planned level (re-budgeting, restructures).",
        "data/dfe csww 2017-2023 (authorities over 50 FTE): the log change of establishment (FTE + vacancies) has sd 0.093, 0.118 and 0.133 over 1, 2 and 3 years; an AR(1) with annual persistence 0.62 and stationary sd 0.106 fits it; uncertain range 0-0.15 (sim calibrate went to 0.02-0.04, the earlier lower end 0.02: vacancies and agency already move with the recruitment and leaver noise).", 0.0, 0.15);
    public static readonly ParameterDefinition EstablishmentNoisePersistence = Define("workforce.establishment_noise_persistence", 0.62, 0, 0.999, "per year",
        "Annual persistence of the variation of funded posts.", "data/dfe csww: fitted with workforce.establishment_noise_sd.");
    public static readonly ParameterDefinition EstablishmentTrendPerYear = Define("workforce.establishment_trend_per_year", 0.0, -0.2, 0.2, "per year",
        "Proportional growth a year of funded posts, besides investment events, and of the recruitment that fills them (recruits replace leavers and staff the growth).",
        "assumed 0 for scenarios: new posts are a decision (an investment event). Fitted by sim calibrate (workforce stage) to England's growth of staff in post in the data known (data/dfe csww: 2.5% a year over 2017-2023), which the backtests use; uncertain range -0.02 to 0.06.", -0.02, 0.06);
    public static readonly ParameterDefinition AgencyNoiseSd = Define("workforce.agency_noise_sd", 0.0, 0, 2, "log",
        "Stationary sd of extra AR(1) variation of agency use around what vacancies and demand call for (contracts, managed teams, market offers).",
        "data/dfe csww 2017-2023 (authorities with 10+ agency FTE): agency FTE's log change has sd 0.415 a year; in a simulated mid-sized authority vacancies and demand already move agency use by more (0.59), so none is added by default; explored by sensitivity analysis.", 0.0, 0.3);
    public static readonly ParameterDefinition AgencyNoisePersistence = Define("workforce.agency_noise_persistence", 0.61, 0, 0.999, "per year",
        "Annual persistence of the variation of agency use.", "data/dfe csww: fitted with workforce.agency_noise_sd.");
    public static readonly ParameterDefinition CaseHolderNoiseSd = Define("workforce.case_holder_noise_sd", 0.12, 0, 1, "log",
        "Stationary sd of the AR(1) variation of the share of social workers holding cases (managers, specialist and front-door posts).",
        "data/dfe csww 2017-2023 (authorities over 50 FTE): the log change of case holders / (in post + agency) has sd 0.175, 0.185 and 0.196 over 1, 2 and 3 years: mostly short-lived, about 0.12 a year; uncertain range 0-0.18 (the 2023 fit went to the earlier lower end 0.06).", 0.0, 0.18);
    public static readonly ParameterDefinition CaseHolderNoisePersistence = Define("workforce.case_holder_noise_persistence", 0.2, 0, 0.999, "per year",
        "Annual persistence of the variation of the case-holding share.", "data/dfe csww: the spread barely grows with the years apart (see workforce.case_holder_noise_sd).");
    public static readonly ParameterDefinition AgencyVacancyCover = Define("workforce.agency_vacancy_cover", 0.69, 0, 2, "share",
        "Share of additional vacancies (above the starting number) that the authority covers with agency workers.",
        "data/dfe csww headline measures: England 2022, 68.8% of vacancies covered by agency workers.", 0.5, 0.9);
    public static readonly ParameterDefinition AgencyDemandCover = Define("workforce.agency_demand_cover", 0.5, 0, 2, "share",
        "Share of the additional staff needed (for the target caseload, above the starting need at the reference caseload) that the authority covers with agency workers.",
        Assumed + "demand surges are met partly by agency staff and partly by higher caseloads.", 0.25, 0.75);
    public static readonly ParameterDefinition AgencyAdjustRate = Define("workforce.agency_adjust_rate", 0.3, 0, 1, "per month",
        "Share of the gap between wanted and actual agency staff closed each month.",
        Assumed + "agency staff are hired within weeks (the 'fix' in 'fixes that fail', brief section 5).");
    public static readonly ParameterDefinition AgencySupplyShare = Define("workforce.agency_supply_share", 0.04, 0, 1, "per month",
        "Agency workers a labour market can place each month from outside the simulated authorities, as a share of their establishment.",
        Assumed + "agency supply is elastic but not unlimited; England's agency FTE grew about 10% a year in 2020-2023 (data/dfe csww).", 0.02, 0.08);
    public static readonly ParameterDefinition AgencyRateCap = Define("policy.agency_cap", 1.0, 0, 1, "share",
        "Highest agency rate the authority allows (1 = no cap). A lever.", "lever: set by a scenario or strategy.");
    public static readonly ParameterDefinition CaseloadTarget = Define("policy.caseload_target", 16.3, 5, 40, "cases per case holder",
        "Caseload the authority staffs for (permanent plus agency). A lever.", "data/dfe csww: England 2021, 16.3; a caseload cap strategy lowers it.");
    public static readonly ParameterDefinition WithinMarketMoveShare = Define("workforce.within_market_move_share", 0.5, 0, 1, "share",
        "Share of moves to another authority that land in another authority of the same simulated labour market (when it has more than one).",
        Assumed + "most moves are to neighbouring councils; the rest leave the simulated region.");
    public static readonly ParameterDefinition PermanentCostPerFte = Define("finance.permanent_cost_per_fte", 0.046, 0, 1, "GBP m per year",
        "Cost of a permanent social worker a year, with on-costs.", "brief: permanent posts advertised at GBP 35k (local press, 2023); assumed 30% on-costs.");
    public static readonly ParameterDefinition AgencyCostMultiplier = Define("finance.agency_cost_multiplier", 2.5, 1, 5, "ratio",
        "Cost of an agency social worker relative to a permanent one.", "brief: agency staff cost two to three times as much (Dartington).", 2.0, 3.0);

    // ---------------------------------------------------------------- leadership
    public static readonly ParameterDefinition DcsHazard = Define("leadership.dcs_hazard", 1.0 / 37, 0, 1, "per month",
        "Monthly hazard that a permanent director of children's services leaves.", "brief: mean permanent DCS tenure about 37 months (ADCS); uncertain range 1/48 to 1/22 a month (the calibration to the brief's 0.31-0.43 changes a year reached the earlier upper end, 1/28).", 1.0 / 48, 1.0 / 22);
    public static readonly ParameterDefinition CeoHazard = Define("leadership.ceo_hazard", 1.0 / 60, 0, 1, "per month",
        "Monthly hazard that a permanent chief executive leaves.", Assumed + "chief executives stay about five years.");
    public static readonly ParameterDefinition LeadMemberHazard = Define("leadership.lead_member_hazard", 1.0 / 36, 0, 1, "per month",
        "Monthly hazard that the lead member for children changes.", Assumed + "cabinet reshuffles and four-yearly elections.");
    public static readonly ParameterDefinition DcsInterimShare = Define("leadership.dcs_interim_share", 0.3, 0, 1, "share",
        "Share of new directors who start as interims.", "brief: with a permanent hazard of 1/37 and half of interims confirmed, 0.3 gives about 0.37 changes a year per authority, between the long-run 0.31 (47 a year / 152) and 2017-18's 0.43 (65 / 152); Sefton 2021 had an external interim.");
    public static readonly ParameterDefinition CeoInterimShare = Define("leadership.ceo_interim_share", 0.3, 0, 1, "share",
        "Share of new chief executives who start as interims.", Assumed + "less common than for directors.");
    public static readonly ParameterDefinition InterimHazardMultiplier = Define("leadership.interim_hazard_multiplier", 2.0, 1, 10, "ratio",
        "Leaving hazard of an interim relative to a permanent leader.", Assumed + "interim contracts are short.");
    public static readonly ParameterDefinition InterimResolutionRate = Define("leadership.interim_resolution_rate", 0.15, 0, 1, "per month",
        "Monthly rate at which an interim post is resolved by a permanent appointment.", Assumed + "recruiting a permanent director takes about six months.");
    public static readonly ParameterDefinition InterimMadePermanentShare = Define("leadership.interim_made_permanent_share", 0.5, 0, 1, "share",
        "Share of permanent appointments that confirm the interim (no change of person).", "brief: Sefton's Dr Hare went from interim to permanent in 2023 (seed 004); assumed share.");
    public static readonly ParameterDefinition InadequateChurnMultiplier = Define("leadership.inadequate_churn_multiplier", 1.8, 1, 10, "ratio",
        "Leader churn hazard multiplier while the latest grade is inadequate.", "brief: 65 DCS changes in 57 authorities in 2017-18, concentrated in failing councils; assumed size.", 1.3, 2.5);
    public static readonly ParameterDefinition PoliticalPressureMultiplier = Define("leadership.political_pressure_effect", 0.5, 0, 10, "per unit",
        "Proportional rise in leader churn per unit of political pressure (overspend).", "brief: Sefton's new cabinet member and chief executive amid the 2023/24 overspend; assumed size.");
    public static readonly ParameterDefinition DcsRetention = Define("policy.dcs_churn_multiplier", 1.0, 0, 5, "ratio",
        "Multiplier on the director's churn hazard (below 1 = a retention package). A lever.", "lever: set by a scenario or strategy.");
    public static readonly ParameterDefinition LeaderEffectMonths = Define("leadership.effect_months", 6, 0.5, 60, "months",
        "Time constant for a new leader to take effect: effectiveness = 1 - exp(-tenure / this).", "brief: new leaders take months to change practice (seed 000); assumed 6.", 3, 12);
    public static readonly ParameterDefinition InterimEffectiveness = Define("leadership.interim_effectiveness", 0.7, 0, 1, "ratio",
        "Effectiveness of an interim leader relative to a permanent one.", Assumed + "interims hold rather than change.");
    public static readonly ParameterDefinition WeightDcs = Define("leadership.weight_dcs", 0.6, 0, 1, "weight",
        "Weight of the director in leadership stability.", Assumed + "the director runs the service day to day.");
    public static readonly ParameterDefinition WeightCeo = Define("leadership.weight_ceo", 0.25, 0, 1, "weight",
        "Weight of the chief executive in leadership stability.", Assumed + "corporate grip (Ofsted 2022: 'political and executive leadership').");
    public static readonly ParameterDefinition WeightLeadMember = Define("leadership.weight_lead_member", 0.15, 0, 1, "weight",
        "Weight of the lead member in leadership stability.", Assumed + "political oversight.");

    // ---------------------------------------------------------------- quality, culture, morale
    // The grade model's parameters (a hidden Markov chain over sub-levels of the four bands):
    // estimated by maximum likelihood from every full inspection, the workforce census and the
    // intervention record (`sim calibrate --stage grades`, data/calibration/grades); the uncertain
    // range is the fit's 95% bootstrap interval. docs/model.md#grades, docs/calibration.md#grade-model.
    private const string GradeFit = "data/calibration/grades: maximum-likelihood fit to every full inspection 2013-2023 (data/ofsted) with the workforce census (data/dfe csww) and data/interventions.csv; range: 95% bootstrap interval over authorities";
    public static readonly ParameterDefinition UpRateInadequate = Define("quality.up_rate_inadequate", 0.6573, 0.001, 20, "per year",
        "Yearly rate at which an inadequate authority rises to requires improvement (its sub-levels step up three times as fast), at a drive of zero.", GradeFit, 0.09526, 1.514);
    public static readonly ParameterDefinition UpRateRequiresImprovement = Define("quality.up_rate_requires_improvement", 0.4542, 0.001, 20, "per year",
        "Yearly rate from requires improvement up to good, at a drive of zero.", GradeFit, 0.2139, 0.7018);
    public static readonly ParameterDefinition UpRateGood = Define("quality.up_rate_good", 0.119, 0.001, 20, "per year",
        "Yearly rate from good up to outstanding (and of steps within outstanding), at a drive of zero.", GradeFit, 0.08216, 0.1588);
    public static readonly ParameterDefinition DownRateRequiresImprovement = Define("quality.down_rate_requires_improvement", 0.3614, 0.001, 20, "per year",
        "Yearly rate from requires improvement down to inadequate (and of steps within inadequate), at a drive of zero.", GradeFit, 0.02547, 0.7074);
    public static readonly ParameterDefinition DownRateGood = Define("quality.down_rate_good", 0.1067, 0.001, 20, "per year",
        "Yearly rate from good down to requires improvement, at a drive of zero.", GradeFit, 0.02612, 0.241);
    public static readonly ParameterDefinition DownRateOutstanding = Define("quality.down_rate_outstanding", 0.0205, 0.001, 20, "per year",
        "Yearly rate from outstanding down to good, at a drive of zero.", GradeFit, 0.01062, 0.1118);
    public static readonly ParameterDefinition JumpUpRate = Define("quality.jump_up_rate", 0.008492, 0.0001, 20, "per year",
        "Yearly rate of a jump two bands up (inadequate to good, requires improvement to outstanding), at a drive of zero.", GradeFit, 0.003446, 0.02751);
    public static readonly ParameterDefinition JumpDownRate = Define("quality.jump_down_rate", 0.04151, 0.0001, 20, "per year",
        "Yearly rate of a fall two bands (good to inadequate, outstanding to requires improvement), at a drive of zero (Sefton: 'deteriorated since 2016', seed 002).", GradeFit, 0.01226, 0.1341);
    public static readonly ParameterDefinition IlacsRecoveryEffect = Define("quality.ilacs_recovery_effect", 1.229, -5, 5, "log-rate",
        "Under ILACS monitoring (from January 2018, while the last published grade is inadequate), the upward rates out of inadequate (its sub-level steps up, the step to requires improvement and the jump to good) times e^this: the record's re-inspections after an inadequate grade found it again far less often under ILACS (1 of 32) than under the SIF (7 of 19). A fall into inadequate that no inspection has found recovers at the plain rates.", GradeFit, 0.6676, 1.908);
    public static readonly ParameterDefinition QualityAuthoritySd = Define("quality.authority_sd", 0.06209, 0, 3, "log-rate",
        "Standard deviation of an authority's own persistent drive (its upward rates times e^f, downward times e^-f), beyond its current band and sub-level.", GradeFit, 0.03874, 0.2615);
    public static readonly ParameterDefinition QualitySupportWeight = Define("quality.support_weight", 0.1481, -5, 10, "log-rate per unit of support",
        "Drive per unit of external support (adviser, commissioner, partner, trust, programme), in the inadequate band: its upward rates times e^(weight x support), downward divided by it.", GradeFit + " (the support an inadequate grade brings, as the model's direction rules give it, and trusts from data/interventions.csv)", -0.6002, 2.593);
    public static readonly ParameterDefinition QualityAgencyWeight = Define("quality.agency_weight", -0.4157, -10, 10, "log-rate per unit",
        "Drive per unit of agency rate above England's 17% (negative: agency reliance slows improvement and speeds decline).", GradeFit + "; brief: agency reliance raises changes of social worker (Ofsted 2022 para. 41)", -1.851, 0.5978);
    public static readonly ParameterDefinition QualityVacancyWeight = Define("quality.vacancy_weight", 0.3957, -10, 10, "log-rate per unit",
        "Drive per unit of vacancy rate above England's 18.5%.", GradeFit, -1.119, 1.705);
    public static readonly ParameterDefinition QualityTurnoverWeight = Define("quality.turnover_weight", 0.1867, -10, 10, "log-rate per unit",
        "Drive per unit of annual turnover above England's 16.2%.", GradeFit + "; brief: workforce vicious cycle", -1.725, 1.376);
    public static readonly ParameterDefinition QualityLeadershipWeight = Define("quality.leadership_weight", 1.0, 0, 5, "log-rate per unit",
        "Drive per unit of leadership stability gained since the start.", "brief: leadership stability (Ofsted 2022; seed 000); assumed size (the official files hold no director changes by authority, so the fit cannot see it): from unstable (0.3) to stable (0.8) speeds improvement by about two thirds and slows decline by about two fifths.", 0.4, 1.6);
    public static readonly ParameterDefinition QualityExperienceWeight = Define("quality.experience_weight", 0.6, 0, 5, "log-rate per unit",
        "Drive per unit of experienced share of permanent staff gained since the start.", "brief: turnover lowers experience (Stahlschmidt 2019); assumed size (no experience figures by authority).", 0.2, 1.2);
    public static readonly ParameterDefinition QualityPressureWeight = Define("quality.pressure_weight", 1.2, 0, 5, "log-rate per unit",
        "Fall in the drive per unit of caseload pressure above the reference, beyond that at the start.", "brief: Munro loop, overload lowers quality; assumed size (caseloads are flat across grades, brief section 3: the data do not identify it).", 0.4, 2.0);
    public static readonly ParameterDefinition CultureGrowth = Define("quality.culture_growth", 0.05, 0, 1, "per month",
        "Growth of the culture of non-compliance per unit of caseload pressure above the reference.", "brief: 'overwhelmed' staff and a non-compliance coping strategy (seed 002); assumed rate.");
    public static readonly ParameterDefinition CultureDecay = Define("quality.culture_decay", 0.04, 0, 1, "per month",
        "Decay of the culture of non-compliance under fully stable leadership.", "brief: culture changes only under stable leadership (seed 000 'cultural shift'); assumed rate.", 0.02, 0.08);
    public static readonly ParameterDefinition CultureStabilityThreshold = Define("quality.culture_stability_threshold", 0.6, 0, 1, "stability",
        "Leadership stability below which the culture does not decay at all.", Assumed + "culture moves only once leadership has settled.");
    public static readonly ParameterDefinition CultureDrag = Define("quality.culture_drag", 0.7, 0, 1, "share",
        "Share of the improvement rate lost at a full culture of non-compliance.", "brief: the Munro reinforcing loop; assumed size.", 0.4, 0.9);
    public static readonly ParameterDefinition MoraleAdjustRate = Define("quality.morale_adjust_rate", 0.1, 0, 1, "per month",
        "Share of the gap to target morale closed each month.", Assumed + "morale follows conditions within months.");
    public static readonly ParameterDefinition MoralePressureWeight = Define("quality.morale_pressure_weight", 0.4, 0, 2, "morale per unit",
        "Fall in target morale per unit of caseload pressure above the reference.", "brief: Munro loop (low morale <- higher caseloads); assumed size.");
    public static readonly ParameterDefinition MoraleInadequateWeight = Define("quality.morale_inadequate_weight", 0.1, 0, 1, "morale",
        "Fall in target morale while the latest grade is inadequate.", Assumed + "a public inadequate grade weighs on staff.");
    public static readonly ParameterDefinition MoraleLeadershipWeight = Define("quality.morale_leadership_weight", 0.2, 0, 2, "morale per unit",
        "Rise in target morale per unit of leadership stability.", "brief: supervisor support and team stability are the strongest levers (Stahlschmidt 2019); assumed size.");

    public static readonly ParameterDefinition MoraleBaseline = Define("quality.morale_baseline", 0.6, 0, 1, "morale",
        "Target morale with reference caseloads, no inadequate grade and leadership stability of 0.6.", Assumed + "defines the morale scale.");

    // ---------------------------------------------------------------- Ofsted
    public static readonly ParameterDefinition CutInadequate = Define("ofsted.cut_inadequate", 0.35, 0, 1, "quality",
        "Quality below which an inspection grades inadequate (on average).", Assumed + "defines the quality scale.");
    public static readonly ParameterDefinition CutGood = Define("ofsted.cut_good", 0.55, 0, 1, "quality",
        "Quality above which an inspection grades good (on average).", Assumed + "defines the quality scale.");
    public static readonly ParameterDefinition CutOutstanding = Define("ofsted.cut_outstanding", 0.8, 0, 1, "quality",
        "Quality above which an inspection grades outstanding (on average).", Assumed + "defines the quality scale.");
    public static readonly ParameterDefinition SubJudgementSpread = Define("ofsted.sub_judgement_spread", 0.182, 0, 0.9, "probability",
        "Chance (epsilon) that a sub-judgement differs from the overall grade by a band: the band above with probability epsilon x position within the band, below with epsilon x (1 - position).", GradeFit, 0.1603, 0.2024);
    public static readonly ParameterDefinition LeadersJudgementWeight = Define("ofsted.leaders_judgement_weight", 0.5, 0, 2, "position per unit",
        "Shift of the position the leadership sub-judgement sees, per unit of leadership stability above 0.6.", Assumed + "inspectors judge leaders partly on stability; the data hold no stability by authority.");
    public static readonly ParameterDefinition ProtectionJudgementWeight = Define("ofsted.protection_judgement_weight", 0.5, 0, 2, "position per unit",
        "Fall of the position the help-and-protection sub-judgement sees, per unit of caseload pressure above the reference.", "Ofsted 2022 report para. 41 (capacity and delays); assumed size.");
    public static readonly ParameterDefinition CareJudgementWeight = Define("ofsted.care_judgement_weight", 0.5, 0, 2, "position per unit",
        "Fall of the position the children-in-care sub-judgement sees, per unit of permanence delay (1 - capacity factor).", "Ofsted 2022 report para. 16 and 20 (drift and delay in permanence); assumed size.");
    public static readonly ParameterDefinition PublicationLagMonths = Define("ofsted.publication_lag_months", 2, 0, 12, "months",
        "Months from an inspection to its published report (when the grade takes effect).", "brief: Sefton inspected 21 Feb-4 Mar 2022, report published 9 May 2022.");
    public static readonly ParameterDefinition InadequateEarliestMonths = Define("ofsted.inadequate_earliest_months", 24, 0, 120, "months",
        "Earliest re-inspection after an inadequate grade.", "data/ofsted: p10 of the interval after an inadequate grade is 27 months.");
    public static readonly ParameterDefinition InadequateLatestMonths = Define("ofsted.inadequate_latest_months", 48, 0, 120, "months",
        "Latest re-inspection after an inadequate grade.", "data/ofsted: p90 of the interval after an inadequate grade is 48 months.");
    public static readonly ParameterDefinition ReinspectionRateAfterProgress = Define("ofsted.reinspection_rate_after_progress", 0.16, 0, 1, "per month",
        "Monthly chance of re-inspection, once past the earliest month, when the last monitoring visit found adequate progress.", ReinspectionSource);
    public static readonly ParameterDefinition ReinspectionRateWithoutProgress = Define("ofsted.reinspection_rate_without_progress", 0.075, 0, 1, "per month",
        "Monthly chance of re-inspection, once past the earliest month, when the last monitoring visit did not find adequate progress.", ReinspectionSource);
    private const string ReinspectionSource = "data/ofsted: fitted, with the monitoring pace, to the 51 intervals from an inadequate grade to the next inspection (2014-2023: p25 30, p50 35, p75 41, p90 48 months, 16% at 47 or more); simulated p25 27, p50 32, p75 41, p90 48, 17% at the 48-month limit. The split by progress is assumed (about 2:1).";
    public static readonly ParameterDefinition IntervalRiMin = Define("ofsted.interval_ri_min", 36, 0, 120, "months",
        "Shortest interval to the next full inspection after requires improvement.", "data/ofsted: p10 36 months.");
    public static readonly ParameterDefinition IntervalRiMax = Define("ofsted.interval_ri_max", 60, 0, 120, "months",
        "Longest interval to the next full inspection after requires improvement.", "data/ofsted: p90 60 months.");
    public static readonly ParameterDefinition IntervalGoodMin = Define("ofsted.interval_good_min", 37, 0, 120, "months",
        "Shortest interval after good.", "data/ofsted: p10 37 months.");
    public static readonly ParameterDefinition IntervalGoodMax = Define("ofsted.interval_good_max", 63, 0, 120, "months",
        "Longest interval after good.", "data/ofsted: p90 63 months.");
    public static readonly ParameterDefinition IntervalOutstandingMin = Define("ofsted.interval_outstanding_min", 41, 0, 120, "months",
        "Shortest interval after outstanding.", "data/ofsted: p10 41 months (8 intervals).");
    public static readonly ParameterDefinition IntervalOutstandingMax = Define("ofsted.interval_outstanding_max", 63, 0, 120, "months",
        "Longest interval after outstanding.", "data/ofsted: p90 63 months (8 intervals).");
    public static readonly ParameterDefinition OverdueInspectionRate = Define("ofsted.overdue_inspection_rate", 0.21, 0.001, 1, "per month",
        "Monthly chance of a full inspection for an authority whose next inspection fell due before the run could draw it (before the start or within the history).",
        "data/ofsted (data/baseline/inspections.csv, 2014-2023): 12 inspections in 56 authority-months past the 90th percentile of the interval for the last grade (60-63 months after requires improvement or better, 48 after inadequate), 0.21 a month; few months, so comparisons sample 0.1-0.35.", 0.1, 0.35);
    public static readonly ParameterDefinition MonitoringFirstMonths = Define("ofsted.monitoring_first_months", 6, 1, 24, "months",
        "Months from an inadequate grade's publication to the first monitoring visit.", "brief: action plan due within 70 days, then visits; Sefton's first visit about 9 months after (Feb 2023).");
    public static readonly ParameterDefinition MonitoringIntervalMonths = Define("ofsted.monitoring_interval_months", 5, 1, 24, "months",
        "Months between monitoring visits.", "brief: about every 3-6 months.");
    public static readonly ParameterDefinition MonitoringRequiredPace = Define("ofsted.monitoring_required_pace", 0.008, 0, 0.1, "quality per month",
        "Quality gain per month since the inadequate grade that a monitoring visit counts as adequate progress.",
        "assumed so that a typical authority just graded inadequate has adequate progress at about half its visits (46% simulated); with the re-inspection rates, 53% are graded requires improvement or better within 36 months of the judgement (data/ofsted: 51% re-inspected within 36 months, 84% of re-inspections requires improvement or better, so about 43%).", 0.005, 0.011);
    public static readonly ParameterDefinition MonitoringNoise = Define("ofsted.monitoring_noise", 0.02, 0, 0.5, "quality",
        "Standard deviation of a monitoring visit's view of progress.", Assumed + "a visit samples one area of practice.");

    // ---------------------------------------------------------------- intervention
    public static readonly ParameterDefinition AdviserSupport = Define("intervention.adviser_support", 0.3, 0, 1, "support",
        "Support from a DfE adviser under an improvement notice or a direction without commissioner, on the scale where a commissioner gives 0.5.", Assumed + "less than a commissioner; fitted with the grade model it was not identified (docs/calibration.md#grade-model).", 0.1, 0.5);
    public static readonly ParameterDefinition CommissionerSupport = Define("intervention.commissioner_support", 0.5, 0, 1, "support",
        "Support from a commissioner's full attention: the scale of support (quality.support_weight is estimated against it).", Assumed + "sets the support scale; Sefton's commissioner 'support and challenge' (seed 003).");
    public static readonly ParameterDefinition CommissionerAttentionExponent = Define("intervention.commissioner_attention_exponent", 0.5, 0, 2, "exponent",
        "How a commissioner's support thins when shared: support per authority = commissioner support / (authorities under direction)^this.",
        Assumed + "a regional commissioner works through local teams, so attention thins less than proportionally.", 0.25, 1.0);
    public static readonly ParameterDefinition CommissionerOtherAuthorities = Define("intervention.commissioner_other_authorities", 0, 0, 50, "authorities",
        "Authorities outside the scenario, under direction, that each commissioner also oversees (a regional improvement commissioner shares attention with the rest of the region).",
        "brief section 1 (the Review's regional commissioners); 0 for an ordinary commissioner. data/ofsted: about 9-14% of authorities are inadequate at a time, so about 2-3 of the North West's 24.");
    public static readonly ParameterDefinition PartnerSupport = Define("intervention.partner_support", 0.5, 0, 1, "support",
        "Support from partnering with a stronger council.", Assumed + "sector-led improvement partners.", 0.3, 0.7);
    public static readonly ParameterDefinition TrustSupport = Define("intervention.trust_support", 0.4, 0, 1, "support",
        "Support and focus gained from running services in a trust, on the scale where a commissioner gives 0.5.", Assumed + "brief section 4: trusts had mixed results; the record's eight trust spells cannot identify it (docs/calibration.md#grade-model).", 0.2, 0.6);
    public static readonly ParameterDefinition SupportRampMonths = Define("intervention.support_ramp_months", 3, 0.5, 24, "months",
        "Time constant for support to take effect.", Assumed + "an adviser or commissioner needs a few months to get going.");
    public static readonly ParameterDefinition ReviewMonths = Define("intervention.review_months", 4, 1, 24, "months",
        "Months from a commissioner's appointment to the review's recommendation.", "brief: Sefton's commissioner appointed May 2022, report completed Sep 2022.");
    public static readonly ParameterDefinition CapacityNoise = Define("intervention.capacity_noise", 0.1, 0, 1, "capacity",
        "Standard deviation of the commissioner's error in assessing capacity to improve.", Assumed + "a few months' review.");
    public static readonly ParameterDefinition CapacityLeadershipWeight = Define("intervention.capacity_leadership_weight", 0.6, 0, 1, "weight",
        "Weight of leadership stability in the capacity to improve (the rest is morale).", "brief: the commissioner judged the new leadership team (seed 000); assumed weight.");
    public static readonly ParameterDefinition CapacityKeepThreshold = Define("intervention.capacity_keep_threshold", 0.45, 0, 1, "capacity",
        "Assessed capacity at or above which the commissioner recommends keeping services with oversight.",
        Assumed + "most reviews kept services in the council, despite the presumption of removal (brief sections 1 and 4).", 0.35, 0.55);
    public static readonly ParameterDefinition CapacityPartnerThreshold = Define("intervention.capacity_partner_threshold", 0.35, 0, 1, "capacity",
        "Assessed capacity at or above which (and below the keep threshold) the commissioner recommends a partner council; below it, removal to a trust.",
        Assumed + "partnering suits councils with some capacity.");
    public static readonly ParameterDefinition RemovalTransitionMonths = Define("intervention.removal_transition_months", 9, 0, 36, "months",
        "Months from a removal recommendation to services transferring to a trust.", Assumed + "trusts took most of a year to set up (brief section 4).");
    public static readonly ParameterDefinition RemovalQualityShock = Define("intervention.removal_quality_shock", 0.45, 0, 1, "probability",
        "Chance that the transfer of services drops practice one sub-level at once (disruption).", "brief: 'would distract from its improvement' (seed 000); assumed size.", 0.0, 0.9);
    public static readonly ParameterDefinition RemovalTurnoverMultiplier = Define("intervention.removal_turnover_multiplier", 1.3, 1, 5, "ratio",
        "Leaver hazard multiplier in the disruption months after a transfer.", Assumed + "staff leave during a transfer of employer.");
    public static readonly ParameterDefinition RemovalDisruptionMonths = Define("intervention.removal_disruption_months", 6, 0, 36, "months",
        "Length of the disruption after a transfer.", Assumed + "TUPE transfer and restructuring.");
    public static readonly ParameterDefinition TrustChurnMultiplier = Define("intervention.trust_churn_multiplier", 0.7, 0, 5, "ratio",
        "Leader churn multiplier once services run in a trust.", "brief: Sunderland's trust leadership team (seed 000); assumed size.");
    public static readonly ParameterDefinition AdviserCost = Define("intervention.adviser_cost", 0.01, 0, 1, "GBP m per month",
        "Monthly cost of a DfE adviser.", Assumed + "a senior day rate for a few days a week.");
    public static readonly ParameterDefinition CommissionerCost = Define("intervention.commissioner_cost", 0.02, 0, 1, "GBP m per month",
        "Monthly cost of a commissioner and team (shared when a commissioner oversees several authorities).", Assumed + "a senior day rate plus support.");
    public static readonly ParameterDefinition PartnerCost = Define("intervention.partner_cost", 0.03, 0, 1, "GBP m per month",
        "Monthly cost of a partnership with another council.", Assumed + "seconded managers.");
    public static readonly ParameterDefinition TrustSetupCost = Define("intervention.trust_setup_cost", 3.0, 0, 50, "GBP m",
        "One-off cost of setting up a trust.", Assumed + "legal, IT and transfer costs.");
    public static readonly ParameterDefinition TrustOverheadShare = Define("intervention.trust_overhead_share", 0.05, 0, 1, "share",
        "Running overhead of a trust as a share of workforce cost.", Assumed + "a separate board and corporate services.");
    public static readonly ParameterDefinition CommissionerTrigger = Define("policy.commissioner_on_any_inadequate", 0, 0, 1, "0 or 1",
        "1: appoint a commissioner on any inadequate overall grade (the Independent Review's proposal); 0: only when every judgement is inadequate or the previous grade was inadequate too.",
        "brief section 1: the threshold was 'inadequate across the board'; the Review proposes 'inadequate overall'.");
    public static readonly ParameterDefinition PersistentRiIntervention = Define("policy.intervene_on_persistent_ri", 0, 0, 1, "0 or 1",
        "1: a second consecutive requires-improvement grade brings an improvement notice and adviser (the Review's proposal).",
        "brief section 1 and seed 001.");

    // ---------------------------------------------------------------- finance
    public static readonly ParameterDefinition BudgetHeadroom = Define("finance.budget_headroom", 0.05, -0.5, 1, "share",
        "Workforce budget above the starting workforce cost, when the scenario gives no budget.", Assumed + "councils budget near current spend.");
    public static readonly ParameterDefinition OverspendPressureScale = Define("finance.overspend_pressure_scale", 0.1, 0.001, 1, "share of budget",
        "Overspend over 12 months, as a share of the annual budget, at which political pressure reaches 1.", "brief: Sefton's GBP 6.5m agency overspend against a GBP 80m budget (8%) in 2023/24; assumed scale.");
}
