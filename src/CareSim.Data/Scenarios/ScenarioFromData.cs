using System.Globalization;
using System.Text;
using CareSim.Data.Baseline;
using CareSim.Data.Interventions;
using CareSim.Engine.Output;
using CareSim.Model.Plan;
using CareSim.Model.Time;

namespace CareSim.Data.Scenarios;

/// <summary>
/// Builds a scenario (YAML text in the format of docs/scenarios.md) whose initial states and
/// inspection history are the official figures known at an as-of date.
/// </summary>
public static class ScenarioFromData
{
    private const string Command = "sim scenario from-data";
    private const string BuiltFromHeader = "# Built from the official statistics in the baseline dataset as known at ";

    /// <summary>The YAML of a scenario for <paramref name="selection"/> as known at <paramref name="asOf"/>.</summary>
    /// <exception cref="UnknownAuthorityException">The authority is not in the data (with suggestions).</exception>
    /// <exception cref="ScenarioBuildException">As-of before any data, or required figures missing.</exception>
    /// <exception cref="CareSimDataException">Unknown region.</exception>
    public static string Build(BaselineDataset data, AuthoritySelection selection, DateOnly asOf, ScenarioBuildOptions? options = null) =>
        BuildDetailed(data, selection, asOf, options).Yaml;

    /// <summary>As <see cref="Build"/>, with the notes on fallbacks and the authorities left out.</summary>
    public static ScenarioBuildResult BuildDetailed(BaselineDataset data, AuthoritySelection selection, DateOnly asOf, ScenarioBuildOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(selection);
        return new Builder(data, asOf, options ?? new ScenarioBuildOptions()).Build(selection);
    }

