using System.Globalization;
using System.Text;
using CareSim.Data.Baseline;
using OfficialMeasures = CareSim.Data.Baseline.Measures;

namespace CareSim.Estimation.Validation;

/// <summary>One official figure set against the simulated distribution at its date.</summary>
public sealed record HistoryCheckRow(
    string Authority,
    string Date,
    string Measure,
    double Observed,
    double Mean,
    double P10,
    double P50,
    double P90,
    bool Inside80);

/// <summary>
/// Compares a run's summaries with the official figures dated within the run: workforce measures
/// at 30 September, demand measures at 31 March (the model's values for that month). Reports
/// whether each figure falls inside the 80% interval (p10 to p90): if the model's uncertainty is
/// honest about 80% should.
/// </summary>
public static class HistoryCheck
{
    /// <summary>Official measure name -> (model metric, month of the year it refers to).</summary>
    public static IReadOnlyList<(string Measure, string Metric, int Month)> Measures { get; } =
    [
        (OfficialMeasures.SwFte, "sw_fte", 9),
        (OfficialMeasures.AgencyRate, "agency_rate", 9),
        (OfficialMeasures.VacancyRate, "vacancy_rate", 9),
        (OfficialMeasures.TurnoverRate, "turnover_rate", 9),
        (OfficialMeasures.Caseload, "caseload", 9),
        (OfficialMeasures.ReferralsPer10k, "referrals_per_10k", 3),
        (OfficialMeasures.RereferralShare, "rereferral_rate", 3),
        (OfficialMeasures.CinPer10k, "cin_per_10k", 3),
        (OfficialMeasures.CppPer10k, "cpp_per_10k", 3),
        (OfficialMeasures.ClaPer10k, "cla_per_10k", 3),
    ];

    /// <summary>Checks every official figure of the run's authorities whose month the run simulated.</summary>
    /// <exception cref="InvalidDataException">The results directory has no readable summary.csv.</exception>
    public static IReadOnlyList<HistoryCheckRow> Run(string resultsDirectory, BaselineDataset data)
    {
        var summary = Path.Combine(resultsDirectory, "summary.csv");
        if (!File.Exists(summary))
            throw new InvalidDataException($"'{resultsDirectory}' is not a results directory: summary.csv not found");
        var rows = ReadSummary(summary);
        var authorities = rows.Keys.Select(k => k.Authority).Distinct(StringComparer.Ordinal).ToList();
        var checks = new List<HistoryCheckRow>();
        foreach (var code in authorities)
        {
            if (data.FindByCode(code) is null) continue;
            var first = checks.Count;
            foreach (var year in data.Years(code).Select(y => y.Year).Order())
            {
                foreach (var (measure, metric, month) in Measures)
                {
                    var date = $"{year:D4}-{month:D2}";
                    if (data.Value(code, measure, year) is not { } observed) continue;
                    if (!rows.TryGetValue((code, date, metric), out var q)) continue;
                    checks.Add(new HistoryCheckRow(code, date, metric, observed, q.Mean, q.P10, q.P50, q.P90, observed >= q.P10 && observed <= q.P90));
                }
            }
            // In date order: a collection year's figures refer to different months (the census to
            // September, demand to the March before it).
            var sorted = checks.Skip(first).OrderBy(r => r.Date, StringComparer.Ordinal).ToList();
            checks.RemoveRange(first, sorted.Count);
            checks.AddRange(sorted);
        }
        return checks;
    }

    private static Dictionary<(string Authority, string Month, string Metric), (double Mean, double P10, double P50, double P90)> ReadSummary(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',') ?? throw new InvalidDataException($"{path} is empty");
        int Column(string name)
        {
            var index = Array.IndexOf(header, name);
            return index >= 0 ? index : throw new InvalidDataException($"{path}: no '{name}' column (expected authority,month,metric,mean,p05,...,p95)");
        }
        var (authority, month, metric, mean, p10, p50, p90) = (Column("authority"), Column("month"), Column("metric"), Column("mean"), Column("p10"), Column("p50"), Column("p90"));
        var rows = new Dictionary<(string, string, string), (double, double, double, double)>();
        string? line;
        var number = 1;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            var cells = line.Split(',');
            if (cells.Length != header.Length) throw new InvalidDataException($"{path}:{number}: expected {header.Length} columns, got {cells.Length}");
            double D(int i) => double.Parse(cells[i], CultureInfo.InvariantCulture);
            rows[(cells[authority], cells[month], cells[metric])] = (D(mean), D(p10), D(p50), D(p90));
        }
        return rows;
    }

    public static string ToCsv(IReadOnlyList<HistoryCheckRow> rows)
    {
        var sb = new StringBuilder("authority,date,measure,observed,mean,p10,p50,p90,inside_80\n");
        foreach (var r in rows)
            sb.Append(CultureInfo.InvariantCulture, $"{r.Authority},{r.Date},{r.Measure},{r.Observed:R},{r.Mean:R},{r.P10:R},{r.P50:R},{r.P90:R},{(r.Inside80 ? "yes" : "no")}\n");
        return sb.ToString();
    }

    public static string ToMarkdown(IReadOnlyList<HistoryCheckRow> rows)
    {
        var sb = new StringBuilder("| date | measure | observed | simulated mean | 80% interval (p10 - p90) | inside |\n|---|---|---|---|---|---|\n");
        foreach (var r in rows)
            sb.Append(CultureInfo.InvariantCulture, $"| {r.Date} | {r.Measure} | {F(r.Observed)} | {F(r.Mean)} | {F(r.P10)} - {F(r.P90)} | {(r.Inside80 ? "yes" : "**no**")} |\n");
        var inside = rows.Count(r => r.Inside80);
        sb.Append(CultureInfo.InvariantCulture, $"\n{inside} of {rows.Count} official figures ({(rows.Count == 0 ? 0 : 100.0 * inside / rows.Count):0}%) fall inside the model's 80% interval (an honest 80% interval holds about 80% of them).\n");
        return sb.ToString();
    }

    private static string F(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.0" : Math.Abs(value) >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);
}
