using CareSim.Data.Baseline;
using CareSim.Data.Import;
using CareSim.TestSupport;
using static CareSim.TestSupport.Csv;
using static CareSim.TestSupport.OfficialFixture;

namespace CareSim.Data.Tests.Import;

/// <summary>What the importer refuses (exit 2, file and line named, nothing written) and what it warns about.</summary>
public sealed class ImportValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data => _dir.Combine("official");
    private string Out => _dir.Combine("out");
    private string Baseline => Path.Combine(Out, "baseline");

    /// <summary>The standard fixture with one file replaced (B1 lines: header 1, Sefton 2020 on 3, 2021 on 7, 2022 on 11, the regional row on 14).</summary>
    private void WriteWith(string relativePath, string content)
    {
        OfficialFixture.WriteAll(_dir);
        _dir.Write("official/" + relativePath, content);
    }

    /// <summary>Runs the import as the CLI does; asserts exit 2, that the error names the file, and that an earlier import's output is left alone.</summary>
    private string Fails(params string[] expected)
    {
        // An earlier import's output (its marker says so: sim data import may replace it, docs/results.md#what-a-command-may-write).
        _dir.Write("out/baseline/authorities.csv", "earlier output\n");
        _dir.Write("out/.caresim-output", "{\"files\": {\"baseline/authorities.csv\": \"sim data import\"}}\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = OfficialDataImporter.Run(Data, Out, stdout, stderr);

        var error = stderr.ToString();
        Assert.Equal(2, code);
        foreach (var text in expected)
            Assert.Contains(text, error);
        // Errors are "error: " lines (the one prefix of every command), each said once, the last one what became of the output.
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.Single(lines, l => l.Contains(expected[0], StringComparison.Ordinal) && l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Matches(@"^error: the import found \d+ error\(s\); nothing was written$", lines[^1]);
        Assert.DoesNotContain("ERROR", error, StringComparison.Ordinal);
        // What calibrate and backtest print when they import a folder: one located line.
        var exception = Assert.Throws<DataImportException>(() => OfficialDataImporter.Import(Data, Out));
        Assert.DoesNotContain("\n", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected[0], exception.Message, StringComparison.Ordinal);
        Assert.Equal("earlier output\n", File.ReadAllText(Path.Combine(Baseline, "authorities.csv")));
        Assert.Equal(["authorities.csv"], Directory.GetFiles(Baseline).Select(Path.GetFileName));
        Assert.Equal("", stdout.ToString());
        return error;
    }

    private ImportReport Imports() => OfficialDataImporter.Import(Data, Out);

    [Fact]
    public void A_folder_without_csv_files_is_an_error()
    {
        _dir.Write("official/readme.txt", "not data");

        Fails("no *.csv files under", "official");
    }

    [Fact]
    public void A_folder_whose_csv_files_are_all_unrecognised_is_an_error()
    {
        _dir.Write("official/lookup.csv", "region,colour\nNorth West,red\n");

        Fails("none of the 1 *.csv file(s)", "lookup.csv: skipped (not a known kind");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    public void An_empty_file_is_an_error(string content)
    {
        WriteWith("dfe/table_1.csv", content);

        Fails("dfe/table_1.csv: the file is empty (no header line)");
    }

    [Fact]
    public void A_header_only_file_is_an_error()
    {
        WriteWith("dfe/table_1.csv", B1 + "\n");

        Fails("dfe/table_1.csv: has a header (line 1) but no data rows");
    }

    [Fact]
    public void A_file_cut_off_in_the_middle_of_its_last_row_is_an_error_at_that_line()
    {
        var full = B1Csv(withRegional: false);
        var cut = full[..(full.TrimEnd('\n').LastIndexOf('\n') + 30)];
        WriteWith("dfe/table_1.csv", cut);

        Fails("dfe/table_1.csv line 13: the last line is cut short", "no line end): the file is truncated");
    }

    [Fact]
    public void A_last_line_without_its_line_end_but_complete_is_accepted_with_a_warning()
    {
        WriteWith("dfe/table_1.csv", B1Csv().TrimEnd('\n'));

        var report = Imports();

        Assert.Equal(13, report.Files.Single(f => f.Path == "dfe/table_1.csv").RowsRead);
        // Cut off within its last value, the line would look just the same.
        Assert.StartsWith("dfe/table_1.csv line 14: the last line has no line end (the published files have one): if the file was cut off there, its last value",
            Assert.Single(report.Warnings));
    }

    [Fact]
    public void A_file_cut_off_at_a_line_end_in_its_last_year_is_a_warning()
    {
        IEnumerable<Dictionary<string, string>> Year(int year, int authorities) => Enumerable.Range(1, authorities)
            .Select(i => La(year, $"E060000{i:00}", $"{800 + i}", $"Authority {i}").With(("CPP_start", 10 + i)));
        var whole = Text(D3, [.. Year(2022, 25), .. Year(2021, 25)]);
        WriteWith("dfe/table_3.csv", whole);
        Assert.Empty(Imports().Warnings);

        // Cut after the fifth authority of 2021 (line 32), at a line end.
        var cut = string.Join('\n', whole.Split('\n').Take(32)) + "\n";
        WriteWith("dfe/table_3.csv", cut);

        Assert.Equal("dfe/table_3.csv line 32: the file ends with 2021, which has 6 local-authority rows where 2022 has 25: " +
            "if the file was cut off, its last rows are missing; compare it with the published file", Assert.Single(Imports().Warnings));
    }

    [Fact]
    public void A_file_ending_inside_a_quoted_field_is_an_error_at_the_line_it_opens()
    {
        WriteWith("dfe/table_1.csv", B1Csv() + "2022,Reporting year,Local authority,E92000001,England,E12000002,\"North West,343,E0800");

        Fails("dfe/table_1.csv line 15: a quoted field opened here is never closed: the file is truncated");
    }

    [Fact]
    public void A_ragged_row_is_an_error_at_its_line()
    {
        var lines = B1Csv().TrimEnd('\n').Split('\n');
        lines[^1] += ",extra";
        WriteWith("dfe/table_1.csv", string.Join('\n', lines) + "\n");

        Fails("dfe/table_1.csv line 14: 20 fields, but the header (line 1) has 19");
    }

    [Fact]
    public void A_semicolon_delimited_file_of_a_known_kind_is_an_error()
    {
        WriteWith("dfe/table_1.csv", B1Csv().Replace(',', ';'));

        Fails("dfe/table_1.csv line 1: looks like children in need (b1), but its fields are separated by ';', not commas");
    }

    [Fact]
    public void A_tab_delimited_file_of_a_known_kind_is_an_error()
    {
        WriteWith("dfe/table_3.csv", D3Csv().Replace(',', '\t'));

        Fails("dfe/table_3.csv line 1: looks like child protection plans started (d3), but its fields are separated by tabs");
    }

    [Fact]
    public void Title_lines_above_the_header_are_skipped_with_a_warning()
    {
        WriteWith("dfe/table_1.csv", "Table B1: children in need, 2020 to 2022\nSource: DfE\n\n" + B1Csv());

        var report = Imports();

        var file = report.Files.Single(f => f.Path == "dfe/table_1.csv");
        Assert.Equal(DataFileKind.ChildrenInNeed, file.Kind);
        var warning = Assert.Single(report.Warnings);
        Assert.StartsWith("dfe/table_1.csv line 4: the header is on line 4; the 2 line(s) above it are not data", warning);
        Assert.Contains("Table B1: children in need", warning);
        var data = BaselineDataset.Load(Baseline);
        Assert.Equal(2100, data.Value("E08000014", Measures.Cin, 2021));
        Assert.Contains("warning: " + warning, File.ReadAllText(Path.Combine(Baseline, "import_report.txt")));
    }

    [Fact]
    public void A_renamed_value_column_is_recognised_and_named_with_the_column_found_instead()
    {
        WriteWith("dfe/workforce_latest.csv", IndicatorsCsv().Replace("inpost_fte", "in_post_fte", StringComparison.Ordinal));

        Fails("dfe/workforce_latest.csv line 1: looks like children's social work workforce but column inpost_fte or social_worker_fte " +
            "(social workers in post, FTE) is missing; found in_post_fte (renamed?)");
    }

    [Fact]
    public void A_missing_value_column_without_a_similar_one_says_so()
    {
        WriteWith("dfe/table_3.csv", D3Csv().Replace("CPP_start", "something_else", StringComparison.Ordinal));

        Fails("column CPP_start (child protection plans started in the year) is missing; no column of a similar name");
    }

    [Fact]
    public void Renamed_label_columns_are_accepted()
    {
        var renamed = B1.Replace("la_name", "local_authority_name", StringComparison.Ordinal)
            .Replace("new_la_code", "la_code", StringComparison.Ordinal)
            .Replace("old_la_code", "la_number", StringComparison.Ordinal)
            .Replace("region_name", "region", StringComparison.Ordinal);
        var body = B1Csv().Split('\n', 2)[1];
        _dir.Write("official/b1.csv", renamed + "\n" + body);

        var report = Imports();

        Assert.Empty(report.Warnings);
        var data = BaselineDataset.Load(Baseline);
        var sefton = Assert.Single(data.Authorities, a => a.Code == "E08000014");
        Assert.Equal("Sefton", sefton.Name);
        Assert.Equal("343", sefton.LaNumber);
        Assert.Equal("North West", sefton.Region);
        Assert.Equal(2200, data.Value("E08000014", Measures.Cin, 2022));
    }

    [Fact]
    public void A_dfe_file_without_names_imports_on_codes_alone()
    {
        var header = B1.Replace(",la_name", "", StringComparison.Ordinal);
        var row = Sefton(2022).With(("Started_episodes", 1), ("Ended_episodes", 1), ("At31_episodes", 2345));
        row.Remove("la_name");
        WriteWith("dfe/table_1.csv", Text(header, [row]));

        Imports();

        var data = BaselineDataset.Load(Baseline);
        Assert.Equal(2345, data.Value("E08000014", Measures.Cin, 2022));
        Assert.Equal("Sefton", data.Authorities.Single(a => a.Code == "E08000014").Name); // from the other files
    }

    [Fact]
    public void A_negative_count_is_an_error_at_its_line()
    {
        WriteWith("dfe/table_1.csv", Text(B1,
        [
            Sefton(2021).With(("Started_episodes", 1500), ("Ended_episodes", 1400), ("At31_episodes", 2000)),
            Sefton(2022).With(("Started_episodes", 1500), ("Ended_episodes", 1400), ("At31_episodes", -5)),
        ]));

        Fails("dfe/table_1.csv line 3: At31_episodes is -5, but a count, FTE, rate or percentage cannot be negative");
    }

    [Fact]
    public void Cells_that_are_neither_numbers_nor_known_codes_are_missing_with_a_warning()
    {
        WriteWith("dfe/table_3.csv", Text(D3,
        [
            Sefton(2020).With(("CPP_start", "k")),
            Sefton(2021).With(("CPP_start", "n/a")),
            Sefton(2022).With(("CPP_start", "..")),
            Wirral(2022).With(("CPP_start", "n/a")),
        ]));
        var stdout = new StringWriter();

        Assert.Equal(0, OfficialDataImporter.Run(Data, Out, stdout, new StringWriter()));

        var warning = Assert.Single(ImportReportOf(stdout));
        Assert.Equal("dfe/table_3.csv line 3: 2 cells are neither numbers nor known suppression codes (c k u x z low : . ..) " +
            "and are treated as missing: 'n/a' (2, first on line 3)", warning);
        Assert.Contains("1 warning(s), listed under their files above.", stdout.ToString());
        var data = BaselineDataset.Load(Baseline);
        Assert.Null(data.Value("E08000014", Measures.CppStarts, 2021));
    }

    private static IEnumerable<string> ImportReportOf(StringWriter stdout) =>
        stdout.ToString().Split('\n').Where(l => l.Contains("warning: ", StringComparison.Ordinal)).Select(l => l.Split("warning: ")[1]);

    [Fact]
    public void Known_suppression_codes_are_counted_without_a_warning()
    {
        WriteWith("dfe/table_3.csv", Text(D3,
        [
            Sefton(2020).With(("CPP_start", "k")), Sefton(2021).With(("CPP_start", "..")), Sefton(2022).With(("CPP_start", "low")),
        ]));

        var report = Imports();

        Assert.Empty(report.Warnings);
        var d3 = report.Files.Single(f => f.Path == "dfe/table_3.csv").MissingByCode;
        Assert.Equal(1, d3["k"]);
        Assert.Equal(1, d3[".."]);
        Assert.Equal(1, d3["low"]);
    }

    [Fact]
    public void Duplicate_rows_that_disagree_are_a_warning_and_the_first_is_used()
    {
        var row = Sefton(2022).With(("Started_episodes", 1500), ("Ended_episodes", 1400), ("At31_episodes", 2000));
        WriteWith("dfe/table_1.csv", Text(B1, [row, Wirral(2022).With(("At31_episodes", 3000)), row, row.With(("At31_episodes", 2100))]));

        var report = Imports();

        var warning = Assert.Single(report.Warnings);
        Assert.Equal("dfe/table_1.csv line 5: E08000014 2022 again, with cin 2100 where line 2 has 2000; line 2 is used", warning);
        Assert.Equal(2000, BaselineDataset.Load(Baseline).Value("E08000014", Measures.Cin, 2022));
    }

    [Fact]
    public void A_time_period_that_is_not_a_year_is_a_warning()
    {
        WriteWith("dfe/table_3.csv", Text(D3,
        [
            Sefton(2021).With(("CPP_start", 300)), Sefton(2022).With(("time_period", "2022Q1"), ("CPP_start", 400)),
        ]));

        var report = Imports();

        Assert.Equal("dfe/table_3.csv line 3: 1 rows with a time_period that is not a year, not used: '2022Q1' (1, first on line 3)",
            Assert.Single(report.Warnings));
    }

    [Fact]
    public void Unreadable_ofsted_dates_are_warnings()
    {
        WriteWith("inspections/judgements.csv", Ofsted + "\n" +
            "E08000014,343,Sefton,North West,2022-05-09,sometime in spring,ILACS,inadequate,inadequate,inadequate,inadequate\n" +
            "E08000015,344,Wirral,North West,next year,1 march 2020,ILACS,good,good,good,good\n" +
            "E08000012,341,Liverpool,North West,2019-05-01,,ILACS,good,good,good,good\n");

        var report = Imports();

        Assert.Equal(
        [
            "inspections/judgements.csv line 2: inspection_dates 'sometime in spring' cannot be read as dates; the start is estimated from the publication date",
            "inspections/judgements.csv line 3: publication_date 'next year' is not a date (yyyy-mm-dd or dd/mm/yyyy); taken as missing",
        ], report.Warnings);
    }

    [Fact]
    public void Errors_are_listed_at_most_ten_per_file_and_the_rest_counted()
    {
        var rows = Enumerable.Range(2000, 12).Select(y => Sefton(y).With(("CPP_start", -1)));
        WriteWith("dfe/table_3.csv", Text(D3, rows));

        var error = Fails("dfe/table_3.csv line 2: CPP_start is -1", "dfe/table_3.csv line 11: CPP_start is -1", "error: dfe/table_3.csv: 2 more error(s) not listed",
            "error: the import found 12 error(s); nothing was written");
        Assert.DoesNotContain("line 12:", error);
    }
    [Fact]
    public void An_interrupted_import_writes_nothing_and_exits_130()
    {
        OfficialFixture.WriteAll(_dir);
        _dir.Write("out/README.md", "the user's readme\n");
        var stderr = new StringWriter();
        using var interrupted = new CancellationTokenSource();
        interrupted.Cancel();

        var code = OfficialDataImporter.Run(Data, Out, new StringWriter(), stderr, force: true, interrupted.Token);

        Assert.Equal(130, code);
        Assert.Equal("interrupted: nothing was written\n", stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(["README.md"], Directory.GetFileSystemEntries(Out).Select(Path.GetFileName));
        Assert.Equal("the user's readme\n", File.ReadAllText(Path.Combine(Out, "README.md")));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path, ".out.caresim-*"));
    }
}
