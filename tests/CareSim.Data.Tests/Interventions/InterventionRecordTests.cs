using CareSim.Data.Baseline;
using CareSim.Data.Interventions;
using CareSim.Model.Time;
using CareSim.TestSupport;

namespace CareSim.Data.Tests.Interventions;

public sealed class InterventionRecordTests : IDisposable
{
    private const string Header = "code,name,kind,start,end,detail,source\n";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private BaselineDataset Data() => BaselineDataset.Load(new BaselineFixture()
        .Authority("E08000025", "330", "Birmingham", "West Midlands")
        .Authority("E08000017", "371", "Doncaster", "Yorkshire and The Humber")
        .Authority("E06000065", "815", "North Yorkshire", "Yorkshire and The Humber", otherCodes: "E10000023")
        .Year("E08000025", 2023, new() { [Measures.SwFte] = 100 })
        .Write(_dir));

    private string Csv(string rows) => _dir.Write("interventions.csv", Header + rows);

    private static SimMonth M(int year, int month) => new(year, month);

    [Fact]
    public void Reads_rows_with_kinds_dates_and_sources()
    {
        var path = Csv("""
            E08000017,Doncaster,trust,2014,2022-09,"Trust, back in-house Sep 2022",brief §4
            E08000025,Birmingham,trust,2018-04,,Children's trust,brief §4

            E08000025,Birmingham,commissioner,2016-11-25,2018-04,Direction with a commissioner,illustrative
            E10000023,North Yorkshire,improvement_notice,2019-02,2019-08,Notice,illustrative
            """);

        var record = InterventionRecord.Load(path, Data());

        Assert.Equal(4, record.Rows.Count);
        var doncaster = record.Rows[0];
        Assert.Equal((2, "E08000017", InterventionKind.Trust), (doncaster.Line, doncaster.Code, doncaster.Kind));
        Assert.True(doncaster.StartYearOnly);
        Assert.Equal(M(2014, 1), doncaster.Start);
        Assert.Equal(M(2014, 12), doncaster.LatestStart);
        Assert.Equal(M(2022, 9), doncaster.End);
        Assert.Equal("Trust, back in-house Sep 2022", doncaster.Detail);
        Assert.Equal("brief §4", doncaster.Source);
        Assert.Equal(5, record.Rows[2].Line); // blank lines are skipped but counted
        Assert.Equal(M(2016, 11), record.Rows[2].Start);
        Assert.Equal("E06000065", record.Rows[3].Code); // an older code becomes the current one
        Assert.Equal(M(2014, 1), record.CoveredFrom);
        Assert.Equal(M(2023, 12), record.CoveredUntil); // the baseline's last year

        Assert.True(record.InForce("E08000017", InterventionKind.Trust, M(2022, 8)));
        Assert.False(record.InForce("E08000017", InterventionKind.Trust, M(2022, 9))); // the end month is the first month out
        Assert.False(record.InForce("E08000017", InterventionKind.Trust, M(2013, 12)));
        Assert.True(record.InForce("e08000025", InterventionKind.Trust, M(2023, 12)));
        Assert.False(record.InForce("E08000025", InterventionKind.Trust, M(2018, 3)));
        Assert.True(record.InForce("E08000025", InterventionKind.Commissioner, M(2018, 3)));
        Assert.False(record.InForce("E08000025", InterventionKind.Commissioner, M(2018, 4)));
        Assert.Equal(2, record.For("E08000025").Count);
        Assert.Empty(record.For("E09000001"));
    }

    [Fact]
    public void Without_a_dataset_codes_are_checked_for_their_form_only()
    {
        var record = InterventionRecord.Load(Csv("E99999999,Nowhere,direction,2020-01,,x,y\n"));
        Assert.Equal("E99999999", Assert.Single(record.Rows).Code);
        Assert.Equal(M(2020, 12), record.CoveredUntil);

        var ex = Assert.Throws<InterventionDataException>(() => InterventionRecord.Load(Csv("Birmingham,Birmingham,direction,2020-01,,x,y\n")));
        Assert.Contains("interventions.csv:2: 'Birmingham' is not an ONS authority code", ex.Message);
    }

    [Fact]
    public void Every_bad_row_is_reported_with_file_and_line()
    {
        var path = Csv("""
            E08000026,Birmingham,trust,2018-04,,x,brief
            E08000017,Barnsley,trust,2018-04,,x,brief
            E08000025,Birmingham,trsut,2018-04,,x,brief
            E08000025,Birmingham,trust,2018-13,,x,brief
            E08000025,Birmingham,trust,2018-04,2018-04,x,brief
            E08000025,Birmingham,commissioner,2018-04,2017,x,brief
            E08000025,Birmingham,commissioner,,,x,brief
            E08000025,Birmingham,commissioner,2018-04,,x,
            E08000025,,commissioner,2018-04,,x,brief
            E08000025,Birmingham,commissioner,2018-04,,"x,brief
            """);

        var ex = Assert.Throws<InterventionDataException>(() => InterventionRecord.Load(path, Data()));

        string Error(int line) => Assert.Single(ex.Errors, e => e.StartsWith($"{path}:{line}: ", StringComparison.Ordinal));
        Assert.Contains("unknown authority code 'E08000026'; closest: Birmingham (E08000025, 330)", Error(2));
        Assert.Contains("code E08000017 is Doncaster in the baseline, not 'Barnsley'", Error(3));
        Assert.Contains("unknown kind 'trsut'; expected one of: improvement_notice, direction, commissioner, trust", Error(4));
        Assert.Contains("start '2018-13' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD", Error(5));
        Assert.Contains("end 2018-04 is not after start 2018-04", Error(6));
        Assert.Contains("end '2017' is not a date; expected YYYY-MM or YYYY-MM-DD", Error(7));
        Assert.Contains("empty start", Error(8));
        Assert.Contains("empty source", Error(9));
        Assert.Contains("empty name", Error(10));
        Assert.Contains("unclosed quote", Error(11));
        Assert.Equal(10, ex.Errors.Count);
    }

