using CareSim.Estimation.Backtest;

namespace CareSim.Estimation.Tests.Backtest;

public class ScoresTests
{
    [Fact]
    public void Crps_of_a_single_member_is_the_absolute_error()
    {
        Assert.Equal(3.0, Scores.Crps([5.0], 2.0), 12);
        Assert.Equal(0.0, Scores.Crps([2.0], 2.0), 12);
    }

    [Fact]
    public void Crps_sorted_form_equals_the_double_sum_definition()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 20; trial++)
        {
            var n = random.Next(1, 40);
            var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 10 - 3).ToArray();
            var y = random.NextDouble() * 12 - 4;
            var brute = x.Average(v => Math.Abs(v - y)) - 0.5 * x.SelectMany(a => x.Select(b => Math.Abs(a - b))).Sum() / (n * (double)n);
            Array.Sort(x);
            Assert.Equal(brute, Scores.Crps(x, y), 9);
        }
    }

    [Fact]
    public void Crps_rewards_a_sharp_ensemble_at_the_truth_and_is_never_negative()
    {
        double[] sharp = [9.9, 10.0, 10.1];
        double[] wide = [5.0, 10.0, 15.0];
        Assert.True(Scores.Crps(sharp, 10) < Scores.Crps(wide, 10));
        Assert.True(Scores.Crps(wide, 20) < Scores.Crps(sharp, 30));
        Assert.True(Scores.Crps(wide, 10) >= 0);
    }

    [Fact]
    public void The_80_percent_interval_is_p10_to_p90_inclusive()
    {
        var sorted = Enumerable.Range(0, 11).Select(i => (double)i).ToArray(); // p10 = 1, p90 = 9
        Assert.True(Scores.Inside80(sorted, 1));
        Assert.True(Scores.Inside80(sorted, 9));
        Assert.False(Scores.Inside80(sorted, 0.5));
        Assert.False(Scores.Inside80(sorted, 9.5));
    }

    [Fact]
    public void Log_loss_is_floored_and_brier_sums_over_the_grades()
    {
        double[] p = [0.0, 0.5, 0.5, 0.0];
        Assert.Equal(-Math.Log(Scores.LogLossFloor), Scores.LogLoss(p, 0), 12);
        Assert.Equal(Math.Log(2), Scores.LogLoss(p, 1), 12);
        Assert.Equal(0.25 + 0.25, Scores.Brier(p, 1), 12);
        Assert.Equal(0.0, Scores.Brier([0, 0, 1, 0], 2), 12);
        Assert.Equal(2.0, Scores.Brier([1, 0, 0, 0], 3), 12);
    }
}
