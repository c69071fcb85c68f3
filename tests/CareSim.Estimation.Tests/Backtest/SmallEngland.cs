using CareSim.Data.Baseline;
using CareSim.TestSupport;
using static CareSim.TestSupport.BaselineFixture;

namespace CareSim.Estimation.Tests.Backtest;

/// <summary>
/// A small England for backtest and calibration tests: <c>perRegion</c> authorities in each of two
/// regions (North West and London), every figure each year (demand from 2016, workforce from 2017,
/// to <c>lastYear</c>), values varying smoothly and deterministically, and a few inspections each.
/// </summary>
internal static class SmallEngland
{
    public static string Code(int region, int i) => region == 0 ? $"E08{i + 1:000000}" : $"E09{i + 1:000000}";

    /// <param name="change">Optional change applied to every figure (authority index, year, measure, value) -> value; null removes it.</param>
    public static string Write(TempDirectory dir, int perRegion = 4, int lastYear = 2023, Func<int, int, string, double, double?>? change = null,
        bool laterInspections = true, string folder = "baseline")
    {
        var fixture = new BaselineFixture();
        var codes = new List<string>();
        for (var r = 0; r < 2; r++)
        {
            for (var i = 0; i < perRegion; i++)
                codes.Add(Code(r, i));
        }
        for (var k = 0; k < codes.Count; k++)
        {
            var neighbours = string.Join(';', codes.Where(c => c != codes[k]));
            fixture.Authority(codes[k], (800 + k).ToString(System.Globalization.CultureInfo.InvariantCulture), $"Authority {k}",
                k < perRegion ? "North West" : "Inner London", neighbours);
        }
        for (var k = 0; k < codes.Count; k++)
        {
            var size = 1 + 0.25 * k;
            for (var year = 2016; year <= lastYear; year++)
            {
                double Wave(double amplitude, double phase) => 1 + amplitude * Math.Sin(0.9 * year + phase + 1.3 * k);
                var population = 40000 * size;
                var values = Demand(population, 2200 * size * Wave(0.12, 0), 1400 * size * Wave(0.08, 1), 170 * size * Wave(0.2, 2),
                    300 * size * Wave(0.05, 3), 300 * size * Wave(0.05, 3) / population * 1e4, rereferral: 0.2 * Wave(0.1, 4),
                    cinStarted: 1300 * size, cppStarts: 210 * size, claStarts: 120 * size, claCeased: 110 * size);
                if (year >= 2017)
                {
                    var sw = 120 * size * Wave(0.04, 5);
                    var agency = 20 * size * Wave(0.3, 6);
                    var vacancy = 22 * size * Wave(0.3, 7);
                    values = Merge(values, Workforce(sw, agency, vacancy, 16 * Wave(0.1, 8), turnover: 0.15 * Wave(0.25, 9), caseHolders: 80 * size, absence: 0.035));
                    values[Measures.AgencyRate] = agency / (agency + sw);
                    values[Measures.VacancyRate] = vacancy / (vacancy + sw);
                }
                if (change is not null)
                {
                    foreach (var key in values.Keys.ToList())
                    {
                        if (change(k, year, key, values[key]) is { } changed)
                            values[key] = changed;
                        else
                            values.Remove(key);
                    }
                }
                fixture.Year(codes[k], year, values);
            }
        }
        // Inspections: a mix of grades over 2014-2021, and (optionally) one each after 2021.
        string[] grades = ["good", "requires_improvement", "inadequate", "requires_improvement", "good", "outstanding", "inadequate", "good"];
        for (var k = 0; k < codes.Count; k++)
        {
            var g0 = grades[k % grades.Length];
            var g1 = grades[(k + 3) % grades.Length];
            var g2 = grades[(k + 5) % grades.Length];
            fixture.Inspection(codes[k], $"{2014 + k % 3}-0{1 + k % 8}-10", $"{2014 + k % 3}-{3 + k % 8:00}-20", "SIF", g0);
            fixture.Inspection(codes[k], $"{2018 + k % 3}-0{2 + k % 7}-05", $"{2018 + k % 3}-{4 + k % 7:00}-15", "ILACS", g1);
            if (laterInspections)
                fixture.Inspection(codes[k], $"2022-0{1 + k % 9}-17", $"2022-{3 + k % 9:00}-30", "ILACS", g2);
        }
        return fixture.Write(dir, folder);
    }
}
