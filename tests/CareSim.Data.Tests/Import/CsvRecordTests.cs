using CareSim.Data.Csv;

namespace CareSim.Data.Tests.Import;

/// <summary>The line numbers and truncation flags the importer's located errors rest on.</summary>
public sealed class CsvRecordTests
{
    private static List<CsvRecord> Read(string text) => CsvParser.ReadRecords(new StringReader(text)).ToList();

    [Fact]
    public void Records_carry_the_line_they_start_on_with_lf_crlf_and_newlines_inside_quotes()
    {
        var records = Read("a,b\r\n1,\"two\nlines\"\n\n3,4\r5,6\n");

        Assert.Equal([1, 2, 4, 5, 6], records.Select(r => r.Line));
        Assert.Equal(["1", "two\nlines"], records[1].Fields);
        Assert.True(records[2].IsBlank);
        Assert.All(records, r => Assert.True(r.Terminated));
    }

    [Fact]
    public void A_last_record_without_a_line_end_is_not_terminated_and_an_open_quote_is_flagged()
    {
        var complete = Read("a,b\n1,2").Last();
        var open = Read("a,b\n1,\"2\n3").Last();

        Assert.False(complete.Terminated);
        Assert.False(complete.UnclosedQuote);
        Assert.Equal(2, open.Line);
        Assert.True(open.UnclosedQuote);
    }

    [Fact]
    public void A_table_from_records_keeps_the_line_of_each_row()
    {
        var records = Read("title\n\na,b\n1,2\n\n3\n");

        var table = CsvTable.FromRecords("t.csv", records, 2);

        Assert.Equal(["a", "b"], table.Header);
        Assert.Equal([4, 6], Enumerable.Range(0, table.Rows.Count).Select(table.LineOf));
        Assert.Equal(["3", ""], table.Rows[1]); // short rows padded
    }
}
