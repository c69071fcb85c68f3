using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;

namespace CareSim.Experiments.Tests;

public class SobolTests
{
    /// <summary>Ishigami with a = 7, b = 0.1 on [-pi, pi]^3, from the unit cube.</summary>
    private static Task<double[]> Ishigami(double[] u)
    {
        var x = u.Select(v => -Math.PI + 2 * Math.PI * v).ToArray();
        return Task.FromResult(new[] { Math.Sin(x[0]) + 7 * Math.Pow(Math.Sin(x[1]), 2) + 0.1 * Math.Pow(x[2], 4) * Math.Sin(x[0]) });
    }

    private static async Task<IReadOnlyList<SobolIndex>> Estimate(int k, Func<double[], Task<double[]>> f, int samples) =>
        (await SobolAnalysis.EstimateAsync(k, 1, f, samples, SobolAnalysis.DefaultBootstrap, seed: 11, CancellationToken.None))[0];

    [Fact]
    public async Task Ishigami_indices_match_the_analytic_values()
    {
        var s = await Estimate(3, Ishigami, 20_000);
        double[] first = [0.314, 0.442, 0.0];
        double[] total = [0.558, 0.442, 0.244];
        for (var i = 0; i < 3; i++)
        {
            // Standard errors at N = 20,000 are about 0.01.
            Assert.True(Math.Abs(s[i].First - first[i]) < 0.03, $"S{i + 1} = {s[i].First}, expected {first[i]}");
            Assert.True(Math.Abs(s[i].Total - total[i]) < 0.03, $"ST{i + 1} = {s[i].Total}, expected {total[i]}");
            Assert.InRange(s[i].First, s[i].FirstLow, s[i].FirstHigh);
            Assert.InRange(s[i].Total, s[i].TotalLow, s[i].TotalHigh);
            Assert.True(s[i].FirstHigh - s[i].FirstLow < 0.1 && s[i].TotalHigh - s[i].TotalLow < 0.1, $"input {i + 1}: intervals too wide");
        }
        // Fewer rows: wider intervals.
        var small = await Estimate(3, Ishigami, 500);
        Assert.True(small[0].FirstHigh - small[0].FirstLow > 2 * (s[0].FirstHigh - s[0].FirstLow));
    }

