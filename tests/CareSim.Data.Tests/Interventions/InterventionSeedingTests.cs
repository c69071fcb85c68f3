using CareSim.Data.Baseline;
using CareSim.Data.Interventions;
using CareSim.Data.Scenarios;
using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Scenarios;
using CareSim.TestSupport;
using static CareSim.TestSupport.BaselineFixture;

namespace CareSim.Data.Tests.Interventions;

/// <summary>Scenarios from data take notices, directions, commissioners and trusts from the record; a scenario's trusts are checked against it.</summary>
public sealed class InterventionSeedingTests : IDisposable
{
    private const string Record = """
        code,name,kind,start,end,detail,source
        E08000025,Birmingham,trust,2018-04,,Children's trust from Apr 2018,brief §4
        E08000017,Doncaster,trust,2014,2022-09,"Trust; back in-house Sep 2022",brief §4
        E08000014,Sefton,improvement_notice,2021,2022-05,Improvement notice,brief §2
        E08000014,Sefton,commissioner,2022-05-09,,Direction and commissioner,"brief §2; seeds 001, 003"
        E08000014,Sefton,commissioner,2022-11,,Second commissioner,brief §2
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Three authorities with complete figures for 2020-2022 and their inspections; the record beside the baseline.</summary>
    private string Folder(string record = Record)
    {
        var fixture = new BaselineFixture()
            .Authority("E08000025", "330", "Birmingham", "West Midlands")
            .Authority("E08000017", "371", "Doncaster", "Yorkshire and The Humber")
            .Authority("E08000014", "343", "Sefton", "North West");
        foreach (var code in new[] { "E08000025", "E08000017", "E08000014" })
        {
            for (var year = 2020; year <= 2022; year++)
                fixture.Year(code, year, Merge(Demand(50000, 2500, 2100, 250, 600, 120), Workforce(155, 38, 19, 18)));
        }
        fixture
            .Inspection("E08000025", "2016-09-12", "2016-11-25", "SIF", "inadequate", "inadequate", "inadequate", "good")
            .Inspection("E08000025", "2018-12-03", "2019-01-17", "ILACS", "requires_improvement")
            .Inspection("E08000017", "2015-09-14", "2015-11-27", "SIF", "inadequate", "requires_improvement", "inadequate")
            .Inspection("E08000017", "2017-11-09", "2018-01-19", "SIF", "good")
            .Inspection("E08000014", "2016-04-11", "2016-06-27", "SIF", "requires_improvement")
            .Inspection("E08000014", "2022-02-21", "2022-05-09", "ILACS", "inadequate", "inadequate", "inadequate", "inadequate");
        var folder = fixture.Write(_dir);
        _dir.Write(InterventionRecord.FileName, record);
        return folder;
    }

    private static readonly ScenarioBuildOptions Small = new() { Replicas = 4, HorizonMonths = 2 };

    private string Build(string folder, string authority, string asOf, bool withRecord = true)
    {
        var data = BaselineDataset.Load(folder);
        var options = withRecord ? Small with { Interventions = InterventionRecord.Load(InterventionRecord.FindBeside(folder)!, data) } : Small;
        return ScenarioFromData.Build(data, AuthoritySelection.Authority(authority), D(asOf), options);
    }

    private static SimulationPlan Load(string yaml)
    {
        var result = ScenarioLoader.LoadText(yaml, "from-data.yaml");
        Assert.True(result.IsValid, result.FormatErrors() + "\n" + yaml);
        return result.Plan!;
    }

    private static List<string> Timeline(string yaml) =>
        yaml.Split('\n').Where(l => l.StartsWith("      - {date:", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();

    /// <summary>The "removed" metric of every replica in the first month.</summary>
    private static double[] RemovedAtStart(SimulationPlan plan)
    {
        var sink = new FirstMonthSink();
        ReferenceEngine.Run(plan, new RunSettings(BlockSize: plan.Replicas), sink);
        return sink.Removed!;
    }

    [Fact]
    public void A_trust_in_force_at_the_date_is_a_removal_in_the_history_and_a_run_starts_in_the_trust()
    {
        var folder = Folder();

        var yaml = Build(folder, "Birmingham", "2021-12-31");

        var timeline = Timeline(yaml);
        Assert.Equal(3, timeline.Count);
        Assert.StartsWith("- {date: 2016-09, event: inspection", timeline[0]);
        Assert.Equal("- {date: 2018-04, event: removal, source: \"Children's trust from Apr 2018. brief §4; interventions.csv line 2\"}", timeline[1]);
        Assert.StartsWith("- {date: 2018-12, event: inspection", timeline[2]);
        Assert.Contains("# Notices, directions, commissioners and trusts from interventions.csv", yaml);
        Assert.All(RemovedAtStart(Load(yaml)), r => Assert.Equal(1.0, r));

        // Without the record Birmingham comes out as an ordinary council.
        var without = Build(folder, "Birmingham", "2021-12-31", withRecord: false);
        Assert.DoesNotContain("removal", without);
        Assert.All(RemovedAtStart(Load(without)), r => Assert.Equal(0.0, r));
    }

    [Fact]
    public void A_trust_that_ended_by_the_start_is_a_comment_and_a_year_only_start_is_said()
    {
        var folder = Folder();

        var inTrust = Build(folder, "Doncaster", "2021-12-31");
        var removal = Assert.Single(Timeline(inTrust), l => l.Contains("removal", StringComparison.Ordinal));
        Assert.Contains("date: 2014-01", removal);
        Assert.Contains("the source gives the year only, taken as January 2014", removal);
        Assert.All(RemovedAtStart(Load(inTrust)), r => Assert.Equal(1.0, r));

        // Back in-house from Sep 2022: a scenario starting then has no removal.
        var inHouse = Build(folder, "Doncaster", "2022-08-31");
        Assert.DoesNotContain("event: removal", inHouse);
        Assert.Contains("# trust from 2014 to 2022-09 (Trust; back in-house Sep 2022. brief §4; interventions.csv line 3): ended by the start", inHouse, StringComparison.OrdinalIgnoreCase);
        Assert.All(RemovedAtStart(Load(inHouse)), r => Assert.Equal(0.0, r));
    }

    [Fact]
    public void Notices_and_commissioners_become_history_events_once_known()
    {
        var folder = Folder();

        // The notice's year (2021) is not over at the date: it may not have started yet.
        var midYear = Build(folder, "Sefton", "2021-06-30");
        Assert.DoesNotContain("improvement_notice}", midYear);
        Assert.Contains("# improvement_notice from 2021 (Improvement notice. brief §2; interventions.csv line 4): may not have started by 2021-06-30", midYear);

        var afterDirection = Timeline(Build(folder, "Sefton", "2022-06-30"));
        Assert.Equal(4, afterDirection.Count);
        Assert.StartsWith("- {date: 2016-04, event: inspection", afterDirection[0]);
        Assert.StartsWith("- {date: 2021-01, event: improvement_notice, source: \"Improvement notice. brief §2; interventions.csv line 4; the source gives the year only", afterDirection[1]);
        Assert.StartsWith("- {date: 2022-02, event: inspection", afterDirection[2]);
        Assert.Equal("- {date: 2022-05, event: direction, commissioner: true, source: \"Direction and commissioner. brief §2; seeds 001, 003; interventions.csv line 5\"}", afterDirection[3]);

        var yaml = Build(folder, "Sefton", "2022-12-31");
        Assert.Single(Timeline(yaml), l => l.StartsWith("- {date: 2022-11, event: direction, commissioner: true", StringComparison.Ordinal));
        Load(yaml);
    }

    [Fact]
    public void The_command_uses_the_record_beside_the_baseline_and_a_bad_record_writes_nothing()
    {
        var folder = Folder();
        var outFile = _dir.Combine("out", "birmingham.yaml");

        Assert.Equal(0, ScenarioFromData.Run(folder, "Birmingham", null, false, D("2021-12-31"), outFile, new StringWriter(), new StringWriter()));
        Assert.Contains("event: removal", File.ReadAllText(outFile));
        File.Delete(outFile);

        var bad = Folder(Record.Replace("2018-04,,Children's", "2018-04,2017-01,Children's", StringComparison.Ordinal));
        var stderr = new StringWriter();
        Assert.Equal(2, ScenarioFromData.Run(bad, "Birmingham", null, false, D("2021-12-31"), outFile, new StringWriter(), stderr));
        Assert.Contains($"{InterventionRecord.FileName}:2: end 2017-01 is not after start 2018-04", stderr.ToString());
        Assert.False(File.Exists(outFile));
    }

    [Fact]
    public void The_command_without_a_record_says_so()
    {
        var folder = Folder();
        File.Delete(_dir.Combine(InterventionRecord.FileName));
        var stderr = new StringWriter();

        Assert.Equal(0, ScenarioFromData.Run(folder, "Birmingham", null, false, D("2021-12-31"), null, new StringWriter(), stderr));
        Assert.Contains("no interventions.csv beside the baseline", stderr.ToString());
    }

    [Fact]
    public void A_scenario_from_data_agrees_with_the_record()
    {
        var folder = Folder();
        var check = InterventionCheck.Open(folder);

        foreach (var (authority, asOf) in new[] { ("Birmingham", "2021-12-31"), ("Doncaster", "2021-12-31"), ("Doncaster", "2022-12-31"), ("Sefton", "2022-12-31") })
            Assert.Empty(check.Check(Load(Build(folder, authority, asOf)), "s.yaml"));
    }

    [Fact]
    public void A_timeline_that_contradicts_the_record_is_an_error_naming_both()
    {
        var folder = Folder();
        var check = InterventionCheck.Open(folder);

        // Birmingham without its trust.
        var birmingham = Build(folder, "Birmingham", "2021-12-31");
        var withoutTrust = string.Join('\n', birmingham.Split('\n').Where(l => !l.Contains("event: removal", StringComparison.Ordinal)));
        var missing = Assert.Single(check.Check(Load(withoutTrust), "b.yaml"));
        Assert.Equal("b.yaml: authorities[0] (Birmingham, E08000025): interventions.csv:2 has services in a trust from 2018-04 (brief §4), but the timeline has no removal then; add {date: 2018-04, event: removal, source: \"brief §4\"}", missing);

        // Sefton removed to a trust the record does not have.
        var sefton = Build(folder, "Sefton", "2022-12-31").Replace("    timeline:\n", "    timeline:\n      - {date: 2022-08, event: removal}\n", StringComparison.Ordinal);
        var invented = Assert.Single(check.Check(Load(sefton), "s.yaml"));
        Assert.Equal("s.yaml: authorities[0] (Sefton, E08000014): the timeline removes services to a trust in 2022-08, but interventions.csv has no trust for this authority", invented);

        // Birmingham's removal a year late: both the wrong removal and the missing one.
        var late = check.Check(Load(birmingham.Replace("date: 2018-04, event: removal", "date: 2019-04, event: removal", StringComparison.Ordinal)), "b.yaml");
        Assert.Equal(2, late.Count);
        Assert.Contains("in 2019-04, but interventions.csv has its trust from 2018-04 (interventions.csv:2)", late[0]);

        // Doncaster after its return in-house, still in the trust.
        var doncaster = Build(folder, "Doncaster", "2022-12-31").Replace("    timeline:\n", "    timeline:\n      - {date: 2014-10, event: removal}\n", StringComparison.Ordinal);
        var ended = Assert.Single(check.Check(Load(doncaster), "d.yaml"));
        Assert.Contains("that trust ended in 2022-09 (interventions.csv:3), before the start (2023-01); the model cannot return services in-house", ended);
    }

    [Fact]
    public void Removals_outside_the_history_or_the_record_are_not_checked()
    {
        var folder = Folder();
        var check = InterventionCheck.Open(folder);

        // Any month of a year-only start will do; a projected removal (after history_until) is an assumption.
        var doncaster = Build(folder, "Doncaster", "2021-12-31").Replace("date: 2014-01, event: removal", "date: 2014-10, event: removal", StringComparison.Ordinal);
        Assert.Empty(check.Check(Load(doncaster), "d.yaml"));
        var projected = Build(folder, "Sefton", "2022-12-31").Replace("    timeline:\n", "    timeline:\n      - {date: 2023-02, event: removal}\n", StringComparison.Ordinal);
        Assert.Empty(check.Check(Load(projected), "s.yaml"));
        // An authority the data do not know (an illustrative one) is not checked.
        var illustrative = Build(folder, "Sefton", "2022-12-31")
            .Replace("code: E08000014", "code: E99000001", StringComparison.Ordinal)
            .Replace("    timeline:\n", "    timeline:\n      - {date: 2022-08, event: removal}\n", StringComparison.Ordinal);
        Assert.Empty(check.Check(Load(illustrative), "i.yaml"));
    }

    [Fact]
    public void Opening_the_check_needs_the_record()
    {
        var folder = Folder();
        File.Delete(_dir.Combine(InterventionRecord.FileName));

        var ex = Assert.Throws<InterventionDataException>(() => InterventionCheck.Open(folder));
        Assert.Contains("intervention record not found", ex.Message);
    }

    private sealed class FirstMonthSink : IRunSink
    {
        public double[]? Removed { get; private set; }

        public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
        {
            if (month == 0)
                Removed = frame[Metric.Removed].Take(block.Count).ToArray();
        }

        public void CompleteMonth(int month)
        {
        }

        public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
        {
        }
    }
}
