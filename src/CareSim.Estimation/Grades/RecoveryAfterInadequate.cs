using System.Globalization;
using System.Text;
using CareSim.Model.Plan;

namespace CareSim.Estimation.Grades;

/// <summary>One group of inadequate grades followed by another full inspection: how many, the next grade, and the months between.</summary>
public sealed record RecoveryGroup(string Group, int Count, int[] NextGrades, double MedianMonths, int Low, int High)
{
    /// <summary>Share whose next grade is requires improvement or better.</summary>
    public double ShareRecovered => Count == 0 ? double.NaN : (Count - NextGrades[0]) / (double)Count;
}

/// <summary>
/// What the record says about recovery after an inadequate grade, by the support the model's rules
/// give it: a commissioner (every judgement inadequate, or the previous grade inadequate too), an
/// adviser (otherwise), and whether a trust ran the services. Descriptive: trusts were imposed on the
/// most entrenched failures (brief section 4), so the groups are not comparable as an experiment;
/// the grade model's support weight is the estimate that conditions on each authority's state.
/// </summary>
public static class RecoveryAfterInadequate
{
    public const string CsvFile = "recovery_after_inadequate.csv";

    public static List<RecoveryGroup> Groups(IReadOnlyList<AuthorityGradeRecord> records)
    {
        var spells = new List<(string Group, bool Trust, Grade Next, int Months)>();
        foreach (var r in records)
        {
            var inspections = r.Record.Inspections;
            for (var k = 0; k + 1 < inspections.Count; k++)
            {
                var i = inspections[k];
                if (i.Overall != Grade.Inadequate) continue;
                var commissioner = i.AcrossTheBoard || (k > 0 && inspections[k - 1].Overall == Grade.Inadequate);
                var next = inspections[k + 1];
                spells.Add((commissioner ? "commissioner" : "adviser", r.Record.InTrustAt(next.StartMonth), next.Overall, next.StartMonth - i.PublishedMonth));
            }
        }
        RecoveryGroup Of(string name, IEnumerable<(string Group, bool Trust, Grade Next, int Months)> items)
        {
            var list = items.ToList();
            var counts = new int[4];
            foreach (var s in list) counts[(int)s.Next]++;
            var months = list.Select(s => s.Months).Order().ToList();
            double median = months.Count == 0 ? double.NaN : months.Count % 2 == 1 ? months[months.Count / 2] : (months[months.Count / 2 - 1] + months[months.Count / 2]) / 2.0;
            return new RecoveryGroup(name, list.Count, counts, median, months.Count == 0 ? 0 : months[0], months.Count == 0 ? 0 : months[^1]);
        }
        return
        [
            Of("every inadequate grade", spells),
            Of("a commissioner by the model's rules", spells.Where(s => s.Group == "commissioner")),
            Of("an adviser by the model's rules", spells.Where(s => s.Group == "adviser")),
            Of("in a trust at the next inspection", spells.Where(s => s.Trust)),
            Of("not in a trust", spells.Where(s => !s.Trust)),
        ];
    }

    public static string Csv(IReadOnlyList<RecoveryGroup> groups)
    {
        var sb = new StringBuilder("group,count,next_inadequate,next_requires_improvement,next_good,next_outstanding,share_recovered,median_months,min_months,max_months\n");
        foreach (var g in groups)
            sb.Append(CultureInfo.InvariantCulture, $"\"{g.Group}\",{g.Count},{g.NextGrades[0]},{g.NextGrades[1]},{g.NextGrades[2]},{g.NextGrades[3]},{g.ShareRecovered:0.###},{g.MedianMonths:0.#},{g.Low},{g.High}\n");
        return sb.ToString();
    }

    public static string Markdown(IReadOnlyList<RecoveryGroup> groups)
    {
        var sb = new StringBuilder("| inadequate grades followed by a full inspection | n | next: inadequate | requires improvement | good | outstanding | recovered | median months to the next inspection (range) |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var g in groups)
            sb.Append(CultureInfo.InvariantCulture, $"| {g.Group} | {g.Count} | {g.NextGrades[0]} | {g.NextGrades[1]} | {g.NextGrades[2]} | {g.NextGrades[3]} | {g.ShareRecovered:0%} | {g.MedianMonths:0} ({g.Low}-{g.High}) |\n");
        return sb.ToString();
    }
}