    [Fact]
    public async Task A_linear_model_has_equal_first_and_total_indices_proportional_to_squared_coefficients()
    {
        // y = 1 x1 + 2 x2 + 0 x3 with independent uniforms: S_i = ST_i = c_i^2 / sum c^2 = 0.2, 0.8, 0.
        var s = await Estimate(3, u => Task.FromResult(new[] { u[0] + 2 * u[1] }), 5_000);
        double[] expected = [0.2, 0.8, 0.0];
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(s[i].First - expected[i]) < 0.04, $"S{i + 1} = {s[i].First}, expected {expected[i]}");
            Assert.True(Math.Abs(s[i].Total - expected[i]) < 0.02, $"ST{i + 1} = {s[i].Total}, expected {expected[i]}");
        }
        // An input the function ignores has total order exactly 0 (f_A = f_ABi in every row).
        Assert.Equal(0, s[2].Total);
        Assert.Equal((0.0, 0.0), (s[2].TotalLow, s[2].TotalHigh));
    }

    [Fact]
    public async Task The_design_depends_only_on_the_seed_and_the_row_so_more_samples_extend_it()
    {
        var seen = new List<double[]>();
        Task<double[]> Record(double[] u)
        {
            seen.Add(u);
            return Task.FromResult(new[] { u.Sum() });
        }
        await Estimate(4, Record, 3);
        var first = seen.ToList();
        Assert.Equal(SobolAnalysis.Cost(3, 4), first.Count);
        seen.Clear();
        await Estimate(4, Record, 6);
        Assert.Equal(SobolAnalysis.Cost(6, 4), seen.Count);
        Assert.Equal(first.Select(p => string.Join(",", p)), seen.Take(first.Count).Select(p => string.Join(",", p)));
        // A_B^(i) is A with column i from B: row 0's A, B, then A with column 0 replaced.
        Assert.Equal([seen[1][0], seen[0][1], seen[0][2], seen[0][3]], seen[2]);
        Assert.NotEqual(SobolAnalysis.Row(11, 0, 4, b: false), SobolAnalysis.Row(12, 0, 4, b: false));
        Assert.All(seen.SelectMany(p => p), v => Assert.InRange(v, 0.0, 1.0));
    }

    [Fact]
    public void An_outcome_that_never_varies_has_zero_indices()
    {
        double[] same = [3, 3, 3, 3];
        var s = SobolAnalysis.Indices(same, same, [same, same], bootstrap: 50, seed: 1);
        Assert.All(s, i => Assert.Equal(new SobolIndex(0, 0, 0, 0, 0, 0), i));
    }

    [Fact]
    public async Task Sobol_on_the_model_finds_agency_cost_drives_cost_most_and_its_intervals_hold_the_estimates()
    {
        var plan = Scenarios.Load("sefton-2022-23.yaml", replicas: 10, horizon: 36);
        var runs = 0;
        var rows = await SobolAnalysis.RunAsync(new ReferenceEngine(), plan, [OutcomeMeasures.Cost, OutcomeMeasures.MonthsToGood], authority: 0,
            samples: 32, bootstrap: 200, new RunSettings(), new SyncProgress(() => runs++), CancellationToken.None);
        var k = UncertainParameters.All.Count;
        Assert.Equal(SobolAnalysis.Cost(32, k), runs);
        Assert.Equal(2 * k, rows.Count);
        var cost = rows.Where(r => r.Outcome == OutcomeMeasures.Cost.Name).ToList();
        Assert.Equal(cost.OrderByDescending(r => r.Total).Select(r => r.Parameter), cost.Select(r => r.Parameter));
        var agency = cost.Single(r => r.Parameter == P.AgencyCostMultiplier.Name);
        // Dearer agency staff explain most of the variance of cost, alone (first order) and in all (total).
        Assert.Equal(agency, cost[0]);
        Assert.True(agency.First > 0.5 && agency.Total > 0.5, $"agency cost: S = {agency.First}, ST = {agency.Total}");
        Assert.All(rows, r =>
        {
            Assert.InRange(r.First, r.FirstLow, r.FirstHigh);
            Assert.InRange(r.Total, r.TotalLow, r.TotalHigh);
            Assert.True(r.Total >= 0, $"{r.Parameter}: total order {r.Total}");
        });
        var csv = SobolAnalysis.ToCsv(rows).Split('\n');
        Assert.Equal(SobolAnalysis.CsvHeader, csv[0]);
        Assert.Equal(rows.Count + 2, csv.Length); // header, rows, and the empty string after the last newline
        Assert.Contains(csv, l => l.StartsWith(agency.Parameter + ",cost,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sobol_on_the_model_is_the_same_whatever_the_block_size_and_changes_with_the_seed()
    {
        // 36 months reach into the outcome window (from January 2024), so cost varies.
        var plan = Scenarios.Load("sefton-2022-23.yaml", replicas: 6, horizon: 36);
        Task<IReadOnlyList<SobolRow>> Run(SimulationPlan p, int blockSize) => SobolAnalysis.RunAsync(new ReferenceEngine(), p, [OutcomeMeasures.Cost], authority: 0,
            samples: 2, bootstrap: 20, new RunSettings(BlockSize: blockSize), null, CancellationToken.None);
        var whole = await Run(plan, 1000);
        Assert.Contains(whole, r => r.Total > 0);
        Assert.Equal(whole, await Run(plan, 4));
        Assert.NotEqual(whole, await Run(plan with { Seed = plan.Seed + 1 }, 1000));
    }

    /// <summary>Progress reported on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report();
    }
}
