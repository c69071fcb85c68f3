using System.Text;
using CareSim.Engine.Output;
using CareSim.Model.Time;
using CareSim.Reports.Charts;
using CareSim.Reports.Input;

namespace CareSim.Reports.Writing;

/// <summary>
/// Writes report.md and its charts (into the staging folder of <see cref="OutputFolder"/>). Every
/// sentence is generated from the numbers of the results directory; nothing else is claimed.
/// </summary>
internal sealed class ReportWriter
{
    private const string RequiresImprovementOutcome = "months_to_requires_improvement";
    private const string GoodOutcome = "months_to_good";

    private static readonly (string Key, string Label, ScottPlot.Color Color)[] Grades =
    [
        ("inadequate", "inadequate", ChartRenderer.Inadequate),
        ("requires_improvement", "requires improvement", ChartRenderer.RequiresImprovement),
        ("good", "good", ChartRenderer.Good),
        ("outstanding", "outstanding", ChartRenderer.Outstanding),
    ];

    private readonly ResultsData _data;
    private readonly ObservedFigures? _observed;
    private readonly IReadOnlyDictionary<string, string> _names;
    private readonly OutputFolder _output;
    private readonly ChartSize _size;
    private readonly CancellationToken _cancellation;
    private readonly List<string> _charts = [];
    private readonly StringBuilder _md = new();

    public ReportWriter(ResultsData data, ObservedFigures? observed, IReadOnlyDictionary<string, string> names, OutputFolder output,
        ChartSize size, CancellationToken cancellation)
    {
        _data = data;
        _observed = observed;
        _names = names;
        _output = output;
        _size = size;
        _cancellation = cancellation;
    }

    /// <summary>The chart files written, in order.</summary>
    public IReadOnlyList<string> Charts => _charts;

    private ManifestInfo Manifest => _data.Manifest;
    private string Futures => $"{Fmt.Count(Manifest.Replicas)} simulated futures";

    public string Write()
    {
        if (_data.IsComparison)
        {
            Line($"# {Manifest.Scenario}: strategies compared");
            Line();
            Line($"Made by `sim report` from the comparison directory `{_data.Directory}` (written by `sim compare`). Every figure below is computed "
                 + "from its files (comparison.csv, manifest.json and each strategy's outcome_cdf.csv" + (_data.Sensitivity is not null ? ", sensitivity.csv" : "") + (_data.Sobol is not null ? ", sobol.csv" : "") + ").");
            Line();
            WhatWasRun();
            StrategiesTable();
            foreach (var authority in Manifest.Authorities)
            {
                _cancellation.ThrowIfCancellationRequested();
                ImprovementByStrategy(authority);
            }
        }
        else
        {
            Line($"# {Manifest.Scenario}: simulation report");
            Line();
            Line($"Made by `sim report` from the results directory `{_data.Directory}`. Every figure below is computed from its files "
                 + "(summary.csv, outcomes.csv, outcome_cdf.csv, totals.csv, manifest.json"
                 + (_data.Sensitivity is not null ? ", sensitivity.csv" : "") + (_data.Sobol is not null ? ", sobol.csv" : "") + (_data.Comparison is not null ? ", comparison.csv" : "") + ").");
            Line();
            if (Manifest.Authorities.Count > 1) AcrossAuthorities();
            WhatWasRun();
            foreach (var authority in Manifest.Authorities)
            {
                _cancellation.ThrowIfCancellationRequested();
                AuthoritySection(authority);
            }
        }
        if (HasSensitivity) SensitivitySection();
        if (_data.Comparison is { Count: > 0 } comparison) ComparisonSection(comparison);
        return _md.ToString();
    }

    // ---- Markdown helpers ----

    private void Line(string text = "") => _md.Append(text).Append('\n');

    private void Row(params string[] cells) => Line("| " + string.Join(" | ", cells.Select(Fmt.Cell)) + " |");

    /// <param name="align">One letter per column: l (left) or r (right).</param>
    private void Header(string align, params string[] cells)
    {
        Row(cells);
        Line("|" + string.Join("|", cells.Select((_, i) => i < align.Length && align[i] == 'r' ? "---:" : "---")) + "|");
    }

    private void Image(string file, string alt, string caption)
    {
        Line($"![{alt}]({file})");
        Line();
        Line($"*{caption.Replace("*", "\\*", StringComparison.Ordinal)}*");
        Line();
    }

    private string Name(string authority) =>
        _names.TryGetValue(authority, out var n) ? n : authority == "all" ? "All authorities" : authority;

    private string Title(string authority) => Name(authority) == authority || authority == "all" ? Name(authority) : $"{Name(authority)} ({authority})";

    private static string Anchor(string authority) => authority.ToLowerInvariant();

