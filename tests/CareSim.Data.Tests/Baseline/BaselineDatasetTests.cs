using CareSim.Data.Baseline;
using CareSim.Data.Import;
using CareSim.TestSupport;
using CareSim.Model.Plan;
using static CareSim.TestSupport.BaselineFixture;

namespace CareSim.Data.Tests.Baseline;

public sealed class BaselineDatasetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private BaselineDataset Sample()
    {
        var fixture = new BaselineFixture()
            .Authority("E08000014", "343", "Sefton", "North West", "E08000015", firstYear: "2020", lastYear: "2022")
            .Authority("E08000015", "344", "Wirral", "North West", "E08000014")
            .Authority("E06000023", "801", "Bristol, City of", "South West")
            .Authority("E09000021", "314", "Kingston upon Thames", "Outer London")
            .Authority("E09000001", "201", "City of London", "Inner London")
            .Authority("E06000065", "815", "North Yorkshire", "Yorkshire and The Humber", otherCodes: "E10000023")
            .Authority("E10000009", "835", "Dorset", "South West", firstYear: "2013", lastYear: "2019")
            .Authority("E06000059", "838", "Dorset", "South West", firstYear: "2019", lastYear: "2023")
            .Year("E08000014", 2020, new() { [Measures.SwFte] = 143.1, [Measures.Cin] = 2000, [Measures.TurnoverRate] = 0.143 })
            .Year("E08000014", 2021, new() { [Measures.SwFte] = 155.2, [Measures.Cin] = 2100, [Measures.Population] = 50000 })
            .Year("E08000014", 2022, new() { [Measures.SwFte] = 152.1, [Measures.Cin] = 2200 })
            .England(2021, new() { [Measures.SwFte] = 32502 })
            .Inspection("E08000014", "2016-04-11", "2016-06-27", "SIF", "requires_improvement", "requires_improvement", "requires_improvement")
            .Inspection("E08000014", "2022-02-21", "2022-05-09", "ILACS", "inadequate", "inadequate", "inadequate", "inadequate");
        return BaselineDataset.Load(fixture.Write(_dir));
    }

    [Fact]
    public void Loads_authorities_years_inspections_and_england()
    {
        var data = Sample();

        Assert.Equal(8, data.Authorities.Count);
        Assert.Equal(3, data.Years("E08000014").Count);
        Assert.Equal(32502, data.England.Single().Values[Measures.SwFte]);
        var inspections = data.Inspections("E08000014");
        Assert.Equal(2, inspections.Count);
        Assert.Equal(Grade.Inadequate, inspections[1].ChildrenInCare);
        Assert.Null(inspections[0].ChildrenInCare);
        Assert.Equal(["E08000015"], data.FindByCode("E08000014")!.StatisticalNeighbours);
    }

    [Fact]
    public void Accepts_the_folder_above_baseline()
    {
        new BaselineFixture().Authority("E08000014", "343", "Sefton", "North West").Write(_dir, "data/baseline");

        var data = BaselineDataset.Load(_dir.Combine("data"));

        Assert.Single(data.Authorities);
    }

    [Theory]
    [InlineData("E08000014", "E08000014")]
    [InlineData("e08000014", "E08000014")]
    [InlineData("343", "E08000014")]
    [InlineData("sefton", "E08000014")]
    [InlineData("  SEFTON ", "E08000014")]
    [InlineData("Bristol", "E06000023")]
    [InlineData("City of Bristol", "E06000023")]
    [InlineData("bristol, city of", "E06000023")]
    [InlineData("City of London", "E09000001")]
    [InlineData("E10000023", "E06000065")]
    [InlineData("Kingston", "E09000021")]
    [InlineData("Dorset", "E06000059")]
    [InlineData("835", "E10000009")]
    public void Resolves_codes_numbers_and_names(string query, string code) => Assert.Equal(code, Sample().Resolve(query).Code);

    [Fact]
    public void Names_shared_by_two_authorities_list_the_current_one_first()
    {
        var dorsets = Sample().FindByName("dorset");

        Assert.Equal(["E06000059", "E10000009"], dorsets.Select(a => a.Code));
    }

    [Fact]
    public void Unknown_authority_suggests_close_names_and_codes()
    {
        var data = Sample();

        var ex = Assert.Throws<UnknownAuthorityException>(() => data.Resolve("Sephton"));

        Assert.Contains("Sephton", ex.Message);
        Assert.StartsWith("Sefton (E08000014, 343)", ex.Suggestions[0]);
        var byCode = Assert.Throws<UnknownAuthorityException>(() => data.Resolve("E0800001"));
        Assert.Contains(byCode.Suggestions, s => s.Contains("E08000014", StringComparison.Ordinal));
    }

    [Fact]
    public void Regions_are_matched_case_insensitively_and_london_covers_inner_and_outer()
    {
        var data = Sample();

        Assert.Equal(["E08000014", "E08000015"], data.InRegion("north west").Select(a => a.Code));
        Assert.Equal(["E09000021", "E09000001"], data.InRegion("London").Select(a => a.Code));
        var ex = Assert.Throws<CareSimDataException>(() => data.InRegion("Narnia"));
        Assert.Contains("North West", ex.Message);
    }

    [Theory]
    [InlineData("2021-09-29", 2020, 143.1)]
    [InlineData("2021-09-30", 2021, 155.2)]
    [InlineData("2022-09-30", 2022, 152.1)]
    [InlineData("2030-01-01", 2022, 152.1)]
    public void Workforce_year_y_is_known_from_30_september_y(string date, int year, double value)
    {
        var v = Sample().ValueAsOf("E08000014", Measures.SwFte, D(date));

        Assert.NotNull(v);
        Assert.Equal(year, v.Year);
        Assert.Equal(value, v.Value);
        Assert.Equal(new DateOnly(year, 9, 30), v.ReferenceDate);
    }

    [Theory]
    [InlineData("2021-03-30", 2020, 2000)]
    [InlineData("2021-03-31", 2021, 2100)]
    [InlineData("2021-09-29", 2021, 2100)]
    [InlineData("2022-03-31", 2022, 2200)]
    public void Demand_year_y_is_known_from_31_march_y(string date, int year, double value)
    {
        var v = Sample().ValueAsOf("E08000014", Measures.Cin, D(date));

        Assert.NotNull(v);
        Assert.Equal(year, v.Year);
        Assert.Equal(value, v.Value);
    }

    [Fact]
    public void Nothing_is_known_before_the_first_reference_date()
    {
        var data = Sample();

        Assert.Null(data.ValueAsOf("E08000014", Measures.SwFte, D("2020-09-29")));
        Assert.Null(data.ValueAsOf("E08000014", Measures.Cin, D("2020-03-30")));
    }

    [Fact]
    public void Missing_values_fall_back_to_earlier_years_within_the_age_limit()
    {
        var data = Sample();

        // Turnover only in 2020: as of 2022-10-01 the latest known workforce year is 2022.
        Assert.Equal(2020, data.ValueAsOf("E08000014", Measures.TurnoverRate, D("2022-10-01"))!.Year);
        Assert.Equal(2020, data.ValueAsOf("E08000014", Measures.TurnoverRate, D("2022-10-01"), maxAgeYears: 2)!.Year);
        Assert.Null(data.ValueAsOf("E08000014", Measures.TurnoverRate, D("2022-10-01"), maxAgeYears: 1));
    }

    [Fact]
    public void England_values_and_unknown_measures()
    {
        var data = Sample();

        Assert.Equal(32502, data.EnglandValueAsOf(Measures.SwFte, D("2022-01-01"))!.Value);
        var ex = Assert.Throws<ArgumentException>(() => data.ValueAsOf("E08000014", "sw_ftee", D("2022-01-01")));
        Assert.Contains("sw_fte", ex.Message);
    }

    [Fact]
    public void A_missing_folder_is_an_error_naming_it()
    {
        var ex = Assert.Throws<BaselineDataException>(() => BaselineDataset.Load(_dir.Combine("nowhere")));

        Assert.Contains("nowhere", ex.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var folder = new BaselineFixture().Authority("E08000014", "343", "Sefton", "North West").Write(_dir);
        File.Delete(Path.Combine(folder, "inspections.csv"));

        var ex = Assert.Throws<BaselineDataException>(() => BaselineDataset.Load(folder));

        Assert.Contains("inspections.csv", ex.Message);
    }

    [Fact]
    public void A_bad_header_is_an_error_naming_the_missing_columns()
    {
        var folder = new BaselineFixture().Authority("E08000014", "343", "Sefton", "North West").Write(_dir);
        File.WriteAllText(Path.Combine(folder, "authority_years.csv"), "authority,when,sw_fte\nE08000014,2021,1\n");

        var ex = Assert.Throws<BaselineDataException>(() => BaselineDataset.Load(folder));

        Assert.Contains("authority_years.csv", ex.Message);
        Assert.Contains("code", ex.Message);
        Assert.Contains("year", ex.Message);
    }

    [Fact]
    public void A_bad_value_is_an_error_naming_file_line_and_column()
    {
        var folder = new BaselineFixture().Authority("E08000014", "343", "Sefton", "North West")
            .Year("E08000014", 2021, new() { [Measures.SwFte] = 1 }).Write(_dir);
        var path = Path.Combine(folder, "authority_years.csv");
        File.WriteAllText(path, File.ReadAllText(path).Replace(",2021,1,", ",2021,lots,", StringComparison.Ordinal));

        var ex = Assert.Throws<BaselineDataException>(() => BaselineDataset.Load(folder));

        Assert.Contains("line 2", ex.Message);
        Assert.Contains("sw_fte", ex.Message);
    }

    [Fact]
    public void The_importers_output_loads_back()
    {
        OfficialFixture.WriteAll(_dir);
        OfficialDataImporter.Import(_dir.Combine("official"), _dir.Combine("out"));

        var data = BaselineDataset.Load(_dir.Combine("out"));

        Assert.Equal(["E08000012", "E08000014", "E08000015"], data.Authorities.Select(a => a.Code));
        Assert.Equal(0.172, data.ValueAsOf("E08000014", Measures.RereferralShare, D("2021-04-01"))!.Value);
        Assert.Equal(155.2, data.ValueAsOf("E08000014", Measures.SwFte, D("2021-10-01"))!.Value);
        Assert.Equal(3, data.England.Count);
        Assert.Equal(2, data.Inspections(data.Resolve("343").Code).Count);
        Assert.Empty(data.Inspections("Sefton")); // lookups by code only; Resolve handles names
    }
}
