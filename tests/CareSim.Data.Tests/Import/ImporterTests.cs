using CareSim.Data.Baseline;
using CareSim.Data.Csv;
using CareSim.Data.Import;
using CareSim.TestSupport;
using static CareSim.TestSupport.Csv;
using static CareSim.TestSupport.OfficialFixture;

namespace CareSim.Data.Tests.Import;

public sealed class ImporterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data => _dir.Combine("official");
    private string Out => _dir.Combine("out");

    private ImportReport ImportStandard()
    {
        OfficialFixture.WriteAll(_dir);
        return OfficialDataImporter.Import(Data, Out);
    }

    /// <summary>The cells of the row of authority_years.csv for a code and year, by column.</summary>
    private Dictionary<string, string> YearRow(string code, int year, string file = BaselineColumns.AuthorityYearsFile)
    {
        var table = CsvTable.Read(Path.Combine(Out, "baseline", file));
        var row = table.Rows.Single(r => table.Cell(r, "code") == code && table.Cell(r, "year") == year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return table.Header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => row[x.i]);
    }

    [Fact]
    public void Files_are_recognised_by_header_whatever_their_names()
    {
        var report = ImportStandard();

        var kinds = report.Files.ToDictionary(f => f.Path, f => f.Kind);
        Assert.Equal(DataFileKind.Workforce, kinds["dfe/workforce_latest.csv"]);
        Assert.Equal(DataFileKind.Workforce, kinds["dfe/old/workforce_older.csv"]);
        Assert.Equal(DataFileKind.ChildrenInNeed, kinds["dfe/table_1.csv"]);
        Assert.Equal(DataFileKind.Referrals, kinds["dfe/table_2.csv"]);
        Assert.Equal(DataFileKind.ChildProtectionStarts, kinds["dfe/table_3.csv"]);
        Assert.Equal(DataFileKind.ChildProtectionAt31, kinds["dfe/table_4.csv"]);
        Assert.Equal(DataFileKind.LookedAfter, kinds["dfe/care.csv"]);
        Assert.Equal(DataFileKind.StatisticalNeighbours, kinds["dfe/groups.csv"]);
        Assert.Equal(DataFileKind.OfstedJudgements, kinds["inspections/judgements.csv"]);
        Assert.False(report.HasErrors);
        foreach (var file in new[] { "authorities.csv", "authority_years.csv", "england_years.csv", "inspections.csv", "import_report.txt" })
            Assert.True(File.Exists(Path.Combine(Out, "baseline", file)), file);
        Assert.True(File.Exists(Path.Combine(Out, "README.md")));
    }

    [Fact]
    public void Rows_read_and_used_exclude_regional_rows()
    {
        var report = ImportStandard();

        var b1 = report.Files.Single(f => f.Kind == DataFileKind.ChildrenInNeed);
        Assert.Equal(13, b1.RowsRead);
        Assert.Equal(12, b1.RowsUsed);
        Assert.Equal(2020, b1.FirstYear);
        Assert.Equal(2022, b1.LastYear);
    }

    [Fact]
    public void A_newer_release_with_an_extra_year_and_extra_columns_imports_unchanged()
    {
        OfficialFixture.WriteAll(_dir);
        // The 2024 release: a new column in the middle and at the end, and a new year.
        var header = B1.Replace("Started_episodes,", "Started_episodes,new_measure_2024,", StringComparison.Ordinal) + ",another_new_column";
        var rows = new[]
        {
            Sefton(2023).With(("category", "Children in Need"), ("Started_episodes", 2600), ("new_measure_2024", 7), ("Ended_episodes", 2200), ("At31_episodes", 2700), ("another_new_column", "x")),
            Sefton(2024).With(("category", "Children in Need"), ("Started_episodes", 2700), ("new_measure_2024", 8), ("Ended_episodes", 2300), ("At31_episodes", 2800), ("another_new_column", "y")),
        };
        _dir.Write("official/dfe/table_1.csv", Text(header, rows));

        var report = OfficialDataImporter.Import(Data, Out);

        Assert.Equal(DataFileKind.ChildrenInNeed, report.Files.Single(f => f.Path == "dfe/table_1.csv").Kind);
        Assert.Equal("2800", YearRow("E08000014", 2024)["cin"]);
        Assert.Equal("2700", YearRow("E08000014", 2024)["cin_started"]);
    }

    [Fact]
    public void An_unrecognised_csv_is_skipped_with_the_missing_columns_named()
    {
        OfficialFixture.WriteAll(_dir);
        _dir.Write("official/notes/lookup.csv", "region,colour\nNorth West,red\n");

        var report = OfficialDataImporter.Import(Data, Out);

        var skipped = report.Files.Single(f => f.Path == "notes/lookup.csv");
        Assert.True(skipped.Skipped);
        Assert.Null(skipped.Kind);
        Assert.Contains("not a known kind", skipped.SkipReason);
        Assert.Contains("needs", skipped.SkipReason);
        Assert.Contains("notes/lookup.csv: skipped", report.ToString());
        Assert.False(report.HasErrors);
    }

    [Fact]
    public void A_known_kind_missing_a_required_column_is_an_error_naming_file_and_columns()
    {
        OfficialFixture.WriteAll(_dir);
        var header = B1.Replace("Started_episodes,", "", StringComparison.Ordinal).Replace("Ended_episodes,", "", StringComparison.Ordinal);
        _dir.Write("official/dfe/table_1.csv", Text(header, [Sefton(2022).With(("At31_episodes", 2000))]));

        var ex = Assert.Throws<DataImportException>(() => OfficialDataImporter.Import(Data, Out));

        // The message (calibrate and backtest print it) is the first error on one line; the report has them all.
        Assert.Contains("dfe/table_1.csv", ex.Message);
        Assert.Contains("Started_episodes", ex.Message);
        Assert.Contains("children in need", ex.Message);
        Assert.EndsWith("(and 1 more error(s))", ex.Message);
        Assert.NotNull(ex.Report);
        Assert.Contains(ex.Report!.Errors, e => e.StartsWith("dfe/table_1.csv line 1: ", StringComparison.Ordinal) && e.Contains("Ended_episodes", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(Out, "baseline")), "nothing is written when a file is malformed");
    }

    [Fact]
    public void A_missing_data_folder_is_a_clear_error_naming_it()
    {
        var missing = _dir.Combine("no-such-folder");

        var ex = Assert.Throws<DataImportException>(() => OfficialDataImporter.Import(missing, Out));

        Assert.Contains("no-such-folder", ex.Message);
        Assert.Contains("not found", ex.Message);
    }

    [Fact]
    public void Run_returns_zero_and_prints_the_report_or_one_with_the_error()
    {
        OfficialFixture.WriteAll(_dir);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        Assert.Equal(0, OfficialDataImporter.Run(Data, Out, stdout, stderr));
        Assert.Contains("Result:", stdout.ToString());

        var stderr2 = new StringWriter();
        Assert.Equal(2, OfficialDataImporter.Run(_dir.Combine("nope"), Out, new StringWriter(), stderr2));
        Assert.Contains("nope", stderr2.ToString());
    }

    [Fact]
    public void Suppression_codes_are_counted_per_file_and_per_code()
    {
        OfficialFixture.WriteAll(_dir);
        _dir.Write("official/dfe/table_2.csv", Text(C1,
        [
            Sefton(2021).With(("referral_count", "c"), ("rereferral_count", "x"), ("rereferral_percent", "z"), ("no_further_action_count", "u"),
                ("no_further_action_percent", "."), ("not_in_need_count", ":"), ("not_in_need_percent", "low")),
            Sefton(2022).With(("referral_count", "n/a"), ("rereferral_count", "c"), ("rereferral_percent", "c"), ("no_further_action_count", ""),
                ("no_further_action_percent", "1"), ("not_in_need_count", "5"), ("not_in_need_percent", "0.1")),
        ]));

        var report = OfficialDataImporter.Import(Data, Out);

        var c1 = report.Files.Single(f => f.Path == "dfe/table_2.csv").MissingByCode;
        Assert.Equal(3, c1["c"]);
        Assert.Equal(1, c1["x"]);
        Assert.Equal(1, c1["z"]);
        Assert.Equal(1, c1["u"]);
        Assert.Equal(1, c1["."]);
        Assert.Equal(1, c1[":"]);
        Assert.Equal(1, c1["low"]);
        Assert.Equal(1, c1["(other)"]);
        Assert.Equal(1, c1["(empty)"]);
        Assert.Contains("low: 1", report.ToString());
        // Suppressed values are empty in the output, not zero.
        Assert.Equal("", YearRow("E08000014", 2021)["referrals"]);
        Assert.Equal("", YearRow("E08000014", 2021)["rereferral_share"]);
    }

    [Fact]
    public void Percentages_become_fractions_and_rates_per_10k_stay_per_10k()
    {
        ImportStandard();

        var sefton2021 = YearRow("E08000014", 2021);
        Assert.Equal("0.172", sefton2021["rereferral_share"]);
        Assert.Equal("0.003", sefton2021["no_further_action_share"]);
        Assert.Equal("0.415", sefton2021["not_in_need_share"]);
        Assert.Equal("0.101", sefton2021["turnover_rate"]);
        Assert.Equal("0.198", sefton2021["agency_rate"]);
        Assert.Equal("0.109", sefton2021["vacancy_rate"]);
        Assert.Equal("120", sefton2021["cla_per_10k"]);
        Assert.Equal("500", sefton2021["referrals_per_10k"]); // 2500 / 50000 x 10,000
        Assert.Equal("420", sefton2021["cin_per_10k"]); // 2100 / 50000
        Assert.Equal("50", sefton2021["cpp_per_10k"]); // 250 / 50000
        // The older file's percentage columns ("turnover_rate_fte_%") too.
        Assert.Equal("0.143", YearRow("E08000014", 2020)["turnover_rate"]);
        Assert.Equal("0.078", YearRow("E08000014", 2020)["absence_rate"]);
    }

    [Fact]
    public void A_suppressed_percentage_falls_back_to_the_count_ratio()
    {
        ImportStandard();

        Assert.Equal("0.2", YearRow("E08000014", 2022)["rereferral_share"]); // "x" percent; 800 / 4000
    }

    [Fact]
    public void The_newest_workforce_file_wins_and_the_older_fills_its_gaps()
    {
        var report = ImportStandard();

        var sefton2021 = YearRow("E08000014", 2021);
        Assert.Equal("155.2", sefton2021["sw_fte"]); // indicators, not the headline file's 150
        Assert.Equal("0.101", sefton2021["turnover_rate"]); // not 99 %
        Assert.Equal("0.057", sefton2021["absence_rate"]); // indicators say "u"; headline 5.7 %
        Assert.Equal("143.1", YearRow("E08000014", 2020)["sw_fte"]); // year only in the older file
        Assert.Equal("", YearRow("E08000014", 2020)["starters_fte"]); // the older file has no starters
        Assert.Equal(0, report.Files.Single(f => f.Path == "dfe/workforce_latest.csv").Preference);
        Assert.Equal(1, report.Files.Single(f => f.Path == "dfe/old/workforce_older.csv").Preference);
    }

    [Fact]
    public void Looked_after_columns_are_read_by_name_whatever_their_order()
    {
        ImportStandard();

        var sefton2022 = YearRow("E08000014", 2022);
        Assert.Equal("Sefton", sefton2022["name"]);
        Assert.Equal("343", sefton2022["la_number"]);
        Assert.Equal("50000", sefton2022["population"]);
        Assert.Equal("590", sefton2022["cla"]);
        Assert.Equal("170", sefton2022["cla_starts"]);
        Assert.Equal("190", sefton2022["cla_ceased"]);
    }

    [Fact]
    public void Years_without_a_population_estimate_have_empty_rates_per_10k()
    {
        ImportStandard();

        var sefton2020 = YearRow("E08000014", 2020);
        Assert.Equal("", sefton2020["population"]);
        Assert.Equal("2000", sefton2020["cin"]);
        Assert.Equal("", sefton2020["cin_per_10k"]);
    }

    [Fact]
    public void Population_is_estimated_from_count_and_rate_when_the_estimate_is_missing()
    {
        OfficialFixture.WriteAll(_dir);
        var header = Cla.Replace(",population_estimate", "", StringComparison.Ordinal);
        _dir.Write("official/dfe/care.csv", Text(header, [Sefton(2021).With(("population_type", ClaAt31), ("children_count", 600), ("rate_per_10000", 120))]));

        var report = OfficialDataImporter.Import(Data, Out);

        Assert.Equal("50000", YearRow("E08000014", 2021)["population"]);
        Assert.Contains(report.Notes, n => n.Contains("population estimated", StringComparison.Ordinal));
    }

    [Fact]
    public void England_rows_go_to_their_own_file()
    {
        ImportStandard();

        var england = YearRow(BaselineColumns.EnglandCode, 2022, BaselineColumns.EnglandYearsFile);
        Assert.Equal("England", england["name"]);
        Assert.Equal("31634.1", england["sw_fte"]);
        Assert.Equal("4825.6", england["starters_fte"]);
        Assert.Equal("0.172", england["turnover_rate"]);
        Assert.Equal("70", england["cla_per_10k"]);
        var authorities = CsvTable.Read(Path.Combine(Out, "baseline", "authority_years.csv"));
        Assert.DoesNotContain(authorities.Rows, r => authorities.Cell(r, "code") == BaselineColumns.EnglandCode);
    }

    [Fact]
    public void Statistical_neighbour_numbers_become_codes_and_unknown_numbers_are_reported()
    {
        var report = ImportStandard();

        var table = CsvTable.Read(Path.Combine(Out, "baseline", "authorities.csv"));
        var sefton = table.Rows.Single(r => table.Cell(r, "code") == "E08000014");
        Assert.Equal("E08000015;E08000012", table.Cell(sefton, "statistical_neighbours"));
        Assert.Equal("North West", table.Cell(sefton, "region"));
        Assert.Contains(report.Notes, n => n.Contains("999", StringComparison.Ordinal));
    }

    [Fact]
    public void Inspections_have_parsed_start_dates_snake_case_grades_and_estimated_starts_counted()
    {
        var report = ImportStandard();

        var table = CsvTable.Read(Path.Combine(Out, "baseline", "inspections.csv"));
        var rows = table.Rows.Select(r => table.Header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => r[x.i])).ToList();
        var sefton = rows.Where(r => r["code"] == "E08000014").ToList();
        Assert.Equal(["2016-04-11", "2022-02-21"], sefton.Select(r => r["inspection_start"]));
        Assert.Equal("requires_improvement", sefton[0]["overall"]);
        Assert.Equal("", sefton[0]["children_in_care"]);
        Assert.Equal("inadequate", sefton[1]["children_in_care"]);
        Assert.Equal("2022-05-09", sefton[1]["published"]);
        var wirral = rows.Single(r => r["code"] == "E08000015");
        Assert.Equal("2020-01-01", wirral["inspection_start"]); // no dates: publication minus 2 months
        Assert.Equal("1", wirral["start_estimated"]);
        Assert.Equal(1, report.InspectionStartsEstimated);
    }

    [Fact]
    public void Codes_sharing_an_la_number_are_one_authority_under_the_latest_code()
    {
        // North Yorkshire: E10000023 until 2022 in most files, E06000065 in the 2023 files.
        _dir.Write("official/b1.csv", Text(B1,
        [
            La(2022, "E10000023", "815", "North Yorkshire", "Yorkshire and The Humber").With(("Started_episodes", 2000), ("Ended_episodes", 1900), ("At31_episodes", 2500)),
            La(2023, "E06000065", "815", "North Yorkshire", "Yorkshire and The Humber").With(("Started_episodes", 2100), ("Ended_episodes", 2000), ("At31_episodes", 2600)),
        ]));
        _dir.Write("official/ofsted.csv", Ofsted + "\nE10000023,815,North Yorkshire,Yorkshire and The Humber,2018-08-06,2 july 2018,ILACS,outstanding,outstanding,outstanding,outstanding\n");

        var report = OfficialDataImporter.Import(_dir.Combine("official"), Out);

        var data = BaselineDataset.Load(Path.Combine(Out, "baseline"));
        var authority = Assert.Single(data.Authorities);
        Assert.Equal("E06000065", authority.Code);
        Assert.Equal(["E10000023"], authority.OtherCodes);
        Assert.Equal(2500, data.Value("E06000065", Measures.Cin, 2022));
        Assert.Equal(2600, data.Value("E10000023", Measures.Cin, 2023));
        Assert.Single(data.Inspections("E06000065"));
        Assert.Contains(report.Notes, n => n.Contains("merged into E06000065", StringComparison.Ordinal));
    }

    [Fact]
    public void A_shared_workforce_return_is_apportioned_by_children_in_need()
    {
        var kingston = La(2022, "E09000021", "314", "Kingston upon Thames", "Outer London");
        var richmond = La(2022, "E09000027", "318", "Richmond upon Thames", "Outer London");
        _dir.Write("official/b1.csv", Text(B1,
        [
            kingston.With(("Started_episodes", 1), ("Ended_episodes", 1), ("At31_episodes", 600)),
            richmond.With(("Started_episodes", 1), ("Ended_episodes", 1), ("At31_episodes", 400)),
        ]));
        var shared = La(2022, "E09000021 / E09000027", "314 / 318", "Kingston upon Thames / Richmond upon Thames", "Outer London");
        _dir.Write("official/wf.csv", Text(Indicators, [shared.Workforce(100, 20, 16.7, 10, 9.1, 12, 80, 1000, 12.5)]));

        var report = OfficialDataImporter.Import(_dir.Combine("official"), Out);

        var data = BaselineDataset.Load(Path.Combine(Out, "baseline"));
        Assert.Equal(60, data.Value("E09000021", Measures.SwFte, 2022)!.Value, 6);
        Assert.Equal(40, data.Value("E09000027", Measures.SwFte, 2022)!.Value, 6);
        Assert.Equal(8, data.Value("E09000027", Measures.AgencyFte, 2022)!.Value, 6);
        Assert.Equal(0.167, data.Value("E09000027", Measures.AgencyRate, 2022)!.Value, 6); // rates copied
        Assert.Equal(12.5, data.Value("E09000021", Measures.Caseload, 2022)!.Value, 6);
        Assert.Equal("E09000021;E09000027", data.Year("E09000021", 2022)!.WorkforceUnit);
        Assert.Contains(report.Notes, n => n.Contains("shared workforce return", StringComparison.Ordinal));
    }

    [Fact]
    public void An_inspection_filed_under_a_predecessors_code_goes_to_the_successor_of_the_same_name()
    {
        // Dorset: 835 / E10000009 until 2019, then 838 / E06000059; the Ofsted file keeps the old code for 2021.
        _dir.Write("official/b1.csv", Text(B1,
        [
            La(2019, "E10000009", "835", "Dorset", "South West").With(("Started_episodes", 1), ("Ended_episodes", 1), ("At31_episodes", 1000)),
            La(2021, "E06000059", "838", "Dorset", "South West").With(("Started_episodes", 1), ("Ended_episodes", 1), ("At31_episodes", 900)),
        ]));
        _dir.Write("official/ofsted.csv", Ofsted + "\nE10000009,835,Dorset,South West,2021-11-19,27 september to 8 october 2021,ILACS,good,outstanding,good,good\n");

        OfficialDataImporter.Import(_dir.Combine("official"), Out);

        var data = BaselineDataset.Load(Path.Combine(Out, "baseline"));
        Assert.Single(data.Inspections("E06000059"));
        Assert.Empty(data.Inspections("E10000009"));
    }

    [Fact]
    public void The_output_is_deterministic_and_the_readme_carries_the_attribution()
    {
        ImportStandard();
        var first = Directory.GetFiles(Path.Combine(Out, "baseline")).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        OfficialDataImporter.Import(Data, Out);
        var second = Directory.GetFiles(Path.Combine(Out, "baseline")).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToList();

        Assert.Equal(first, second);
        var readme = File.ReadAllText(Path.Combine(Out, "README.md"));
        Assert.Contains("Contains public sector information licensed under the Open Government Licence v3.0", readme);
        Assert.Contains("sim data import --data OFFICIAL_DATA_DIR --out data/", readme);
        Assert.Contains("`dfe/table_1.csv`", readme);
    }
}
