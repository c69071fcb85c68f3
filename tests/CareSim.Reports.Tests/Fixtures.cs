using System.Globalization;
using System.Text;
using CareSim.Data.Baseline;

namespace CareSim.Reports.Tests;

/// <summary>
/// A small hand-made results directory whose numbers are known, so that tests can check the
/// report against them: one authority (E08000014), January 2023 to December 2024 (24 months),
/// outcome clocks from July 2023 (outcomes.csv's horizon is 18 months), 200 replicas.
/// </summary>
public sealed class Fixture
{
    public const string Code = "E08000014";
    public const int Replicas = 200;
    public const int Horizon = 24;
    public const int OutcomeHorizon = 18;

    public static readonly string[] FanMetrics =
        ["sw_fte", "agency_rate", "vacancy_rate", "turnover_rate", "caseload", "referrals_per_10k", "cpp_per_10k", "cla_per_10k", "practice_quality"];

    public static readonly string[] OtherMetrics = ["agency_fte", "morale", "widgets_per_hour"];

    public static readonly string[] Grades = ["inadequate", "requires_improvement", "good", "outstanding"];

    public string Directory { get; }

    public Fixture(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    /// <summary>A fresh temporary folder for one test.</summary>
    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "caresim-report-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes the complete fixture into a new folder "results" under a fresh temporary folder.</summary>
    public static Fixture Create(string? scenarioName = null)
    {
        var f = new Fixture(Path.Combine(TempDirectory(), "results"));
        f.WriteAll(scenarioName ?? "Testshire fixture");
        return f;
    }

    public string PathOf(string file) => Path.Combine(Directory, file);

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static string MonthText(int index) => new DateOnly(2023, 1, 1).AddMonths(index).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Mean of a metric in month <paramref name="m"/> (0-23); quantiles are mean +- fixed offsets.</summary>
    public static double Mean(string metric, int m) => metric switch
    {
        "sw_fte" => 100 + m, // 123 in the last month
        "agency_rate" => 0.20 - 0.002 * m,
        "vacancy_rate" => 0.15,
        "turnover_rate" => 0.18,
        "caseload" => 20 - 0.1 * m,
        "referrals_per_10k" => 600,
        "cpp_per_10k" => 50,
        "cla_per_10k" => 100,
        "practice_quality" => 0.30 + 0.005 * m,
        "agency_fte" => 20,
        "morale" => 0.5,
        "widgets_per_hour" => 8,
        _ => 0,
    };

    /// <summary>Offsets of p05, p10, p25, p50, p75, p90, p95 from the mean, as a share of the mean.</summary>
    public static readonly double[] Spread = [-0.2, -0.1, -0.05, 0, 0.05, 0.1, 0.2];

    public static double GradeShare(string grade, int m) => grade switch
    {
        "inadequate" => 1 - 0.02 * m,
        "requires_improvement" => 0.015 * m,
        "good" => 0.005 * m,
        _ => 0,
    };

    /// <summary>Cumulative share reaching requires improvement or better within m months (m = 0..18).</summary>
    public static double CdfRi(int m) => Math.Min(1, 0.03 * m);

    public static double CdfGood(int m) => m < 10 ? 0 : 0.01 * (m - 9);

    public void WriteAll(string scenarioName)
    {
        WriteManifest(scenarioName);
        WriteSummary();
        WriteOutcomes();
        WriteCdf();
        WriteTotals();
    }

    public void WriteManifest(string scenarioName, string? scenarioFile = null)
    {
        var file = scenarioFile is null ? "" : $"\"scenario_file\": \"{scenarioFile.Replace("\\", "\\\\", StringComparison.Ordinal)}\",";
        File.WriteAllText(PathOf("manifest.json"), $$"""
            {
              "tool": "sim",
              "tool_version": "9.9.9-test",
              "engine": "reference",
              "scenario": "{{scenarioName}}",
              {{file}}
              "scenario_sha256": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
              "seed": 42,
              "replicas": {{Replicas}},
              "start": "2023-01",
              "horizon_months": {{Horizon}},
              "block_size": 100,
              "authorities": ["{{Code}}"],
              "metrics": [],
              "parameters": { "ofsted.cut_inadequate": 0.35, "ofsted.cut_good": 0.55, "ofsted.cut_outstanding": 0.8, "ofsted.publication_lag_months": 2 },
              "authority_parameters": { "{{Code}}": { "ofsted.cut_good": 0.6 } },
              "created_utc": "2026-01-02T03:04:05+00:00",
              "timings": { "setup_seconds": 0, "simulate_seconds": 0, "write_seconds": 0, "total_seconds": 0 }
            }
            """);
    }

    public void WriteSummary()
    {
        var sb = new StringBuilder("authority,month,metric,mean,p05,p10,p25,p50,p75,p90,p95\n");
        for (var m = 0; m < Horizon; m++)
        {
            foreach (var metric in FanMetrics.Concat(OtherMetrics))
            {
                var mean = Mean(metric, m);
                sb.Append(CultureInfo.InvariantCulture, $"{Code},{MonthText(m)},{metric},{F(mean)}");
                foreach (var s in Spread) sb.Append(',').Append(F(mean * (1 + s)));
                sb.Append('\n');
            }
            foreach (var kind in new[] { "grade_p_", "judged_p_" })
            {
                foreach (var g in Grades)
                {
                    var v = GradeShare(g, m);
                    sb.Append(CultureInfo.InvariantCulture, $"{Code},{MonthText(m)},{kind}{g},{F(v)},0,0,0,0,1,1,1\n");
                }
            }
        }
        File.WriteAllText(PathOf("summary.csv"), sb.ToString());
    }

    public void WriteOutcomes() => File.WriteAllText(PathOf("outcomes.csv"),
        "authority,outcome,replicas,horizon_months,share_within_horizon,p10,p25,p50,p75,p90\n"
        + $"{Code},months_to_requires_improvement,{Replicas},{OutcomeHorizon},{F(CdfRi(OutcomeHorizon))},4,9,17,,\n"
        + $"{Code},months_to_good,{Replicas},{OutcomeHorizon},{F(CdfGood(OutcomeHorizon))},,,,,\n");

    public void WriteCdf()
    {
        var sb = new StringBuilder("authority,outcome,months,share_reached\n");
        for (var m = 0; m <= OutcomeHorizon; m++) sb.Append(CultureInfo.InvariantCulture, $"{Code},months_to_requires_improvement,{m},{F(CdfRi(m))}\n");
        for (var m = 0; m <= OutcomeHorizon; m++) sb.Append(CultureInfo.InvariantCulture, $"{Code},months_to_good,{m},{F(CdfGood(m))}\n");
        File.WriteAllText(PathOf("outcome_cdf.csv"), sb.ToString());
    }

    public void WriteTotals() => File.WriteAllText(PathOf("totals.csv"),
        "authority,mean_total_cost_gbp_m,total_cost_p05,total_cost_p10,total_cost_p25,total_cost_p50,total_cost_p75,total_cost_p90,total_cost_p95,final_p_inadequate,final_p_requires_improvement,final_p_good,final_p_outstanding\n"
        + $"{Code},31.2,28,29,30,31,32,33.5,34,0.54,0.35,0.11,0\n");

    public void WriteSensitivity() => File.WriteAllText(PathOf("sensitivity.csv"),
        "parameter,outcome,mu_star,mu,sigma,low,high,unit\n"
        + "workforce.recruitment_rate,months_to_good,2.5,-2.1,1.2,0.5,1.5,months\n"
        + "quality.leadership_weight,months_to_good,7.75,-7.5,3.0,0.1,0.9,months\n"
        + "demand.referral_level_sd,months_to_good,0.4,0.1,0.6,0.1,0.5,months\n"
        + "quality.culture_drag,months_to_good,4.25,3.9,2.2,0,1,months\n");

    public void WriteSobol() => File.WriteAllText(PathOf("sobol.csv"),
        "parameter,outcome,first_order,first_low,first_high,total_order,total_low,total_high,low,high,unit\n"
        + "workforce.recruitment_rate,months_to_good,0.12,0.05,0.2,0.18,0.1,0.27,0.5,1.5,months\n"
        + "quality.leadership_weight,months_to_good,0.5,0.41,0.58,0.61,0.52,0.7,0.1,0.9,months\n"
        + "demand.referral_level_sd,months_to_good,-0.004,-0.03,0.02,0.001,0,0.003,0.1,0.5,months\n");

    public static readonly string[] Strategies = ["academy", "agency_cap", "pay_rise"];

    public void WriteComparison()
    {
        File.WriteAllText(PathOf("comparison.csv"),
            "strategy,authority,measure,unit,baseline,value,difference,ci_low,ci_high,p_beats_baseline,rank\n"
            + $"academy,{Code},months_to_good,months,40,36.5,-3.5,-6.25,-0.75,0.97,1\n"
            + $"agency_cap,{Code},months_to_good,months,40,41,1,-2,4,0.3,3\n"
            + $"pay_rise,{Code},months_to_good,months,40,38,-2,-4.5,0.5,0.88,2\n"
            + $"academy,{Code},total_cost,GBP m,31,33,2,1,3,0.02,2\n"
            + $"agency_cap,{Code},total_cost,GBP m,31,29.5,-1.5,-2.5,-0.5,0.99,1\n"
            + $"pay_rise,{Code},total_cost,GBP m,31,35,4,3,5,0.01,3\n");
        foreach (var s in Strategies) System.IO.Directory.CreateDirectory(Path.Combine(Directory, "strategies", s));
    }

    /// <summary>
    /// A tiny baseline dataset (the format of data/baseline, written with the reader's column names):
    /// the fixture's authority with workforce figures at 30 Sep 2022 and 2023 and demand at 31 Mar 2023 and 2024.
    /// </summary>
    public static string WriteBaseline(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, BaselineColumns.AuthoritiesFile),
            string.Join(',', BaselineColumns.AuthoritiesHeader) + "\n" + $"{Code},343,Testshire,North West,,,2022,2024\n");
        var header = BaselineColumns.YearFileHeader;
        string Row(int year, Dictionary<string, string> values) =>
            string.Join(',', header.Select(c => c switch
            {
                BaselineColumns.Code => Code,
                BaselineColumns.LaNumber => "343",
                BaselineColumns.Name => "Testshire",
                BaselineColumns.Region => "North West",
                BaselineColumns.Year => year.ToString(CultureInfo.InvariantCulture),
                _ => values.GetValueOrDefault(c, ""),
            }));
        var years = new StringBuilder(string.Join(',', header) + "\n");
        years.Append(Row(2022, new() { ["sw_fte"] = "95.5", ["agency_rate"] = "0.25", ["cla_per_10k"] = "90" })).Append('\n');
        years.Append(Row(2023, new() { ["sw_fte"] = "108.25", ["agency_rate"] = "0.19", ["cla_per_10k"] = "99" })).Append('\n');
        years.Append(Row(2024, new() { ["cla_per_10k"] = "140" })).Append('\n');
        File.WriteAllText(Path.Combine(directory, BaselineColumns.AuthorityYearsFile), years.ToString());
        File.WriteAllText(Path.Combine(directory, BaselineColumns.EnglandYearsFile), string.Join(',', header) + "\n");
        File.WriteAllText(Path.Combine(directory, BaselineColumns.InspectionsFile), string.Join(',', BaselineColumns.InspectionsHeader) + "\n");
        return directory;
    }
}

/// <summary>Checks of PNG files.</summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Asserts that the file is a PNG and returns its width and height (from the IHDR chunk).</summary>
    public static (int Width, int Height) Read(string path)
    {
        Assert.True(File.Exists(path), $"{path} does not exist");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} has only {bytes.Length} bytes");
        Assert.Equal(Signature, bytes[..8]);
        Assert.Equal("IHDR", Encoding.ASCII.GetString(bytes, 12, 4));
        int BigEndian(int offset) => (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
        return (BigEndian(16), BigEndian(20));
    }
}