    [Fact]
    public void Overlapping_trusts_of_one_authority_are_an_error()
    {
        var path = Csv("""
            E08000025,Birmingham,trust,2018-04,2020-01,first,brief
            E08000025,Birmingham,trust,2019-06,,second,brief
            E08000017,Doncaster,trust,2014,2016-01,first,brief
            E08000017,Doncaster,trust,2016-01,,second,brief
            """);

        var ex = Assert.Throws<InterventionDataException>(() => InterventionRecord.Load(path, Data()));

        var error = Assert.Single(ex.Errors);
        Assert.StartsWith($"{path}:3: Birmingham (E08000025) is already in a trust from 2018-04 (line 2) to 2020-01", error);
    }

    [Fact]
    public void A_missing_file_or_column_is_a_clear_error()
    {
        var missing = Assert.Throws<InterventionDataException>(() => InterventionRecord.Load(_dir.Combine("none.csv")));
        Assert.Contains("none.csv: intervention record not found", missing.Message);

        var path = _dir.Write("bad.csv", "code,name,kind,start,detail\n");
        var header = Assert.Throws<InterventionDataException>(() => InterventionRecord.Load(path));
        Assert.Contains("bad.csv:1: bad header: missing column(s) end, source", header.Message);
    }

    [Fact]
    public void The_record_is_found_beside_the_baseline_folder()
    {
        var baseline = new BaselineFixture().Write(_dir);
        Assert.Null(InterventionRecord.FindBeside(baseline));
        var path = Csv("");
        Assert.Equal(path, InterventionRecord.FindBeside(baseline));
        Assert.Equal(path, InterventionRecord.FindBeside(_dir.Path));
    }

    [Fact]
    public void The_committed_record_reads_against_the_committed_baseline()
    {
        var data = Path.Combine(RepositoryRoot(), "data");
        var record = InterventionRecord.Load(InterventionRecord.FindBeside(data)!, BaselineDataset.Load(data));

        Assert.All(record.Rows, r => Assert.NotEmpty(r.Source));
        Assert.True(record.InForce("E08000025", InterventionKind.Trust, M(2021, 3))); // Birmingham
        Assert.True(record.InForce("E08000024", InterventionKind.Trust, M(2021, 3))); // Sunderland
        Assert.True(record.InForce("E08000017", InterventionKind.Trust, M(2021, 3))); // Doncaster, until Sep 2022
        Assert.False(record.InForce("E08000017", InterventionKind.Trust, M(2023, 1)));
        Assert.True(record.InForce("E06000062", InterventionKind.Trust, M(2022, 1))); // West Northamptonshire
        Assert.True(record.InForce("E08000014", InterventionKind.Commissioner, M(2023, 6))); // Sefton
        Assert.False(record.InForce("E08000014", InterventionKind.Trust, M(2023, 6)));
    }

    [Theory]
    [InlineData("Birmingham", "2021-12-31", "2018-04")]
    [InlineData("Sunderland", "2021-12-31", "2017-01")]
    [InlineData("Doncaster", "2021-12-31", "2014-01")]
    [InlineData("West Northamptonshire", "2022-06-30", "2020-11")]
    public void From_the_committed_data_the_trusts_come_out_in_their_trust(string authority, string asOf, string since)
    {
        var data = Path.Combine(RepositoryRoot(), "data");
        var outFile = _dir.Combine("scenario.yaml");
        var stderr = new StringWriter();

        Assert.Equal(0, CareSim.Data.Scenarios.ScenarioFromData.Run(data, authority, null, false, DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture), outFile, new StringWriter(), stderr));

        var result = CareSim.Scenarios.ScenarioLoader.Load(outFile);
        Assert.True(result.IsValid, result.FormatErrors());
        var removal = Assert.IsType<CareSim.Model.Plan.RemovalEvent>(Assert.Single(result.Plan!.Authorities[0].Events, e => e is CareSim.Model.Plan.RemovalEvent));
        Assert.Equal(since, result.Plan.MonthAt(removal.Month).ToString());
        Assert.Empty(InterventionCheck.Open(data).Check(result.Plan, outFile));
    }

    [Fact]
    public void The_committed_scenarios_agree_with_the_committed_record()
    {
        var root = RepositoryRoot();
        var check = InterventionCheck.Open(Path.Combine(root, "data"));
        foreach (var file in Directory.GetFiles(Path.Combine(root, "scenarios"), "*.yaml").Where(f => !CareSim.Scenarios.ScenarioLoader.IsStrategiesFile(f)))
        {
            var result = CareSim.Scenarios.ScenarioLoader.Load(file);
            Assert.True(result.IsValid, result.FormatErrors());
            Assert.Empty(check.Check(result.Plan!, file));
        }
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Simulation.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("repository root (Simulation.sln) not found");
    }
}
