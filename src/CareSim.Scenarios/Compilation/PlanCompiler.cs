using System.Globalization;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;
using CareSim.Model.Time;
using CareSim.Scenarios.Binding;
using CareSim.Scenarios.Format;

namespace CareSim.Scenarios.Compilation;

/// <summary>
/// Turns a bound scenario into a <see cref="SimulationPlan"/>: semantic checks (cross-references,
/// dates, consistency of the initial state) with positions, then months relative to the start,
/// resolved parameters, commissioners and labour markets.
/// </summary>
internal sealed class PlanCompiler(ErrorSink errors)
{
    /// <param name="document">The bound scenario.</param>
    /// <param name="fileParameters">Parameters from <c>parameter_files</c>, in order.</param>
    /// <param name="overrides">Command-line overrides (already validated).</param>
    /// <returns>The plan, or null when something it needs is missing (errors are reported).</returns>
    public SimulationPlan? Compile(ScenarioDocument document, IReadOnlyList<ParameterSetting> fileParameters, ScenarioOverrides? overrides)
    {
        var start = document.Start;
        var horizon = overrides?.HorizonMonths ?? document.HorizonMonths;

        var historyUntil = CheckWithinRun(document, "history_until", document.HistoryUntil, start, horizon, overrides?.HorizonMonths is not null);
        var outcomesFrom = CheckWithinRun(document, "outcomes_from", document.OutcomesFrom, start, horizon, overrides?.HorizonMonths is not null);
        if (start is { } first && horizon is { } months && outcomesFrom is { } outcomeMonth)
            CheckOutcomeWindow(document, first, months, outcomeMonth, overrides?.HorizonMonths is not null);

        var parameters = ModelParameters.Defaults
            .With(fileParameters.Select(p => KeyValuePair.Create(p.Name, p.Value)))
            .With(document.Parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)));

        CheckAuthorityCodes(document);
        var authorityByCode = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var authority in document.Authorities)
        {
            if (authority.Code is { } code) authorityByCode.TryAdd(code, authority.Index);
            CheckInitial(authority, start);
        }
        var commissioners = BuildCommissioners(document, authorityByCode);
        var labourMarkets = BuildLabourMarkets(document);

        var authorities = new List<AuthorityPlan>();
        foreach (var authority in document.Authorities)
        {
            var events = start is { } s && horizon is { } h ? CompileTimeline(authority, s, h, historyUntil ?? 0) : null;
            if (authority is not { Code: { } code, Name: { } name, Region: { } region, Initial: { } initial, LabourMarket: { } market } || events is null)
                continue;
            authorities.Add(new AuthorityPlan
            {
                Code = code,
                Name = name,
                Region = region,
                Initial = initial,
                Parameters = parameters.With(authority.Parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))),
                Events = events,
                CommissionerIndex = commissioners.IndexOf(c => c.AuthorityIndices.Contains(authority.Index)),
                LabourMarketIndex = labourMarkets.IndexOf(m => m.Id == market),
            });
        }

        if (document.Name is not { } scenarioName || start is not { } startMonth || horizon is not { } horizonMonths
            || document.Authorities.Count == 0 || authorities.Count != document.Authorities.Count
            || authorities.Any(a => a.CommissionerIndex < 0 || a.LabourMarketIndex < 0))
            return null;

        return new SimulationPlan
        {
            Name = scenarioName,
            Start = startMonth,
            HorizonMonths = horizonMonths,
            Replicas = overrides?.Replicas ?? document.Replicas,
            Seed = overrides?.Seed ?? document.Seed,
            Authorities = authorities,
            Commissioners = commissioners,
            LabourMarkets = labourMarkets,
            HistoryUntilMonth = historyUntil ?? 0,
            OutcomesFromMonth = outcomesFrom ?? 0,
            Parameters = parameters,
        };
    }

    /// <summary>
    /// A month that must fall within the run, [start, start + horizon]; returns it relative to the
    /// start. When the command line shortens the horizon, a month beyond the new end (but within
    /// the file's) is clamped to it: for history_until with a warning (the whole run is then history).
    /// </summary>
    private int? CheckWithinRun(ScenarioDocument document, string key, SimMonth? month, SimMonth? start, int? horizon, bool horizonOverridden)
    {
        if (month is not { } m || start is not { } s || horizon is not { } h) return null;
        var end = s.AddMonths(h);
        if (m > end && horizonOverridden && (document.HorizonMonths is not { } fileHorizon || m <= s.AddMonths(fileHorizon)))
        {
            // outcomes_from clamped to the end is reported by CheckOutcomeWindow, as an error.
            if (key == "history_until")
                errors.Warn(document.Node.Locate(key),
                $"{key} ({m}) is after the end of the run (--horizon {h} ends it at {end.AddMonths(-1)}): the whole run is history, as the timelines say");
            return h;
        }
        if (m < s || m > end)
        {
            var horizonText = horizonOverridden ? $"--horizon {h}" : "horizon_months";
            errors.At(document.Node.Locate(key),
                $"must be between {s} (start) and {end} (start + {horizonText}), got {m}");
            return null;
        }
        return m.MonthsSince(s);
    }

    /// <summary>The outcome clocks need at least one month between outcomes_from and the end of the run.</summary>
    private void CheckOutcomeWindow(ScenarioDocument document, SimMonth start, int horizon, int outcomesFrom, bool horizonOverridden)
    {
        if (outcomesFrom < horizon || document.OutcomesFrom is not { } from) return;
        var last = start.AddMonths(horizon - 1);
        var cause = horizonOverridden ? $"--horizon {horizon} ends the run at {last}" : $"the run ends at {last} (start + horizon_months - 1)";
        errors.At(document.Node.Locate("outcomes_from"),
            $"no outcome window: {cause}, before outcomes_from ({from}), so months to requires improvement and to good cannot be measured; "
            + (horizonOverridden ? $"give --horizon {from.MonthsSince(start) + 1} or more" : $"set horizon_months to at least {from.MonthsSince(start) + 1} or an earlier outcomes_from"));
    }

    private void CheckAuthorityCodes(ScenarioDocument document)
    {
        var first = new Dictionary<string, AuthorityDocument>(StringComparer.Ordinal);
        foreach (var authority in document.Authorities)
        {
            if (authority.Code is not { } code) continue;
            if (first.TryGetValue(code, out var earlier))
                errors.At(authority.CodeNode ?? authority.Node,
                    $"duplicate authority code '{code}' (also authorities[{earlier.Index}]); codes must be unique");
            else
                first[code] = authority;
        }
    }

    private void CheckInitial(AuthorityDocument authority, SimMonth? start)
    {
        if (authority.InitialNode is not { } initial) return;
        if (initial.Number("cin_per_10k") is { } cin && initial.Number("cpp_per_10k") is { } cpp && initial.Number("cla_per_10k") is { } cla
            && cin < cpp + cla)
        {
            errors.At(initial.Locate("cin_per_10k"),
                $"cin_per_10k ({Format(cin)}) must be at least cpp_per_10k + cla_per_10k ({Format(cpp + cla)}): children in need include those on plans and looked after");
        }

        if (start is { } s && initial.Number("quality") is null && !initial.Has("quality")
            && !authority.Timeline.Any(e => e.Kind == "inspection" && e.Date < s)
            && !TimelineIncomplete(authority))
        {
            errors.At(authority.Node,
                $"no inspection before start ({s}) and no initial.quality: the starting practice quality is unknown; add a graded inspection before {s} to the timeline or set initial.quality (0-1)");
        }
    }

    /// <summary>
    /// Whether some timeline entry could not be read (already an error): it may be the
    /// inspection that would have given the starting quality, so no second error is reported.
    /// </summary>
    private static bool TimelineIncomplete(AuthorityDocument authority) =>
        authority.Node.Array("timeline") is { } timeline
            ? timeline.Items.Count != authority.Timeline.Count
            : authority.Node.Has("timeline");

    private List<TimelineEvent>? CompileTimeline(AuthorityDocument authority, SimMonth start, int horizon, int historyUntil)
    {
        var events = new List<TimelineEvent>();
        // Funded posts as the timeline changes them (in date order), so that a cut cannot take them below zero.
        double? establishment = authority.Initial is { } initial ? initial.SocialWorkerFte + initial.VacancyFte : null;
        foreach (var entry in authority.Timeline.OrderBy(e => e.Date))
        {
            var month = entry.Date.MonthsSince(start);
            var evt = entry.Template with { Month = month };
            if (evt is InspectionEvent inspection)
            {
                if (inspection.Overall is null && entry.Date < start)
                    errors.At(entry.Node,
                        $"missing required field 'grade': an inspection before start ({start}) is history and must give its overall grade ({string.Join(", ", ScenarioFormat.GradeNames)})");
                if (entry.Published is { } published)
                {
                    if (published < entry.Date)
                        errors.At(entry.Node.Locate("published"), $"published ({published}) must not be before date ({entry.Date})");
                    evt = inspection with { PublishedMonth = published.MonthsSince(start) };
                }
            }
            if (evt is ObservedEvent observed)
            {
                if (observed.Workforce is null && observed.Demand is null)
                    errors.At(entry.Node, "an observed event needs at least one figure (sw_fte, agency_fte, vacancy_fte, referrals_per_10k, cin_per_10k, cpp_per_10k, cla_per_10k)");
                if (month < 0 || (month >= historyUntil && month < horizon))
                    errors.At(entry.Node.Locate("date"),
                        $"an observed event must fall within the history window, from start ({start}) to before history_until ({start.AddMonths(historyUntil)}), got {entry.Date}: figures before the start belong in `initial`, and the projection has none");
                if (observed.Demand is { CinPer10k: { } cin } demand && cin < (demand.CppPer10k ?? 0) + (demand.ClaPer10k ?? 0))
                    errors.At(entry.Node.Locate("cin_per_10k"),
                        $"cin_per_10k ({Format(cin)}) must be at least cpp_per_10k + cla_per_10k ({Format((demand.CppPer10k ?? 0) + (demand.ClaPer10k ?? 0))}): children in need include those on plans and looked after");
            }
            if (evt is ObservedEvent { Workforce: { SwFte: { } sw, VacancyFte: { } vacancies } } && establishment is not null)
                establishment = sw + vacancies;
            if (evt is InvestmentEvent investment && month >= 0 && month < horizon && establishment is { } before)
            {
                establishment = before + investment.Posts + investment.PostsShare * (authority.Initial!.SocialWorkerFte + authority.Initial.VacancyFte);
                if (establishment < 0)
                    errors.At(entry.Node.Locate("posts"),
                        $"posts ({Format(investment.Posts)}) would cut the funded posts below zero: {Format(before)} posts (staff in post plus vacancies) before this event");
            }
            if (month < horizon) events.Add(evt);
            else
                errors.Warn(entry.Node.Locate("date"),
                    $"{entry.Date} is after the end of the run ({start.AddMonths(horizon - 1)}): this event is not simulated");
        }
        // List.Sort is not stable; OrderBy is.
        return events.OrderBy(e => e.Month).ToList();
    }

    private List<CommissionerPlan> BuildCommissioners(ScenarioDocument document, Dictionary<string, int> authorityByCode)
    {
        var plans = new List<CommissionerPlan>();
        var assigned = new Dictionary<int, string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var commissioner in document.Commissioners)
        {
            if (commissioner.Id is { } id && !ids.Add(id))
                errors.At(commissioner.Node.Locate("id"), $"duplicate commissioner id '{id}'; ids must be unique");
            var indices = new List<int>();
            foreach (var (code, node) in commissioner.Oversees)
            {
                if (!authorityByCode.TryGetValue(code, out var index))
                {
                    errors.At(node, $"unknown authority code '{code}'" + (NameSuggestions.Closest(code, authorityByCode.Keys) is { } suggestion
                        ? $"; did you mean '{suggestion}'?"
                        : "; expected one of the scenario's authority codes: " + string.Join(", ", authorityByCode.Keys)));
                    continue;
                }
                if (assigned.TryGetValue(index, out var other))
                {
                    errors.At(node, $"authority '{code}' is already overseen by commissioner '{other}'; an authority may be in at most one commissioner");
                    continue;
                }
                assigned[index] = commissioner.Id ?? "?";
                indices.Add(index);
            }
            plans.Add(new CommissionerPlan(commissioner.Id ?? "", indices));
        }
        foreach (var authority in document.Authorities)
        {
            if (assigned.ContainsKey(authority.Index) || authority.Code is not { } code) continue;
            var id = ScenarioFormat.DefaultCommissionerPrefix + code;
            if (!ids.Add(id))
            {
                // Taken by a listed commissioner (an error), or by an authority with the same code (already reported).
                if (document.Commissioners.FirstOrDefault(c => c.Id == id) is { } listed)
                    errors.At(listed.Node.Locate("id"), $"commissioner id '{id}' is reserved for authority '{code}', which has no listed commissioner; choose another id or list '{code}' under oversees");
                id += "#" + authority.Index.ToString(CultureInfo.InvariantCulture);
            }
            plans.Add(new CommissionerPlan(id, [authority.Index]));
        }
        return plans;
    }

    private static List<LabourMarketPlan> BuildLabourMarkets(ScenarioDocument document)
    {
        var order = new List<string>();
        var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var authority in document.Authorities)
        {
            if (authority.LabourMarket is not { } market) continue;
            if (!members.TryGetValue(market, out var list))
            {
                members[market] = list = [];
                order.Add(market);
            }
            list.Add(authority.Index);
        }
        return order.Select(m => new LabourMarketPlan(m, members[m])).ToList();
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

internal static class ListExtensions
{
    public static int IndexOf<T>(this IReadOnlyList<T> list, Func<T, bool> predicate)
    {
        for (var i = 0; i < list.Count; i++)
            if (predicate(list[i])) return i;
        return -1;
    }
}
