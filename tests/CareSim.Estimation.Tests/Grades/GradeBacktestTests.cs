using System.Globalization;
using CareSim.Data.Baseline;
using CareSim.Estimation.Grades;
using CareSim.Model.Grades;
using CareSim.Model.Plan;
using CareSim.TestSupport;

namespace CareSim.Estimation.Tests.Grades;

/// <summary>The grade backtests and the record's recovery table, on the committed data and on hand-made records.</summary>
public sealed class GradeBacktestTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string DataDirectory => RepositoryRoot.Combine("data");

    [Fact]
    public void A_rolling_backtest_refits_at_each_origin_scores_only_later_inspections_and_writes_its_files()
    {
        var output = _dir.Combine("grade-backtest");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = GradeBacktestCommandLine.Run(DataDirectory, "2021-2022", 2, "2021-12-31", output, force: false, stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        foreach (var file in new[] { GradeBacktestCommandLine.TableFile, GradeBacktestCommandLine.ReportFile, GradeBacktestCommandLine.PredictionsFile, GradeBacktestCommandLine.FitsFile })
            Assert.True(File.Exists(Path.Combine(output, file)), file);

        var data = BaselineDataset.Load(DataDirectory);
        var predictions = File.ReadAllLines(Path.Combine(output, GradeBacktestCommandLine.PredictionsFile)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.NotEmpty(predictions);
        foreach (var row in predictions)
        {
            var origin = DateOnly.Parse(row[1], CultureInfo.InvariantCulture);
            var start = DateOnly.Parse(row[3], CultureInfo.InvariantCulture);
            Assert.True(start > origin, $"{row[2]} {row[3]} scored from {row[1]}");
            var p = row.Skip(7).Take(4).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1.0, p.Sum(), 4); // written with six significant digits
            // The actual grade is the recorded one.
            Assert.Contains(data.Inspections(row[2]), i => i.Start == start && i.Overall.ToKey() == row[4]);
        }
        // One scored row per method per inspection after the origin, for each rolling origin.
        var after2021 = data.Authorities.Sum(a => data.Inspections(a.Code).Count(i => i.Start > new DateOnly(2021, 12, 31)));
        Assert.Equal(3 * after2021, predictions.Count(r => r[0] == "rolling" && r[1] == "2021-12-31"));
        // Each origin's fit knows only what was published by then: fewer inspections at the earlier origin.
        var fits = File.ReadAllLines(Path.Combine(output, GradeBacktestCommandLine.FitsFile)).Skip(1).Select(l => l.Split(',')).Where(r => r[0] == "rolling").ToList();
        int Inspections(string origin) => int.Parse(fits.First(r => r[1] == origin)[5], CultureInfo.InvariantCulture);
        Assert.True(Inspections("2021-12-31") < Inspections("2022-12-31"));
        var table = File.ReadAllText(Path.Combine(output, GradeBacktestCommandLine.TableFile));
        Assert.Contains("rolling pooled", table, StringComparison.Ordinal);
        Assert.Contains("leave-out pooled", table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_recovery_table_counts_each_inadequate_grade_followed_by_an_inspection_in_its_groups()
    {
        static GradeObservation I(int month, Grade overall, bool acrossTheBoard = false) =>
            new(month, month + 2, overall, acrossTheBoard ? Grade.Inadequate : Grade.RequiresImprovement, acrossTheBoard ? Grade.Inadequate : null, acrossTheBoard ? Grade.Inadequate : null);
        var records = new List<AuthorityGradeRecord>
        {
            // Across the board, then requires improvement 36 months after publication: a commissioner's.
            new("A", new GradeRecord([I(100, Grade.Inadequate, acrossTheBoard: true), I(138, Grade.RequiresImprovement)], [])),
            // Inadequate, not across the board, then inadequate again (an adviser's), then good (a commissioner's: repeated), in a trust.
            new("B", new GradeRecord([I(100, Grade.Inadequate), I(130, Grade.Inadequate), I(172, Grade.Good)], [], [new TrustSpell(150, int.MaxValue)])),
            // Inadequate with no later inspection: not counted.
            new("C", new GradeRecord([I(100, Grade.Good), I(140, Grade.Inadequate)], [])),
        };
        var groups = RecoveryAfterInadequate.Groups(records);
        var all = groups.Single(g => g.Group == "every inadequate grade");
        Assert.Equal(3, all.Count);
        Assert.Equal([1, 1, 1, 0], all.NextGrades);
        Assert.Equal(2 / 3.0, all.ShareRecovered, 9);
        Assert.Equal(36, all.MedianMonths); // 36, 28 and 40 months from publication to the next start
        var commissioner = groups.Single(g => g.Group.StartsWith("a commissioner", StringComparison.Ordinal));
        Assert.Equal(2, commissioner.Count);
        Assert.Equal([0, 1, 1, 0], commissioner.NextGrades);
        Assert.Equal(1, groups.Single(g => g.Group.StartsWith("in a trust", StringComparison.Ordinal)).Count);
        Assert.Contains("\"every inadequate grade\",3,1,1,1,0,", RecoveryAfterInadequate.Csv(groups), StringComparison.Ordinal);
    }
}