    /// <summary>
    /// Command-line entry (for <c>sim scenario from-data</c>): exactly one of
    /// <paramref name="authority"/>, <paramref name="region"/> or <paramref name="all"/>.
    /// <paramref name="dataDirectory"/> is the baseline folder (or the folder holding
    /// <c>baseline/</c>); the intervention record beside it (<see cref="InterventionRecord.FindBeside"/>),
    /// when there is one, seeds the timelines unless <paramref name="options"/> gives one. Writes the YAML to <paramref name="outFile"/>, or to
    /// <paramref name="stdout"/> when null; notes (and where the file went) go to <paramref name="stderr"/>.
    /// Returns 0 on success, 2 on bad input (usage, unknown authority, missing data, a bad intervention record), 1 when the file cannot be written.
    /// </summary>
    public static int Run(string dataDirectory, string? authority, string? region, bool all, DateOnly asOf, string? outFile,
        TextWriter stdout, TextWriter stderr, ScenarioBuildOptions? options = null, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var chosen = (authority is not null ? 1 : 0) + (region is not null ? 1 : 0) + (all ? 1 : 0);
        if (chosen != 1)
        {
            stderr.WriteLine("error: choose exactly one of --authority (code, LA number or name), --region or --all (England).");
            return 2;
        }
        var selection = authority is not null ? AuthoritySelection.Authority(authority)
            : region is not null ? AuthoritySelection.Region(region)
            : AuthoritySelection.AllEngland;
        try
        {
            if (outFile is not null) OutputFile.Check(outFile, Command, force, IsBuiltFromData);
            var data = BaselineDataset.Load(dataDirectory);
            options ??= new ScenarioBuildOptions();
            if (options.Interventions is null && InterventionRecord.FindBeside(dataDirectory) is { } record)
                options = options with { Interventions = InterventionRecord.Load(record, data) };
            else if (options.Interventions is null)
                stderr.WriteLine($"note: no {InterventionRecord.FileName} beside the baseline in {dataDirectory}: interventions come from the inspection grades only");
            if (outFile is not null && options.SchemaReference is null && FindSchema(outFile) is { } schema)
                options = options with { SchemaReference = schema };
            var result = BuildDetailed(data, selection, asOf, options);
            foreach (var note in result.Notes)
                stderr.WriteLine($"note: {note}");
            foreach (var skipped in result.Skipped)
                stderr.WriteLine($"left out: {skipped}");
            if (outFile is null)
            {
                stdout.Write(result.Yaml);
            }
            else
            {
                OutputFile.Write(outFile, result.Yaml, Command, force, IsBuiltFromData);
                stderr.WriteLine($"Wrote {outFile}: {result.AuthorityCodes.Count} authorit{(result.AuthorityCodes.Count == 1 ? "y" : "ies")} as of {asOf:yyyy-MM-dd}.");
            }
            return 0;
        }
        catch (CareSimDataException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (OutputRefusedException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (IOException ex)
        {
            stderr.WriteLine($"error: cannot write the scenario: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Whether a file's text is a scenario this command wrote (so --out may replace it without --force).</summary>
    internal static bool IsBuiltFromData(string text) => text.Contains(BuiltFromHeader, StringComparison.Ordinal);

    /// <summary>The path from the output file's folder to the nearest enclosing scenarios/schema.json, if any.</summary>
    private static string? FindSchema(string outFile)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(outFile));
        for (var dir = folder is null ? null : new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            var schema = Path.Combine(dir.FullName, "scenarios", "schema.json");
            if (File.Exists(schema))
                return Path.GetRelativePath(folder!, schema).Replace('\\', '/');
        }
        return null;
    }

    private sealed record Value(double Number, string Comment);

    private sealed class Builder(BaselineDataset data, DateOnly asOf, ScenarioBuildOptions options)
    {
        private readonly List<string> _notes = [];
        private readonly List<string> _skipped = [];
        private readonly List<string> _failed = [];
        // The latest collections known at as-of that the data can hold (the header names them).
        private readonly int _demandYear = Math.Min(Measures.LatestYearKnownAt(MeasureTiming.Demand, asOf), LatestYear(data, MeasureTiming.Demand));
        private readonly int _workforceYear = Math.Min(Measures.LatestYearKnownAt(MeasureTiming.Workforce, asOf), LatestYear(data, MeasureTiming.Workforce));

        private static readonly Dictionary<string, (double Min, bool ExclusiveMin, double Max)> s_ranges = new(StringComparer.Ordinal)
        {
            ["population"] = (0, true, double.MaxValue),
            ["referrals_per_10k"] = (0, false, 5000),
            ["rereferral_share"] = (0, false, 1),
            ["cin_start_share"] = (0, false, 1),
            ["no_further_action_share"] = (0, false, 1),
            ["cin_per_10k"] = (0, false, 5000),
            ["cpp_per_10k"] = (0, false, 1000),
            ["cla_per_10k"] = (0, false, 1000),
            ["cpp_starts_per_10k"] = (0, false, 2000),
            ["cla_starts_per_10k"] = (0, false, 1000),
            ["cla_ceased_per_10k"] = (0, false, 1000),
            ["sw_fte"] = (0, true, double.MaxValue),
            ["agency_fte"] = (0, false, double.MaxValue),
            ["vacancy_fte"] = (0, false, double.MaxValue),
            ["turnover_rate"] = (0, false, 1),
            ["caseload"] = (0, true, 100),
            ["case_holder_share"] = (0.05, false, 1),
            ["absence_rate"] = (0, false, 0.5),
        };

        public ScenarioBuildResult Build(AuthoritySelection selection)
        {
            CheckAsOf();
            var (authorities, title) = Select(selection);
            var blocks = new List<string>();
            var codes = new List<string>();
            foreach (var authority in authorities)
            {
                try
                {
                    blocks.Add(AuthorityBlock(authority));
                    codes.Add(authority.Code);
                }
                catch (ScenarioBuildException ex) when (selection.Kind != SelectionKind.Authority)
                {
                    _failed.Add(ex.Message);
                }
            }
            _skipped.InsertRange(0, _failed);
            if (blocks.Count == 0)
            {
                var reasons = _skipped.Take(5).Select(r => "\n  " + r);
                var more = _skipped.Count > 5 ? $"\n  ... and {_skipped.Count - 5} more" : "";
                throw new ScenarioBuildException($"No authority of {selection} has the figures a scenario needs as of {asOf:yyyy-MM-dd}:{string.Concat(reasons)}{more}");
            }

            var sb = new StringBuilder();
            if (options.SchemaReference is not null)
                sb.Append("# yaml-language-server: $schema=").Append(options.SchemaReference).Append('\n');
            sb.Append(CultureInfo.InvariantCulture, $"{BuiltFromHeader}{asOf:yyyy-MM-dd}:\n");
            sb.Append(CultureInfo.InvariantCulture, $"# workforce figures as at 30 September (latest {_workforceYear}), demand figures as at 31 March (latest {_demandYear}).\n");
            sb.Append("# Each figure's comment gives the date it refers to. Contains public sector information licensed\n");
            sb.Append("# under the Open Government Licence v3.0 (DfE children's social care and workforce statistics; Ofsted).\n");
            if (options.Interventions is { } record)
                sb.Append("# Notices, directions, commissioners and trusts from ").Append(Path.GetFileName(record.Path))
                    .Append(" (each with its source); the direction after an inadequate grade is implied by the grade.\n");
            foreach (var skipped in _skipped)
                sb.Append("# Left out: ").Append(skipped).Append('\n');
            var name = options.Name ?? $"{title} from official data as of {asOf:yyyy-MM-dd}";
            sb.Append("name: ").Append(Quote(name)).Append('\n');
            sb.Append("description: ").Append(Quote(
                $"Initial states from DfE statistics known at {asOf:yyyy-MM-dd} (workforce at 30 Sep {_workforceYear}, demand at 31 Mar {_demandYear}); inspection history from Ofsted judgements published by then.")).Append('\n');
            var start = new DateOnly(asOf.Year, asOf.Month, 1).AddMonths(1);
            sb.Append(CultureInfo.InvariantCulture, $"start: {start:yyyy-MM}            # the month after the as-of date\n");
            sb.Append(CultureInfo.InvariantCulture, $"horizon_months: {options.HorizonMonths}\n");
            sb.Append(CultureInfo.InvariantCulture, $"replicas: {options.Replicas}\n");
            sb.Append(CultureInfo.InvariantCulture, $"seed: {options.Seed}\n");
            if (selection.Kind != SelectionKind.Authority)
                sb.Append("# Authorities of the same region share its labour market (the format's default).\n");
            sb.Append("authorities:\n");
            foreach (var block in blocks)
                sb.Append(block);
            return new ScenarioBuildResult(sb.ToString(), codes, _notes, _skipped);
        }

        private void CheckAsOf()
        {
            var demandYears = YearsWith(MeasureTiming.Demand);
            var workforceYears = YearsWith(MeasureTiming.Workforce);
            var knownDemand = demandYears.Any(y => y <= _demandYear);
            var knownWorkforce = workforceYears.Any(y => y <= _workforceYear);
            if (!knownDemand && !knownWorkforce)
            {
                var first = new List<string>();
                if (demandYears.Count > 0)
                    first.Add($"the first demand figures refer to 31 Mar {demandYears.Min()}");
                if (workforceYears.Count > 0)
                    first.Add($"the first workforce figures to 30 Sep {workforceYears.Min()}");
                throw new ScenarioBuildException(first.Count == 0
                    ? "The baseline dataset holds no figures."
                    : $"As-of date {asOf:yyyy-MM-dd} is before any data: {string.Join(" and ", first)}.");
            }
            // Beyond a year after the latest figures a whole collection is missing: the scenario would present old figures as current.
            var latest = new List<(DateOnly Date, string Text)>();
            if (demandYears.Count > 0)
                latest.Add((Measures.ReferenceDate(MeasureTiming.Demand, demandYears.Max()), $"{Measures.Describe(MeasureTiming.Demand, demandYears.Max())} (demand)"));
            if (workforceYears.Count > 0)
                latest.Add((Measures.ReferenceDate(MeasureTiming.Workforce, workforceYears.Max()), $"{Measures.Describe(MeasureTiming.Workforce, workforceYears.Max())} (workforce)"));
            var until = latest.Max(l => l.Date).AddYears(1);
            if (asOf > until)
                throw new ScenarioBuildException(
                    $"As-of date {asOf:yyyy-MM-dd} is beyond the data: the latest figures refer to {string.Join(" and ", latest.Select(l => l.Text))}, so a scenario as of {asOf:yyyy-MM-dd} would present them as current; use an as-of date up to {until:yyyy-MM-dd}, or import newer data.");
        }

        private List<int> YearsWith(MeasureTiming timing) => YearsWith(data, timing);

        private static List<int> YearsWith(BaselineDataset data, MeasureTiming timing) =>
            data.Authorities.SelectMany(a => data.Years(a.Code)).Concat(data.England)
                .Where(y => y.Values.Keys.Any(k => Measures.Get(k).Timing == timing))
                .Select(y => y.Year).Distinct().ToList();

        private static int LatestYear(BaselineDataset data, MeasureTiming timing) => YearsWith(data, timing).DefaultIfEmpty(int.MaxValue).Max();

        private (IReadOnlyList<AuthorityInfo> Authorities, string Title) Select(AuthoritySelection selection)
        {
            switch (selection.Kind)
            {
                case SelectionKind.Authority:
                    var one = data.Resolve(selection.Query ?? "");
                    // Several authorities of one name (Dorset before and after 2019): the one that existed at as-of.
                    var sameName = data.FindByName(selection.Query ?? "");
                    if (sameName.Count > 1 && sameName.Contains(one))
                    {
                        var skippedBefore = _skipped.Count;
                        var existing = Active(sameName);
                        _skipped.RemoveRange(skippedBefore, _skipped.Count - skippedBefore);
                        if (existing.Count == 1)
                            one = existing[0];
                    }
                    return ([one], one.Name);
                case SelectionKind.Region:
                    var inRegion = data.InRegion(selection.Query ?? "");
                    var regions = inRegion.Select(a => a.Region).Distinct(StringComparer.Ordinal).ToList();
                    return (Active(inRegion), regions.Count == 1 ? regions[0] : selection.Query!.Trim());
                default:
                    return (Active(data.Authorities), "England");
            }
        }

        /// <summary>Authorities that reported in the latest collection known at as-of (drops abolished and not-yet-created councils).</summary>
        private List<AuthorityInfo> Active(IEnumerable<AuthorityInfo> authorities)
        {
            var all = authorities.ToList();
            var latestDemand = LatestReported(all, MeasureTiming.Demand, _demandYear);
            var latestWorkforce = LatestReported(all, MeasureTiming.Workforce, _workforceYear);
            var active = new List<AuthorityInfo>();
            foreach (var a in all)
            {
                var years = data.Years(a.Code);
                bool Reported(MeasureTiming timing, int? year) =>
                    year is not null && years.Any(y => y.Year == year && y.Values.Keys.Any(k => Measures.Get(k).Timing == timing));
                if (Reported(MeasureTiming.Demand, latestDemand) || Reported(MeasureTiming.Workforce, latestWorkforce))
                    active.Add(a);
                else
                    _skipped.Add($"{a}: no figures in the latest collections known at {asOf:yyyy-MM-dd} (abolished or not yet created).");
            }
            return active;
        }

        private int? LatestReported(List<AuthorityInfo> authorities, MeasureTiming timing, int notAfter)
        {
            var years = authorities.SelectMany(a => data.Years(a.Code))
                .Where(y => y.Year <= notAfter && y.Values.Keys.Any(k => Measures.Get(k).Timing == timing))
                .Select(y => y.Year).ToList();
            return years.Count == 0 ? null : years.Max();
        }

        private string AuthorityBlock(AuthorityInfo a)
        {
            var lines = new List<(string Key, string Text, string Comment)>();
            var population = Population(a, report: true)
                ?? throw new ScenarioBuildException($"{a}: no child population estimate known at {asOf:yyyy-MM-dd}{FirstFigureHint(Measures.Population)}, so no rates per 10,000 children.");
            var pop = population.Number;
            Add(lines, "population", population, Whole);

            Add(lines, "referrals_per_10k", Required(a, "referrals_per_10k"), OneDecimal);
            Add(lines, "rereferral_share", Optional(a, Measures.RereferralShare), Sig4);
            Add(lines, "cin_start_share", CinStartShare(a), Sig4);
            Add(lines, "no_further_action_share", Optional(a, Measures.NoFurtherActionShare), Sig4);
            var cin = Required(a, "cin_per_10k");
            var cpp = Required(a, "cpp_per_10k");
            var cla = Required(a, "cla_per_10k");
            var cppRounded = Round1(cpp.Number);
            var claRounded = Round1(cla.Number);
            if (Round1(cin.Number) < cppRounded + claRounded)
            {
                var raised = Math.Ceiling((cppRounded + claRounded) * 10 - 1e-9) / 10;
                _notes.Add($"{a.Name}: cin_per_10k raised from {OneDecimal(cin.Number)} to {OneDecimal(raised)} (the format needs cin >= cpp + cla)");
                cin = new Value(raised, $"{cin.Comment}; raised from {OneDecimal(cin.Number)}: the format needs cin_per_10k >= cpp_per_10k + cla_per_10k");
            }
            Add(lines, "cin_per_10k", cin, OneDecimal);
            Add(lines, "cpp_per_10k", cpp, OneDecimal);
            Add(lines, "cla_per_10k", cla, OneDecimal);
            Add(lines, "cpp_starts_per_10k", PerTenK(a, Measures.CppStarts, null, false, pop), OneDecimal);
            Add(lines, "cla_starts_per_10k", PerTenK(a, Measures.ClaStarts, null, false, pop), OneDecimal);
            Add(lines, "cla_ceased_per_10k", PerTenK(a, Measures.ClaCeased, null, false, pop), OneDecimal);

            Add(lines, "sw_fte", RequiredFte(a, Measures.SwFte, pop), OneDecimal);
            Add(lines, "agency_fte", RequiredFte(a, Measures.AgencyFte, pop), OneDecimal);
            Add(lines, "vacancy_fte", RequiredFte(a, Measures.VacancyFte, pop), OneDecimal);
            Add(lines, "turnover_rate", TurnoverRate(a), Sig4);
            Add(lines, "caseload", Required(a, "caseload"), OneDecimal);
            Add(lines, "case_holder_share", CaseHolderShare(a), Sig4);
            Add(lines, "absence_rate", Optional(a, Measures.AbsenceRate), Sig4);

            var inspections = data.Inspections(a.Code);
            var known = inspections.Where(i => i.KnownFrom <= asOf).ToList();
            if (known.Count == 0)
                lines.Add(("quality", Sig4(options.UninspectedQuality), "no inspection on record"));

            var sb = new StringBuilder();
            sb.Append("  - code: ").Append(a.Code).Append('\n');
            sb.Append("    name: ").Append(Quote(a.Name)).Append('\n');
            sb.Append("    region: ").Append(Quote(a.Region)).Append('\n');
            sb.Append("    initial:\n");
            var width = lines.Max(l => l.Key.Length + l.Text.Length) + 2;
            foreach (var (key, text, comment) in lines)
            {
                if (key.StartsWith('#'))
                {
                    sb.Append("      ").Append(key).Append('\n');
                    continue;
                }
                var line = $"{key}: {text}";
                sb.Append("      ").Append(line);
                if (comment.Length > 0)
                    sb.Append(' ', Math.Max(1, width + 2 - line.Length)).Append("# ").Append(comment);
                sb.Append('\n');
            }
            var comments = new List<string>();
            var timeline = known.Select(i => (Month: SimMonth.FromDate(i.Start), Text: InspectionEvent(i)))
                .Concat(InterventionEvents(a, comments))
                .OrderBy(e => e.Month) // stable: an inspection before an intervention of the same month
                .ToList();
            if (timeline.Count > 0)
            {
                sb.Append("    timeline:\n");
                foreach (var (_, text) in timeline)
                    sb.Append("      - ").Append(text).Append('\n');
            }
            foreach (var comment in comments)
                sb.Append("    # ").Append(comment).Append('\n');
            foreach (var later in inspections.Where(i => i.KnownFrom > asOf && i.Start <= asOf))
                sb.Append(CultureInfo.InvariantCulture, $"    # Inspection started {later.Start:yyyy-MM-dd} but published after {asOf:yyyy-MM-dd}: not in the timeline.\n");
            return sb.ToString();
        }

        private string InspectionEvent(InspectionRecord i)
        {
            var parts = new List<string>
            {
                $"date: {i.Start:yyyy-MM}",
                "event: inspection",
                $"grade: {i.Overall.ToKey()}",
            };
            if (i.Leaders is { } leaders)
                parts.Add($"leaders: {leaders.ToKey()}");
            if (i.HelpAndProtection is { } hp)
                parts.Add($"help_and_protection: {hp.ToKey()}");
            if (i.ChildrenInCare is { } cic)
                parts.Add($"children_in_care: {cic.ToKey()}");
            if (i.Published is { } published)
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"published: {published:yyyy-MM-dd}"));
            var source = options.InspectionSource + (i.StartEstimated ? "; start date estimated as publication minus 2 months" : "");
            parts.Add($"source: {Quote(source)}");
            return "{" + string.Join(", ", parts) + "}";
        }

        /// <summary>
        /// The timeline events of the intervention record's rows for the authority that had surely
        /// started by as-of. A trust that ended by the start is only a comment: the model has no return
        /// in-house. The ends of notices, directions and commissioners are not events: the model
        /// lifts them on the next grade of requires improvement or better, or on a transfer to a trust.
        /// </summary>
        private IEnumerable<(SimMonth Month, string Text)> InterventionEvents(AuthorityInfo a, List<string> comments)
        {
            if (options.Interventions is not { } record)
                yield break;
            var asOfMonth = SimMonth.FromDate(asOf);
            foreach (var row in record.For(a.Code).Where(r => r.Start <= asOfMonth))
            {
                var source = $"{row.Detail}. {row.Source}; {Path.GetFileName(record.Path)} line {row.Line}";
                if (row.LatestStart > asOfMonth)
                {
                    comments.Add($"{InterventionRecord.KindName(row.Kind)} from {row.StartText} ({source}): may not have started by {asOf:yyyy-MM-dd}, so not in the timeline.");
                    continue;
                }
                if (row.Kind == InterventionKind.Trust && !row.InForce(asOfMonth.AddMonths(1)))
                {
                    comments.Add($"Trust from {row.StartText} to {row.End} ({source}): ended by the start; the model has no return in-house, so no removal in the timeline.");
                    continue;
                }
                var what = row.Kind switch
                {
                    InterventionKind.Trust => "event: removal",
                    InterventionKind.Commissioner => "event: direction, commissioner: true",
                    InterventionKind.Direction => "event: direction, commissioner: false",
                    _ => "event: improvement_notice",
                };
                if (row.StartYearOnly)
                    source += $"; the source gives the year only, taken as January {row.Start.Year}";
                yield return (row.Start, $"{{date: {row.Start}, {what}, source: {Quote(source)}}}");
            }
        }

        private void Add(List<(string Key, string Text, string Comment)> lines, string key, Value? value, Func<double, string> format)
        {
            if (value is null)
                return;
            if (s_ranges.TryGetValue(key, out var range))
            {
                var v = value.Number;
                if (v < range.Min || (range.ExclusiveMin && v <= range.Min) || v > range.Max)
                {
                    lines.Add(($"# {key} left out: {format(v)} ({value.Comment}) is outside the format's range", "", ""));
                    return;
                }
            }
            lines.Add((key, format(value.Number), value.Comment));
        }

        // ---- Values ----

        private Value? Population(AuthorityInfo a, bool report)
        {
            var p = data.ValueAsOf(a.Code, Measures.Population, asOf);
            if (p is not null)
                return new Value(p.Value, When(MeasureTiming.Demand, p.Year));
            var later = options.UseLaterFiguresWhenMissing
                ? data.Years(a.Code).FirstOrDefault(y => y.Year > _demandYear && y[Measures.Population] is not null)
                : null;
            if (later is null)
                return null;
            if (report)
                _notes.Add($"{a.Name}: no population estimate known at {asOf:yyyy-MM-dd}; used the {later.Year} estimate, the earliest in the data");
            return new Value(later[Measures.Population]!.Value,
                $"31 Mar {later.Year} estimate, the earliest in the data (none for 31 Mar {_demandYear})");
        }

        /// <summary>A rate per 10,000: the dataset's rate for the year of the latest count, else count / population.</summary>
        private Value? PerTenK(AuthorityInfo a, string countMeasure, string? rateMeasure, bool required, double? population = null)
        {
            var count = data.ValueAsOf(a.Code, countMeasure, asOf, required ? null : options.MaxOptionalAgeYears);
            if (count is null)
                return null;
            var when = When(MeasureTiming.Demand, count.Year);
            if (rateMeasure is not null && data.Value(a.Code, rateMeasure, count.Year) is { } rate)
                return new Value(rate, when);
            var pop = population ?? Population(a, report: false)?.Number;
            if (pop is not > 0)
                return null;
            var popYear = data.Value(a.Code, Measures.Population, count.Year) is not null ? null : " / population of another year";
            return new Value(count.Value / pop.Value * 10000.0, when + (popYear ?? ""));
        }

        private Value? Direct(AuthorityInfo a, string measure, int? maxAge)
        {
            var v = data.ValueAsOf(a.Code, measure, asOf, maxAge);
            return v is null ? null : new Value(v.Value, When(Measures.Get(measure).Timing, v.Year));
        }

        private Value? Optional(AuthorityInfo a, string measure) => Direct(a, measure, options.MaxOptionalAgeYears);

        /// <summary>
        /// The mean turnover of the latest three years known at as-of (fewer if fewer are known):
        /// one year's turnover is mostly noise (year-on-year correlation 0.22; docs/model.md#leavers).
        /// </summary>
        private Value? TurnoverRate(AuthorityInfo a)
        {
            var latest = data.ValueAsOf(a.Code, Measures.TurnoverRate, asOf, options.MaxOptionalAgeYears);
            if (latest is null)
                return null;
            var years = Enumerable.Range(latest.Year - 2, 3)
                .Select(y => (Year: y, Value: data.Value(a.Code, Measures.TurnoverRate, y)))
                .Where(v => v.Value is not null)
                .ToList();
            var mean = years.Average(v => v.Value!.Value);
            return new Value(mean, years.Count == 1
                ? When(MeasureTiming.Workforce, latest.Year)
                : $"mean of 30 Sep {years[0].Year}-{years[^1].Year} (one year is mostly noise)");
        }

        /// <summary>CIN episodes started / referrals in the same year; else 1 - no further action - not in need.</summary>
        private Value? CinStartShare(AuthorityInfo a)
        {
            var started = data.ValueAsOf(a.Code, Measures.CinStarted, asOf, options.MaxOptionalAgeYears);
            if (started is not null && data.Value(a.Code, Measures.Referrals, started.Year) is { } referrals && referrals > 0)
                return new Value(started.Value / referrals, $"{When(MeasureTiming.Demand, started.Year)}: episodes started / referrals");
            var nfa = data.ValueAsOf(a.Code, Measures.NoFurtherActionShare, asOf, options.MaxOptionalAgeYears);
            if (nfa is not null && data.Value(a.Code, Measures.NotInNeedShare, nfa.Year) is { } notInNeed)
                return new Value(1 - nfa.Value - notInNeed, $"{When(MeasureTiming.Demand, nfa.Year)}: 1 - no further action - not in need");
            return null;
        }

        /// <summary>Case-holding FTE / (in post + agency FTE) of the same year.</summary>
        private Value? CaseHolderShare(AuthorityInfo a)
        {
            var holders = data.ValueAsOf(a.Code, Measures.CaseHoldersFte, asOf, options.MaxOptionalAgeYears);
            if (holders is null)
                return null;
            var sw = data.Value(a.Code, Measures.SwFte, holders.Year);
            var agency = data.Value(a.Code, Measures.AgencyFte, holders.Year);
            if (sw is null || agency is null || sw + agency <= 0)
                return null;
            return new Value(holders.Value / (sw.Value + agency.Value), $"{When(MeasureTiming.Workforce, holders.Year)}: case holders / (in post + agency)");
        }

        /// <summary>A required value: own data (any year known at as-of), else the statistical neighbours' median.</summary>
        /// <summary>An authority's own value of a required key, as known at as-of (any year), or null.</summary>
        private Value? OwnValue(AuthorityInfo a, string key) => key switch
        {
            "referrals_per_10k" => PerTenK(a, Measures.Referrals, Measures.ReferralsPer10k, true),
            "cin_per_10k" => PerTenK(a, Measures.Cin, Measures.CinPer10k, true),
            "cpp_per_10k" => PerTenK(a, Measures.Cpp, Measures.CppPer10k, true),
            "cla_per_10k" => PerTenK(a, Measures.Cla, Measures.ClaPer10k, true),
            _ => Direct(a, key, null),
        };

        private Value Required(AuthorityInfo a, string key)
        {
            var value = OwnValue(a, key);
            if (value is not null && InRange(key, value.Number))
                return value;
            var neighbours = a.StatisticalNeighbours.Select(data.FindByCode).OfType<AuthorityInfo>()
                .Select(n => OwnValue(n, key)).OfType<Value>().Where(v => InRange(key, v.Number)).Select(v => v.Number).ToList();
            if (neighbours.Count == 0)
                return LaterFigure(a, key) ?? throw Missing(a, key);
            var median = Median(neighbours);
            _notes.Add($"{a.Name}: {key} from the statistical neighbours' median ({neighbours.Count} of {a.StatisticalNeighbours.Count}); own figure missing");
            return new Value(median, $"statistical neighbours' median ({neighbours.Count} of {a.StatisticalNeighbours.Count} with data): own figure missing");
        }

        /// <summary>A required FTE: own data, else the neighbours' median FTE per 10,000 children times own population.</summary>
        private Value RequiredFte(AuthorityInfo a, string measure, double population)
        {
            var value = Direct(a, measure, null);
            if (value is not null && InRange(measure, value.Number))
                return value;
            var perChild = new List<double>();
            foreach (var n in a.StatisticalNeighbours.Select(data.FindByCode).OfType<AuthorityInfo>())
            {
                var fte = Direct(n, measure, null);
                var pop = Population(n, report: false);
                if (fte is not null && pop is { Number: > 0 } && InRange(measure, fte.Number))
                    perChild.Add(fte.Number / pop.Number);
            }
            if (perChild.Count == 0)
                return LaterFigure(a, measure) ?? throw Missing(a, measure);
            var median = Median(perChild) * population;
            _notes.Add($"{a.Name}: {measure} from the statistical neighbours' median FTE per child x own population ({perChild.Count} of {a.StatisticalNeighbours.Count}); own figure missing");
            return new Value(median, $"statistical neighbours' median FTE per child x population ({perChild.Count} of {a.StatisticalNeighbours.Count} with data): own figure missing");
        }

        private ScenarioBuildException Missing(AuthorityInfo a, string key) =>
            new($"{a}: no {key} known at {asOf:yyyy-MM-dd}{FirstFigureHint(BaseMeasure(key))}, and none from its statistical neighbours.");

        /// <summary>The dataset measure a scenario key comes from.</summary>
        private static string BaseMeasure(string key) => key switch
        {
            "referrals_per_10k" => Measures.Referrals,
            "cin_per_10k" => Measures.Cin,
            "cpp_per_10k" => Measures.Cpp,
            "cla_per_10k" => Measures.Cla,
            _ => key,
        };

        /// <summary>" (the first X figures refer to ...)" when the measure's data start after as-of.</summary>
        private string FirstFigureHint(string measure)
        {
            var info = Measures.Get(measure);
            var years = data.Authorities.SelectMany(x => data.Years(x.Code)).Where(y => y[info.Name] is not null).Select(y => y.Year).ToList();
            if (years.Count == 0)
                return $" (the data hold no {info.Name} figures)";
            var first = years.Min();
            if (info.ReferenceDate(first) <= asOf)
                return "";
            var option = options.UseLaterFiguresWhenMissing ? "" : "; choose a later date";
            return $" (the first {info.Name} figures refer to {Measures.Describe(info.Timing, first)}{option})";
        }

        /// <summary>With <see cref="ScenarioBuildOptions.UseLaterFiguresWhenMissing"/>: the figure as known at
        /// the first date the authority has it, flagged as looking ahead.</summary>
        private Value? LaterFigure(AuthorityInfo a, string key)
        {
            if (!options.UseLaterFiguresWhenMissing)
                return null;
            var info = Measures.Get(BaseMeasure(key));
            var first = data.Years(a.Code).FirstOrDefault(y => y.Year > Measures.LatestYearKnownAt(info.Timing, asOf) && y[info.Name] is not null);
            if (first is null)
                return null;
            var later = new Builder(data, info.ReferenceDate(first.Year), options).OwnValue(a, key);
            if (later is null || !InRange(key, later.Number))
                return null;
            _notes.Add($"{a.Name}: {key} not known at {asOf:yyyy-MM-dd}; used the earliest figure, {Measures.Describe(info.Timing, first.Year)} (looks ahead)");
            return new Value(later.Number, $"{Measures.Describe(info.Timing, first.Year)}, the earliest figure: none known at {asOf:yyyy-MM-dd} (looks ahead)");
        }

        private static bool InRange(string key, double v) =>
            !s_ranges.TryGetValue(key, out var r) || (v >= r.Min && (!r.ExclusiveMin || v > r.Min) && v <= r.Max);

        private string When(MeasureTiming timing, int year)
        {
            var latest = timing == MeasureTiming.Workforce ? _workforceYear : _demandYear;
            var text = Measures.Describe(timing, year);
            return year < latest ? $"{text} (latest with a value)" : text;
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double Round1(double v) => Math.Round(v, 1, MidpointRounding.AwayFromZero);

    private static string Whole(double v) => Math.Round(v, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);

    private static string OneDecimal(double v) => Round1(v).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Four significant digits, never in exponent notation.</summary>
    internal static string Sig4(double v)
    {
        if (v == 0 || !double.IsFinite(v))
            return "0";
        var decimals = Math.Clamp(3 - (int)Math.Floor(Math.Log10(Math.Abs(v))), 0, 15);
        return Math.Round(v, decimals, MidpointRounding.AwayFromZero).ToString("0.###############", CultureInfo.InvariantCulture);
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