    private static string FileName(params string[] parts) =>
        string.Join("-", parts.Select(p => new string(p.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '_').ToArray()))) + ".png";

    private string ChartPath(string file)
    {
        _charts.Add(file);
        return _output.PathOf(file);
    }

    // ---- What was run ----

    private void WhatWasRun()
    {
        Line("## What was run");
        Line();
        Header("ll", "", "");
        Row("Scenario", Manifest.Scenario);
        if (Manifest.ScenarioFile is { } file)
            Row("Scenario file", $"`{file}`" + (Manifest.ScenarioSha256 is { Length: >= 12 } sha ? $" (SHA-256 `{sha[..12]}…`)" : ""));
        Row("Authorities", string.Join(", ", Manifest.Authorities.Select(Title)));
        Row("Simulated months", $"{Fmt.MonthName(Manifest.Start)} to {Fmt.MonthName(Manifest.End)} ({Fmt.Count(Manifest.HorizonMonths)} months)");
        Row("Outcome clocks from", $"{Fmt.MonthName(_data.OutcomesFrom)} ({_data.OutcomesFromSource})");
        Row(_data.IsComparison ? "Replicas per strategy (simulated futures)" : "Replicas (simulated futures)", Fmt.Count(Manifest.Replicas));
        if (_data.IsComparison && Manifest.RankBy is { } rankBy) Row("Strategies ranked on", $"{MeasureLabel(rankBy)} (`{rankBy}`)");
        Row("Seed", Manifest.Seed);
        if (Manifest.Engine is { } engine) Row("Engine", engine);
        if (Manifest.ToolVersion is { } version) Row("Tool version", $"{Manifest.Tool ?? "sim"} {version}");
        if (Manifest.CreatedUtc is { } created) Row("Run created", Fmt.Timestamp(created));
        if (!_data.IsComparison)
            Row("Official figures", _observed is null
            ? "not overlaid (add `--observed data` to overlay the official statistics)"
            : $"`{_observed.Directory}` (DfE and Ofsted statistics, Open Government Licence v3.0)");
        Line();
        if (!_data.IsComparison)
            Line("How to read the charts: a fan chart shows, month by month, how the simulated futures spread. The light band holds 90% "
             + "of them (5th to 95th percentile), the dark band the middle 50% (25th to 75th), the solid line is the median and the "
             + "dashed line the mean. Each month's value is the state at the end of that month."
             + (_observed is null ? "" : " Black points are official figures (DfE): the workforce at 30 September, demand at 31 March of each year."));
        if (!_data.IsComparison) Line();
        if (Manifest.Authorities.Count > 1 && !_data.IsComparison)
        {
            foreach (var a in Manifest.Authorities) Line($"- [{Title(a)}](#{Anchor(a)})");
            if (HasSensitivity) Line("- [What drives it](#what-drives-it)");
            if (_data.Comparison is { Count: > 0 }) Line("- [Strategies compared with the baseline](#strategies-compared-with-the-baseline)");
            Line();
        }
    }

    // ---- Across authorities (a run of several) ----

    /// <summary>
    /// The league table and the map the dashboard shows for a run of several authorities: every
    /// authority's chances of requires improvement and good or better by the end, median times and
    /// total cost, sorted by P(good or better by the end); the map shaded by that probability.
    /// </summary>
    private void AcrossAuthorities()
    {
        Line("## Across authorities");
        Line();
        var end = Manifest.End;
        double? By(string authority, string outcome) =>
            _data.Cdfs.TryGetValue((authority, outcome), out var cdf) ? ShareBy(cdf, end) : null;
        var rows = Manifest.Authorities.Select(a => (
                Code: a, Good: By(a, GoodOutcome), Ri: By(a, RequiresImprovementOutcome),
                Outcomes: OutcomesOf(a), Cost: _data.Totals.FirstOrDefault(t => t.Authority == a)?.MeanTotalCost))
            .OrderByDescending(r => r.Good ?? -1).ThenBy(r => Name(r.Code), StringComparer.Ordinal).ToList();

        var cells = HexLayout.For(Manifest.Authorities.Select(a => (a, Name(a), Manifest.AuthorityRegions.GetValueOrDefault(a, "Other"))));
        var file = FileName("across_authorities", "p_good_by_end");
        ChartRenderer.HexMap(ChartPath(file), new ChartSize(_size.Width, (int)(_size.Width * 1.05)),
            $"P(good or better at a full inspection by {Fmt.ShortMonth(end)})", cells, rows.ToDictionary(r => r.Code, r => r.Good), 0, 1, Fmt.Percent);
        Image(file, "Hex map of the authorities shaded by the probability of good or better by the end",
            $"One hex per authority, gathered by region (positions within a region are alphabetical, not geographic), shaded from 0% (light) to 100% (dark): "
            + $"the share of the {Futures} with a full inspection graded good or better by {Fmt.MonthName(end)}.");

        Header("lllrrrrr", "#", "Authority", "Region", $"P(RI or better by {Fmt.ShortMonth(end)})", $"P(good or better by {Fmt.ShortMonth(end)})",
            "Median months to RI", "Median months to good", "Total cost (GBP m)");
        var rank = 0;
        foreach (var r in rows)
        {
            string Median(string outcome) => r.Outcomes.FirstOrDefault(o => o.Outcome == outcome) is { } o
                ? o.P50 is { } m ? Fmt.Fixed(m, "0") : $"> {o.HorizonMonths}" : "";
            Row((++rank).ToString(System.Globalization.CultureInfo.InvariantCulture), $"[{Name(r.Code)}](#{Anchor(r.Code)})",
                Manifest.AuthorityRegions.GetValueOrDefault(r.Code, ""), r.Ri is { } ri ? Fmt.Percent(ri) : "", r.Good is { } g ? Fmt.Percent(g) : "",
                Median(RequiresImprovementOutcome), Median(GoodOutcome), r.Cost is { } c ? Fmt.Fixed(c, "0.0") : "");
        }
        Line();
        Line($"Sorted by the chance of good or better by the end. Months count from {Fmt.MonthName(_data.OutcomesFrom)}; "
             + "the dashboard (sim serve) shows the same table and map, sortable and shaded by other measures.");
        Line();
    }

    // ---- Comparison directories ----

    private static readonly ScottPlot.Color[] StrategyColors =
    [
        ScottPlot.Color.FromHex("#000000"), ScottPlot.Color.FromHex("#0072B2"), ScottPlot.Color.FromHex("#E69F00"), ScottPlot.Color.FromHex("#009E73"),
        ScottPlot.Color.FromHex("#CC79A7"), ScottPlot.Color.FromHex("#D55E00"), ScottPlot.Color.FromHex("#56B4E9"), ScottPlot.Color.FromHex("#F0E442"),
        ScottPlot.Color.FromHex("#7F7F7F"), ScottPlot.Color.FromHex("#8C564B"), ScottPlot.Color.FromHex("#9467BD"), ScottPlot.Color.FromHex("#17BECF"),
    ];

    private List<string> StrategyNames() =>
        Manifest.Strategies.Count > 0
            ? Manifest.Strategies.Select(s => s.Name).ToList()
            : (_data.Comparison ?? []).Select(r => r.Strategy).Distinct(StringComparer.Ordinal).ToList();

    private void StrategiesTable()
    {
        if (Manifest.Strategies.Count == 0) return;
        Line("## Strategies");
        Line();
        Header("ll", "Strategy", "What it does");
        foreach (var s in Manifest.Strategies)
        {
            var dir = Path.Combine(_data.Directory, s.Results);
            var name = Directory.Exists(dir) ? $"[{s.Name}]({RelativeLink(dir)})" : s.Name;
            Row(name, s.Description ?? "");
        }
        Line();
        Line("Each strategy's results directory is a normal results directory: `sim report` on it gives that strategy's full report.");
        Line();
    }

    private void ImprovementByStrategy(string authority)
    {
        var strategies = StrategyNames().Where(_data.StrategyCdfs.ContainsKey).ToList();
        var outcomes = strategies.SelectMany(s => _data.StrategyCdfs[s].Keys).Where(k => k.Authority == authority).Select(k => k.Outcome)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(o => o switch { RequiresImprovementOutcome => 0, GoodOutcome => 1, _ => 2 }).ThenBy(o => o, StringComparer.Ordinal).ToList();
        if (outcomes.Count == 0) return;
        var name = Name(authority);
        Line($"<a id=\"{Anchor(authority)}\"></a>");
        Line();
        Line($"## {Title(authority)}: how likely improvement is, by when, under each strategy");
        Line();
        var ends = YearEnds();
        var from = Fmt.EndOf(_data.OutcomesFrom.AddMonths(-1));
        var to = Fmt.EndOf(Manifest.End);
        foreach (var outcome in outcomes)
        {
            var label = OutcomeLabel(outcome);
            Line($"### Graded {label}");
            Line();
            Header("l" + new string('r', ends.Count), ["Strategy", .. ends.Select(e => "by " + Fmt.ShortMonth(e) + (e == Manifest.End ? " (end)" : ""))]);
            var lines = new List<LineData>();
            for (var i = 0; i < strategies.Count; i++)
            {
                if (!_data.StrategyCdfs[strategies[i]].TryGetValue((authority, outcome), out var cdf)) continue;
                Row([strategies[i], .. ends.Select(e => Fmt.Percent(ShareBy(cdf, e)))]);
                var count = Math.Min(cdf.ShareByMonth.Count, Manifest.End.MonthsSince(_data.OutcomesFrom) + 1);
                if (count <= 0) continue;
                lines.Add(new LineData(strategies[i], StrategyColors[i % StrategyColors.Length],
                    Enumerable.Range(0, count).Select(m => Fmt.EndOf(_data.OutcomesFrom.AddMonths(m))).ToArray(),
                    Enumerable.Range(0, count).Select(m => cdf.ShareByMonth[m] * 100).ToArray(), Step: true, Dashed: strategies[i] == "baseline"));
            }
            Line();
            if (lines.Count == 0) continue;
            var file = FileName(authority, "strategies", outcome);
            ChartRenderer.Lines(ChartPath(file), _size, $"{name}: graded {label} by date, by strategy", "Futures graded this or better (%)",
                lines, from, to, percent: true, [new ReferenceLine(50, "50%")]);
            var best = strategies.Where(s => _data.StrategyCdfs[s].ContainsKey((authority, outcome)))
                .Select(s => (s, share: ShareBy(_data.StrategyCdfs[s][(authority, outcome)], Manifest.End)))
                .OrderByDescending(x => x.share).ThenBy(x => x.s, StringComparer.Ordinal).First();
            Image(file, $"{name}: graded {label} by date, by strategy",
                $"The share of each strategy's {Futures} in which a full inspection has graded {name} {label}, by month of inspection from {Fmt.MonthName(_data.OutcomesFrom)}. "
                + $"Highest by {Fmt.MonthName(Manifest.End)}: {best.s} ({Fmt.Percent(best.share)}).");
        }
    }

    // ---- One authority ----

    private void AuthoritySection(string authority)
    {
        Line($"<a id=\"{Anchor(authority)}\"></a>");
        Line();
        Line($"## {Title(authority)}");
        Line();
        Headline(authority);
        Improvement(authority);
        GradesSection(authority);
        MetricGroup(authority, "What the workforce will look like", MetricDisplay.Workforce,
            MetricDisplay.FanCharts.Where(MetricDisplay.Workforce.Contains).ToList());
        MetricGroup(authority, "Demand", MetricDisplay.Demand, MetricDisplay.FanCharts.Where(MetricDisplay.Demand.Contains).ToList());
        PracticeQuality(authority);
        OtherMetrics(authority);
        if (_observed is not null) ObservedComparison(authority);
    }

    private string OutcomeLabel(string outcome) => outcome switch
    {
        RequiresImprovementOutcome => "requires improvement or better",
        GoodOutcome => "good or better",
        _ when outcome.StartsWith("months_to_", StringComparison.Ordinal) => Fmt.Words(outcome["months_to_".Length..]) + " or better",
        _ => Fmt.Words(outcome),
    };

    private static ScottPlot.Color OutcomeColor(string outcome, int index) => outcome switch
    {
        RequiresImprovementOutcome => ChartRenderer.RequiresImprovement,
        GoodOutcome => ChartRenderer.Good,
        _ => index % 2 == 0 ? ChartRenderer.Simulation : ChartRenderer.Reference,
    };

    /// <summary>The outcome rows of an authority: requires improvement first, then good, then any others.</summary>
    /// <summary>The improvement outcomes (requires improvement or better, good or better) of an authority.</summary>
    private List<OutcomeRow> OutcomesOf(string authority) =>
        _data.Outcomes.Where(o => o.Authority == authority && o.Outcome is RequiresImprovementOutcome or GoodOutcome)
            .OrderBy(o => o.Outcome switch { RequiresImprovementOutcome => 0, GoodOutcome => 1, _ => 2 })
            .ThenBy(o => o.Outcome, StringComparer.Ordinal)
            .ToList();

    /// <summary>The share of futures that reached an outcome at an inspection in or before <paramref name="month"/>.</summary>
    private double ShareBy(OutcomeCdf cdf, SimMonth month) => cdf.Within(month.MonthsSince(_data.OutcomesFrom));

    /// <summary>Year ends (Decembers) from the outcome clock's start to the end of the run, and the end itself if it is not a December.</summary>
    private List<SimMonth> YearEnds()
    {
        var result = new List<SimMonth>();
        for (var y = _data.OutcomesFrom.Year; y <= Manifest.End.Year; y++)
        {
            var december = new SimMonth(y, 12);
            if (december >= _data.OutcomesFrom && december <= Manifest.End) result.Add(december);
        }
        if (result.Count == 0 || result[^1] != Manifest.End) result.Add(Manifest.End);
        return result;
    }

    private string MedianText(OutcomeRow o)
    {
        if (o.P50 is { } m)
            return $"{Fmt.Months(m)} from {Fmt.MonthName(_data.OutcomesFrom)} ({Fmt.MonthName(_data.OutcomesFrom.AddMonths((int)Math.Round(m)))})";
        return $"beyond the horizon (more than {Fmt.Months(o.HorizonMonths)} from {Fmt.MonthName(_data.OutcomesFrom)})";
    }

    private void Headline(string authority)
    {
        Line("### Headline");
        Line();
        var name = Name(authority);
        foreach (var o in OutcomesOf(authority))
        {
            var cdf = _data.Cdfs[(authority, o.Outcome)];
            var label = OutcomeLabel(o.Outcome);
            Line($"- In {Fmt.Percent(ShareBy(cdf, Manifest.End))} of the {Futures} {name} is graded {label} at a full inspection by "
                 + $"{Fmt.MonthName(Manifest.End)}, the end of the run. Median time: {MedianText(o)}.");
        }
        if (_data.Totals.FirstOrDefault(t => t.Authority == authority) is { } totals)
        {
            if (totals.FinalGradeShares.Count > 0)
            {
                var parts = Grades.Where(g => totals.FinalGradeShares.ContainsKey(g.Key))
                    .Select(g => $"{g.Label} in {Fmt.Percent(totals.FinalGradeShares[g.Key])}");
                Line($"- At the end of the run the latest published grade is {JoinAnd(parts)} of the futures.");
            }
            Line($"- Total cost over the run: mean GBP {Fmt.Fixed(totals.MeanTotalCost, "0.0")}m"
                 + (totals.TotalCostP10 is { } lo && totals.TotalCostP90 is { } hi ? $" (80% of futures between GBP {Fmt.Fixed(lo, "0.0")}m and {Fmt.Fixed(hi, "0.0")}m)." : "."));
        }
        var workforce = new[] { "sw_fte", "agency_rate", "vacancy_rate", "turnover_rate", "caseload" }
            .Select(m => _data.Find(authority, m)).OfType<MetricSeries>()
            .Select(s =>
            {
                var d = MetricDisplay.For(s.Metric);
                return $"{d.Label.ToLowerInvariant()} {d.Show(s.Last.Mean)}{d.Suffix} ({d.Show(s.Last.P10)} to {d.Show(s.Last.P90)})";
            }).ToList();
        if (workforce.Count > 0)
            Line($"- Workforce in {Fmt.MonthName(Manifest.End)} (mean, and the range of 80% of futures): {string.Join("; ", workforce)}.");
        if (_data.Sensitivity is { Count: > 0 } sensitivity)
        {
            foreach (var group in DriverGroups(sensitivity, r => r.MuStar).Where(g => g.Authority is null || g.Authority == authority))
            {
                var top = group.Rows[0];
                Line($"- What drives {MeasureLabel(group.Outcome).ToLowerInvariant()} most: `{top.Parameter}` (μ\\* = {Fmt.Number(top.MuStar)}{UnitSuffix(ShortUnit(top.Unit))}; "
                     + "see [What drives it](#what-drives-it)).");
            }
        }
        if (_data.Sobol is { Count: > 0 } sobol)
        {
            foreach (var group in DriverGroups(sobol, r => r.Total).Where(g => g.Authority is null || g.Authority == authority))
            {
                var top = group.Rows[0];
                Line($"- Largest share of the variance of {MeasureLabel(group.Outcome).ToLowerInvariant()}: `{top.Parameter}` (total-order Sobol index {Index(top.Total)}, "
                     + $"95% interval {Index(top.TotalLow)} to {Index(top.TotalHigh)}; see [What drives it](#what-drives-it)).");
            }
        }
        Line();
    }

    /// <summary>Bars drawn in a sensitivity chart (the table lists every parameter).</summary>
    private const int MaxBars = 20;

    /// <summary>"months (restricted mean)" -> "months".</summary>
    private static string ShortUnit(string unit)
    {
        var at = unit.IndexOf(" (", StringComparison.Ordinal);
        return at > 0 ? unit[..at] : unit;
    }

    private static string UnitSuffix(string unit) => unit.Length == 0 ? "" : " " + unit;

    private static string JoinAnd(IEnumerable<string> parts)
    {
        var list = parts.ToList();
        return list.Count switch
        {
            0 => "",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1],
        };
    }

    private void Improvement(string authority)
    {
        var outcomes = OutcomesOf(authority);
        if (outcomes.Count == 0) return;
        var name = Name(authority);
        Line("### How likely improvement is, by when");
        Line();
        var ends = YearEnds();
        Header("l" + new string('r', ends.Count) + "l", ["Graded at a full inspection", .. ends.Select(e => "by " + Fmt.ShortMonth(e) + (e == Manifest.End ? " (end)" : "")), "Median time"]);
        foreach (var o in outcomes)
        {
            var cdf = _data.Cdfs[(authority, o.Outcome)];
            Row([OutcomeLabel(o.Outcome), .. ends.Select(e => Fmt.Percent(ShareBy(cdf, e))), MedianText(o)]);
        }
        Line();
        var lag = Manifest.Parameter(authority, "ofsted.publication_lag_months");
        Line($"Shares of the {Futures}. Months count from {Fmt.MonthName(_data.OutcomesFrom)} to the month of the first full inspection "
             + "with that grade or better" + (lag is { } l ? $"; the report is published about {Fmt.Months(l)} later (ofsted.publication_lag_months)." : "."));
        Line();
        NextInspection(authority);

        // The cumulative chart: months of the run from the outcome clock's start.
        var lines = new List<LineData>();
        var from = Fmt.EndOf(_data.OutcomesFrom.AddMonths(-1));
        var to = Fmt.EndOf(Manifest.End);
        for (var i = 0; i < outcomes.Count; i++)
        {
            var cdf = _data.Cdfs[(authority, outcomes[i].Outcome)];
            var count = Math.Min(cdf.ShareByMonth.Count, Manifest.End.MonthsSince(_data.OutcomesFrom) + 1);
            if (count <= 0) continue;
            var dates = Enumerable.Range(0, count).Select(m => Fmt.EndOf(_data.OutcomesFrom.AddMonths(m))).ToArray();
            lines.Add(new LineData(OutcomeLabel(outcomes[i].Outcome), OutcomeColor(outcomes[i].Outcome, i), dates,
                Enumerable.Range(0, count).Select(m => cdf.ShareByMonth[m] * 100).ToArray(), Step: true));
        }
        if (lines.Count == 0) return;
        var file = FileName(authority, "improvement");
        ChartRenderer.Lines(ChartPath(file), _size, $"{name}: probability of improvement by date",
            "Futures graded this or better (%)", lines, from, to, percent: true, [new ReferenceLine(50, "50%")]);
        var sentences = new List<string>();
        var lastFullYear = ends.Count > 1 ? ends[^2] : ends[0];
        foreach (var o in outcomes)
        {
            var cdf = _data.Cdfs[(authority, o.Outcome)];
            sentences.Add($"In {Fmt.Percent(ShareBy(cdf, lastFullYear))} of the {Futures} {name} is graded {OutcomeLabel(o.Outcome)} by {Fmt.MonthName(lastFullYear)}"
                          + (lastFullYear != Manifest.End ? $" ({Fmt.Percent(ShareBy(cdf, Manifest.End))} by {Fmt.MonthName(Manifest.End)})." : "."));
        }
        Image(file, $"{name}: probability of improvement by date",
            $"The share of futures in which a full inspection has graded {name} this or better, by month of inspection (from {Fmt.MonthName(_data.OutcomesFrom)}). "
            + string.Join(" ", sentences));
    }

    /// <summary>The grade of the first full inspection from the outcome clock's start (next_inspection.csv).</summary>
    private void NextInspection(string authority)
    {
        var shares = _data.NextInspection.Where(n => n.Authority == authority).ToList();
        if (shares.Count == 0) return;
        var timing = _data.Outcomes.FirstOrDefault(o => o.Authority == authority && o.Outcome == "months_to_next_inspection");
        Line($"Grade of the next full inspection (the first from {Fmt.MonthName(_data.OutcomesFrom)}):");
        Line();
        Header("lr", "Grade", "Share of futures");
        foreach (var (_, grade, share) in shares)
            Row(grade == "none_within_horizon" ? "no full inspection by the end" : grade.Replace('_', ' '), Fmt.Percent(share));
        Line();
        if (timing is not null) Line($"Median time to the next full inspection: {MedianText(timing)}.");
        Line();
    }

    private void GradesSection(string authority)
    {
        var name = Name(authority);
        var gradeSeries = Grades.Select(g => (g, s: _data.Find(authority, "grade_p_" + g.Key))).Where(x => x.s is not null).ToList();
        var judgedSeries = Grades.Select(g => (g, s: _data.Find(authority, "judged_p_" + g.Key))).Where(x => x.s is not null).ToList();
        if (gradeSeries.Count == 0 && judgedSeries.Count == 0) return;
        Line("### Ofsted grades over time");
        Line();
        var from = Fmt.EndOf(Manifest.Start.AddMonths(-1));
        var to = Fmt.EndOf(Manifest.End);
        if (gradeSeries.Count > 0)
        {
            var dates = gradeSeries[0].s!.Points.Select(p => Fmt.EndOf(p.Month)).ToArray();
            var layers = gradeSeries.Select(x => new AreaLayer(x.g.Label, x.g.Color,
                AlignTo(gradeSeries[0].s!, x.s!).Select(v => v * 100).ToArray())).ToList();
            var file = FileName(authority, "grades");
            ChartRenderer.StackedArea(ChartPath(file), _size, $"{name}: latest published Ofsted grade", "Futures with this latest grade (%)", dates, layers, from, to);
            var end = gradeSeries.Select(x => $"{x.g.Label} in {Fmt.Percent(x.s!.Last.Mean)}");
            Image(file, $"{name}: latest published grade",
                $"The share of futures whose latest published overall grade is each grade, month by month. In {Fmt.MonthName(gradeSeries[0].s!.Last.Month)}: {JoinAnd(end)}.");
        }
        if (judgedSeries.Count > 0)
        {
            var lines = judgedSeries.Select(x => new LineData(x.g.Label, x.g.Color, x.s!.Points.Select(p => Fmt.EndOf(p.Month)).ToArray(),
                x.s.Points.Select(p => p.Mean * 100).ToArray())).ToList();
            var file = FileName(authority, "judged");
            ChartRenderer.Lines(ChartPath(file), _size, $"{name}: grade a full inspection would give", "Probability (%)", lines, from, to, percent: true);
            var caption = new StringBuilder("The probability that a full inspection in that month would give each grade (whether or not one took place).");
            var good = judgedSeries.Where(x => x.g.Key is "good" or "outstanding").Select(x => x.s!).ToList();
            if (good.Count > 0)
            {
                var first = good[0];
                var sums = first.Points.Select((p, i) => (p.Month, Value: good.Sum(s => s.At(p.Month)?.Mean ?? 0))).ToList();
                var best = sums.OrderByDescending(s => s.Value).ThenBy(s => s.Month).First();
                caption.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $" Good or better: {Fmt.Percent(sums[^1].Value)} in {Fmt.MonthName(sums[^1].Month)}; highest {Fmt.Percent(best.Value)} ({Fmt.MonthName(best.Month)}).");
            }
            if (judgedSeries.FirstOrDefault(x => x.g.Key == "inadequate").s is { } inadequate)
                caption.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $" Requires improvement or better: {Fmt.Percent(1 - inadequate.Last.Mean)} in {Fmt.MonthName(inadequate.Last.Month)}.");
            Image(file, $"{name}: grade an inspection would give", caption.ToString());
        }
    }

    /// <summary>The values of <paramref name="series"/> at the months of <paramref name="reference"/> (NaN where missing).</summary>
    private static IEnumerable<double> AlignTo(MetricSeries reference, MetricSeries series) =>
        reference.Points.Select(p => series.At(p.Month)?.Mean ?? double.NaN);

    private void MetricGroup(string authority, string heading, IReadOnlyList<string> tableMetrics, IReadOnlyList<string> chartMetrics)
    {
        var present = tableMetrics.Where(m => _data.Find(authority, m) is not null).ToList();
        if (present.Count == 0) return;
        Line($"### {heading}");
        Line();
        MetricTable(authority, present);
        foreach (var metric in chartMetrics)
        {
            if (_data.Find(authority, metric) is { } series) FanChart(authority, series, []);
        }
    }

    private void MetricTable(string authority, IReadOnlyList<string> metrics)
    {
        var first = Manifest.Start;
        Header("llrrr", "Measure", "Unit", Fmt.ShortMonth(first) + " (mean)", Fmt.ShortMonth(Manifest.End) + " (mean)", "80% of futures");
        foreach (var metric in metrics)
        {
            var s = _data.Find(authority, metric)!;
            var d = MetricDisplay.For(metric);
            Row(d.Label, d.Unit, s.At(first) is { } p0 ? d.Show(p0.Mean) : "", d.Show(s.Last.Mean), $"{d.Show(s.Last.P10)} to {d.Show(s.Last.P90)}");
        }
        Line();
        Line($"Means and the range that holds 80% of the {Futures} (10th to 90th percentile) in {Fmt.MonthName(Manifest.End)}"
             + (_data.MetricsOf(authority).Any() && _data.Find(authority, metrics[0])!.Last.Month != Manifest.End ? " (the last month in summary.csv)" : "") + ".");
        Line();
    }

    private void FanChart(string authority, MetricSeries series, IReadOnlyList<ReferenceLine> lines, string? extraCaption = null)
    {
        var name = Name(authority);
        var d = MetricDisplay.For(series.Metric);
        var from = Fmt.EndOf(Manifest.Start.AddMonths(-1));
        var to = Fmt.EndOf(Manifest.End);
        var points = series.Points;
        var fan = new FanData(points.Select(p => Fmt.EndOf(p.Month)).ToArray(),
            points.Select(p => d.Plot(p.P05)).ToArray(), points.Select(p => d.Plot(p.P25)).ToArray(), points.Select(p => d.Plot(p.P50)).ToArray(),
            points.Select(p => d.Plot(p.P75)).ToArray(), points.Select(p => d.Plot(p.P95)).ToArray(), points.Select(p => d.Plot(p.Mean)).ToArray());
        var observed = ObservedInRange(authority, series.Metric, from, to);
        var file = FileName(authority, series.Metric);
        ChartRenderer.Fan(ChartPath(file), _size, $"{name}: {d.Label.ToLowerInvariant()}", d.AxisLabel, fan, from, to,
            observed.Select(o => (o.Date.ToDateTime(TimeOnly.MinValue), d.Plot(o.Value))).ToList(), lines);

        var caption = new StringBuilder($"{d.Label} ({d.Unit}): mean {d.Show(series.First.Mean)} in {Fmt.MonthName(series.First.Month)}, "
            + $"{d.Show(series.Last.Mean)} in {Fmt.MonthName(series.Last.Month)}, when 80% of the futures lie between {d.Show(series.Last.P10)} and {d.Show(series.Last.P90)}.");
        if (extraCaption is not null) caption.Append(' ').Append(extraCaption);
        if (observed.Count > 0)
        {
            caption.Append(System.Globalization.CultureInfo.InvariantCulture,
                $" Points: official figures (DfE) at {ObservedFigures.ReferenceDay(series.Metric)} of each year.");
            var latest = observed[^1];
            if (series.At(SimMonth.FromDate(latest.Date)) is { } at)
            {
                var inv = System.Globalization.CultureInfo.InvariantCulture;
                caption.Append(SetFromData(d, latest.Value, at)
                    ? string.Create(inv, $" The latest, {d.Show(latest.Value)} at {Fmt.Date(latest.Date)}, was set from the data in every future (the scenario's observed figures).")
                    : string.Create(inv, $" The latest, {d.Show(latest.Value)} at {Fmt.Date(latest.Date)}, is {Inside(d, latest.Value, at.P10, at.P90)} the simulated 80% range for that month ({d.Show(at.P10)} to {d.Show(at.P90)})."));
            }
        }
        Image(file, $"{name}: {d.Label}", caption.ToString());
    }

    /// <summary>"inside", "outside", or "just outside" when the value and the bound it misses look the same once rounded.</summary>
    private static string Inside(MetricDisplay d, double value, double low, double high)
    {
        if (value >= low && value <= high) return "inside";
        var bound = value < low ? low : high;
        return d.Show(value) == d.Show(bound) ? "just outside" : "outside";
    }

    /// <summary>
    /// True when every future holds the official figure in that month: the scenario set it from the
    /// data (an `observed` event), so it is an input, not a test of the model.
    /// (The scenario's figure may be rounded differently from the dataset's, so the two need only
    /// agree as shown.)
    /// </summary>
    private static bool SetFromData(MetricDisplay d, double value, SummaryPoint s)
    {
        var scale = Math.Max(1.0, Math.Abs(value));
        return Math.Abs(s.P95 - s.P05) <= 1e-9 * scale && (Math.Abs(s.Mean - value) <= 1e-6 * scale || d.Show(s.Mean) == d.Show(value));
    }

    private List<ObservedPoint> ObservedInRange(string authority, string metric, DateTime from, DateTime to)
    {
        if (_observed is null || !ObservedFigures.Covers(metric)) return [];
        return _observed.For(authority, metric)
            .Where(o => o.Date.ToDateTime(TimeOnly.MinValue) >= from && o.Date.ToDateTime(TimeOnly.MinValue) <= to)
            .ToList();
    }

    private void PracticeQuality(string authority)
    {
        if (_data.Find(authority, "practice_quality") is not { } series) return;
        Line("### Practice quality");
        Line();
        var cuts = new List<ReferenceLine>();
        var parts = new List<string>();
        foreach (var (parameter, label) in new[] { ("ofsted.cut_inadequate", "requires improvement"), ("ofsted.cut_good", "good"), ("ofsted.cut_outstanding", "outstanding") })
        {
            if (Manifest.Parameter(authority, parameter) is not { } cut) continue;
            cuts.Add(new ReferenceLine(cut, $"{label} from {Fmt.Number(cut)}"));
            parts.Add($"{label} from {Fmt.Number(cut)}");
        }
        var extra = parts.Count > 0
            ? $"Dotted lines: the Ofsted cut points on the model's scale ({string.Join(", ", parts)}; manifest parameters ofsted.cut_*)."
            : null;
        FanChart(authority, series, cuts, extra);
    }

    private void OtherMetrics(string authority)
    {
        var shown = new HashSet<string>(MetricDisplay.Workforce.Concat(MetricDisplay.Demand).Append("practice_quality"), StringComparer.Ordinal);
        var others = _data.MetricsOf(authority).Where(m => !shown.Contains(m) && !MetricDisplay.IsGradeMetric(m)).ToList();
        if (others.Count == 0) return;
        Line("### Other metrics");
        Line();
        MetricTable(authority, others);
    }

    private void ObservedComparison(string authority)
    {
        var rows = new List<(MetricDisplay D, ObservedPoint O, SummaryPoint S)>();
        foreach (var metric in _data.MetricsOf(authority).Where(ObservedFigures.Covers))
        {
            var series = _data.Find(authority, metric)!;
            foreach (var o in _observed!.For(authority, metric))
            {
                if (series.At(SimMonth.FromDate(o.Date)) is { } s) rows.Add((MetricDisplay.For(metric), o, s));
            }
        }
        Line("### Official figures against the simulation");
        Line();
        if (rows.Count == 0)
        {
            Line($"`{_observed!.Directory}` has no official figures for {authority} in the months of the run ({Fmt.MonthName(Manifest.Start)} to {Fmt.MonthName(Manifest.End)}).");
            Line();
            return;
        }
        Header("llrrrll", "Measure", "Date", "Official (DfE)", "Simulated mean", "80% of futures", "Inside 80%", "Inside 90%");
        int in80 = 0, in90 = 0, set = 0;
        foreach (var (d, o, s) in rows)
        {
            if (SetFromData(d, o.Value, s))
            {
                set++;
                Row(d.Label, Fmt.Date(o.Date), d.Show(o.Value), d.Show(s.Mean), $"{d.Show(s.P10)} to {d.Show(s.P90)}", "set from the data", "set from the data");
                continue;
            }
            var i80 = o.Value >= s.P10 && o.Value <= s.P90;
            var i90 = o.Value >= s.P05 && o.Value <= s.P95;
            if (i80) in80++;
            if (i90) in90++;
            Row(d.Label, Fmt.Date(o.Date), d.Show(o.Value), d.Show(s.Mean), $"{d.Show(s.P10)} to {d.Show(s.P90)}",
                YesNo(Inside(d, o.Value, s.P10, s.P90)), YesNo(Inside(d, o.Value, s.P05, s.P95)));
        }
        Line();
        var tested = rows.Count - set;
        var setNote = set == 0 ? "" : $" {set} of them were set from the data in every future (the scenario's observed figures), so they are inputs, not tests; of the other {tested},";
        Line($"Of the {rows.Count} official figures that fall in the months of the run,{setNote} {in80} lie inside the simulated 80% range of their month "
             + $"and {in90} inside the 90% range (5th to 95th percentile). The model's value for a month is compared with the figure at the end of that month.");
        Line();
    }

    private static string YesNo(string inside) => inside switch
    {
        "inside" => "yes",
        "just outside" => "no (just outside)",
        _ => "no",
    };

    // ---- Sensitivity ----

    /// <summary>One authority's (or every authority's) rows on one outcome, largest first.</summary>
    private sealed record DriverGroup<T>(string? Authority, string Outcome, List<T> Rows);

    private static List<DriverGroup<T>> DriverGroups<T>(IEnumerable<T> rows, Func<T, double> size) where T : IParameterEffect =>
        rows.GroupBy(r => (r.Authority, r.Outcome))
            .Select(g => new DriverGroup<T>(g.Key.Authority, g.Key.Outcome,
                g.OrderByDescending(size).ThenBy(r => r.Parameter, StringComparer.Ordinal).ToList()))
            .ToList();

    private bool HasSensitivity => _data.Sensitivity is { Count: > 0 } || _data.Sobol is { Count: > 0 };

    private void SensitivitySection()
    {
        Line("<a id=\"what-drives-it\"></a>");
        Line();
        Line("## What drives it");
        Line();
        if (_data.Sensitivity is { Count: > 0 } rows) MorrisSection(rows);
        if (_data.Sobol is { Count: > 0 } sobol) SobolSection(sobol);
    }

    private string Who(string? authority) =>
        authority is { } a ? $"{Name(a)}: " : Manifest.Authorities.Count == 1 ? $"{Name(Manifest.Authorities[0])}: " : "";

    /// <summary>
    /// A group's bar chart (the <see cref="MaxBars"/> largest) and its caption naming the three
    /// largest; <paramref name="title"/> is also the alt text.
    /// </summary>
    private void DriverChart<T>(DriverGroup<T> group, string prefix, string title, string axis, Func<T, double> size, string sortedBy, string largest, Func<T, string> value)
        where T : IParameterEffect
    {
        var file = FileName([prefix, .. group.Authority is { } au ? new[] { au } : [], group.Outcome]);
        var shown = group.Rows.Take(MaxBars).ToList();
        var height = Math.Max(_size.Height, 110 + 30 * shown.Count);
        ChartRenderer.HorizontalBars(ChartPath(file), _size with { Height = height }, title, axis, shown.Select(r => (r.Parameter, size(r))).ToList());
        var top = group.Rows.Take(3).Select(r => $"`{r.Parameter}` ({value(r)})").ToList();
        Image(file, title,
            $"Parameters by {sortedBy}, largest first{(shown.Count < group.Rows.Count ? $" (the {shown.Count} largest of {group.Rows.Count}; all are in the table)" : "")}. "
            + $"{largest}: {JoinAnd(top)}.");
    }

    private void MorrisSection(IReadOnlyList<SensitivityRow> rows)
    {
        Line("From `sensitivity.csv` (Morris elementary effects). μ\\* is the mean absolute elementary effect of a parameter on the outcome, "
             + "in the outcome's unit: the larger, the more the outcome moves with that parameter. μ is the mean signed effect (its sign is the "
             + "direction) and σ the standard deviation of the effects (a large σ means the effect depends on the other parameters or is not linear). "
             + "Low and high are the range the parameter was varied over.");
        Line();
        foreach (var group in DriverGroups(rows, r => r.MuStar))
        {
            var what = MeasureLabel(group.Outcome).ToLowerInvariant();
            var who = Who(group.Authority);
            var unit = group.Rows.Select(r => r.Unit).FirstOrDefault(u => u.Length > 0) ?? "";
            Line($"### {who}{what}");
            Line();
            DriverChart(group, "sensitivity", $"{who}what drives {what}", "μ*: mean absolute elementary effect" + (unit.Length > 0 ? $" ({ShortUnit(unit)})" : ""),
                r => r.MuStar, "μ*", $"The largest effects on {what}" + (unit.Length > 0 ? $", in {unit}" : ""), r => Fmt.Number(r.MuStar) + UnitSuffix(ShortUnit(unit)));
            Header("rlrrrr", "Rank", "Parameter", "μ\\*", "μ", "σ", "Range (low to high)");
            for (var i = 0; i < group.Rows.Count; i++)
            {
                var r = group.Rows[i];
                Row((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), $"`{r.Parameter}`", Fmt.Number(r.MuStar),
                    r.Mu is { } mu ? Fmt.Signed(mu) : "", r.Sigma is { } sigma ? Fmt.Number(sigma) : "", RangeText(r.Low, r.High));
            }
            Line();
        }
    }

    private static string RangeText(double? low, double? high) => low is { } lo && high is { } hi ? $"{Fmt.Number(lo)} to {Fmt.Number(hi)}" : "";

    /// <summary>A Sobol index or bound: a share of variance, two decimals.</summary>
    private static string Index(double value) => Fmt.Fixed(value, "0.00").Replace("-0.00", "0.00", StringComparison.Ordinal);

    private void SobolSection(IReadOnlyList<SobolRow> rows)
    {
        Line("From `sobol.csv` (Sobol indices, Saltelli design). The first-order index is the share of the outcome's variance across the sampled "
             + "ranges that a parameter explains alone; the total-order index is the share it explains alone and through its interactions with "
             + "the others (the share that would go if it were known exactly). Total minus first order is the part through interactions; "
             + "a parameter whose total order is near 0 can be fixed anywhere in its range without changing the outcome. The intervals are 95% "
             + "bootstrap intervals over the base samples: with few samples the estimates can fall below 0 or above 1 and the intervals are wide, "
             + "and parameters whose intervals overlap are not clearly told apart.");
        Line();
        foreach (var group in DriverGroups(rows, r => r.Total))
        {
            var what = MeasureLabel(group.Outcome).ToLowerInvariant();
            var who = Who(group.Authority);
            Line($"### {who}{what}: shares of its variance");
            Line();
            DriverChart(group, "sobol", $"{who}what drives the variance of {what}", "Total-order Sobol index (share of variance)",
                r => r.Total, "total-order index", $"The largest shares of the variance of {what}", r => Index(r.Total));
            Header("rlrrrrl", "Rank", "Parameter", "First order", "95% interval", "Total order", "95% interval", "Range (low to high)");
            for (var i = 0; i < group.Rows.Count; i++)
            {
                var r = group.Rows[i];
                Row((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), $"`{r.Parameter}`", Index(r.First), $"{Index(r.FirstLow)} to {Index(r.FirstHigh)}",
                    Index(r.Total), $"{Index(r.TotalLow)} to {Index(r.TotalHigh)}", RangeText(r.Low, r.High));
            }
            Line();
        }
    }

    // ---- Comparison of strategies ----

    private void ComparisonSection(IReadOnlyList<ComparisonRow> rows)
    {
        Line("<a id=\"strategies-compared-with-the-baseline\"></a>");
        Line();
        Line("## Strategies compared with the baseline");
        Line();
        Line("From `comparison.csv`: for each measure, each strategy's value, its difference from the baseline with a 95% confidence interval, "
             + "the probability that it beats the baseline and its rank among the strategies.");
        var strategies = rows.Select(r => r.Strategy).Distinct(StringComparer.Ordinal).ToList();
        var links = strategies
            .Select(s => (s, dir: Path.Combine(_data.Directory, "strategies", s)))
            .Where(x => Directory.Exists(x.dir))
            .Select(x => $"[{x.s}]({RelativeLink(x.dir)})")
            .ToList();
        if (links.Count > 0)
            Line($"Each strategy's own results directory (run `sim report` on it for its report): {string.Join(", ", links)}.");
        Line();
        foreach (var group in rows.GroupBy(r => (r.Authority, r.Measure)))
        {
            var ordered = group.OrderBy(r => r.Rank ?? int.MaxValue).ThenByDescending(r => r.Difference).ThenBy(r => r.Strategy, StringComparer.Ordinal).ToList();
            var unit = ordered.Select(r => r.Unit).FirstOrDefault(u => u.Length > 0) ?? "";
            var measure = MeasureLabel(group.Key.Measure);
            var who = Name(group.Key.Authority);
            var share = IsShareUnit(unit);
            // Shares are shown in %, their differences in percentage points.
            string V(double v) => share ? Fmt.Fixed(v * 100, "0.0") + "%" : Fmt.Number(v);
            string D(double v) => share ? Fmt.Signed(v * 100) : Fmt.Signed(v);
            var diffUnit = share ? "percentage points" : unit;
            Line($"### {who}: {measure}");
            Line();
            var file = FileName("comparison", group.Key.Authority, group.Key.Measure);
            var height = Math.Max(_size.Height, 140 + 40 * ordered.Count(r => r.Strategy != "baseline"));
            var scale = share ? 100.0 : 1.0;
            // The baseline is the dashed line at zero, not a row of its own.
            var others = ordered.Where(r => r.Strategy != "baseline").ToList();
            if (others.Count == 0) others = ordered;
            ChartRenderer.DotWhisker(ChartPath(file), _size with { Height = height }, $"{who}: {measure.ToLowerInvariant()}",
                "Difference from the baseline" + (diffUnit.Length > 0 ? $" ({diffUnit})" : "") + ", with 95% CI",
                others.Select(r => new WhiskerRow(r.Strategy, r.Difference * scale, r.CiLow * scale, r.CiHigh * scale)).ToList());
            var caption = new StringBuilder();
            if (ordered.Select(r => r.Baseline).FirstOrDefault(b => b is not null) is { } baseline)
                caption.Append(System.Globalization.CultureInfo.InvariantCulture, $"Baseline: {V(baseline)}{(share ? "" : UnitSuffix(unit))}. ");
            var baselineRow = ordered.FirstOrDefault(r => r.Strategy == "baseline");
            if (baselineRow?.Rank is { } baseRank)
                caption.Append($"The baseline ranks {baseRank} of {ordered.Count}" + RankedOn() + ". ");
            var first = others[0];
            caption.Append(
                $"{(first.Rank is not null ? $"Best-ranked strategy (rank {first.Rank})" : "Largest difference")}: {first.Strategy}, difference {D(first.Difference)}{UnitSuffix(diffUnit)}"
                + (first.CiLow is { } l && first.CiHigh is { } h ? $" (95% CI {D(l)} to {D(h)})" : "")
                + (first.PBeatsBaseline is { } p ? $", P(beats baseline) {Fmt.Percent(p)}" : "") + ".");
            var withCi = others.Where(r => r.CiLow is not null && r.CiHigh is not null && r.Strategy != "baseline").ToList();
            if (withCi.Count > 0)
            {
                var excluding = withCi.Count(r => r.CiLow > 0 || r.CiHigh < 0);
                caption.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $" The 95% interval excludes zero for {excluding} of {withCi.Count} strategies.");
            }
            Image(file, $"{who}: {measure}", caption.ToString().Trim());
            Header("rlrrrr", "Rank", "Strategy", "Value" + (share ? "" : UnitSuffix(unit).Length > 0 ? $" ({unit})" : ""), "Difference" + (diffUnit.Length > 0 ? $" ({diffUnit})" : ""), "95% CI", "P(beats baseline)");
            foreach (var r in ordered)
            {
                Row(r.Rank?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", r.Strategy, r.Value is { } v ? V(v) : "",
                    D(r.Difference), r.CiLow is { } lo && r.CiHigh is { } hi ? $"{D(lo)} to {D(hi)}" : "",
                    r.PBeatsBaseline is { } pb ? Fmt.Percent(pb) : "");
            }
            Line();
        }
    }

    private string RankedOn() => Manifest.RankBy is { } rb ? $" (ranked on {MeasureLabel(rb).ToLowerInvariant()})" : "";

    private static bool IsShareUnit(string unit) => unit is "probability" or "share" or "share per year";

    /// <summary>A readable name for a comparison or sensitivity measure (e.g. p_good_by_2026-12).</summary>
    private static string MeasureLabel(string measure)
    {
        static string Outcome(string key) => key == "ri" ? "requires improvement or better" : key == "good" ? "good or better" : Fmt.Words(key);
        if (measure.StartsWith("p_", StringComparison.Ordinal) && measure.Contains("_by_", StringComparison.Ordinal))
        {
            var at = measure.IndexOf("_by_", StringComparison.Ordinal);
            var what = Outcome(measure[2..at]);
            var when = measure[(at + 4)..];
            return $"Probability of {what} by " + (when == "end" ? "the end of the run" : SimMonth.TryParse(when, out var m) ? Fmt.MonthName(m) : when);
        }
        if (measure.StartsWith("median_months_to_", StringComparison.Ordinal)) return "Median months to " + Outcome(measure["median_months_to_".Length..]);
        if (measure.StartsWith("months_to_", StringComparison.Ordinal)) return "Months to " + Outcome(measure["months_to_".Length..]);
        if (measure == "cost") return "Total cost over the outcome window";
        var d = MetricDisplay.For(measure);
        return d.Label == Fmt.Words(measure) ? char.ToUpperInvariant(d.Label[0]) + d.Label[1..] : d.Label;
    }

    /// <summary>A link from the report folder to a path, with forward slashes.</summary>
    private string RelativeLink(string path) =>
        Path.GetRelativePath(_output.Destination, path).Replace('\\', '/') + "/";
}
