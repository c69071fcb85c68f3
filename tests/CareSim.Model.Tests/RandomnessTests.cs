using CareSim.Model.Randomness;

namespace CareSim.Model.Tests;

public class RandomnessTests
{
    [Fact]
    public void Uniforms_are_in_the_open_unit_interval_with_mean_one_half()
    {
        var key = CounterRng.ReplicaKey(CounterRng.StreamKey(1, 2, RandomStream.Demand, 3), 4);
        var values = Enumerable.Range(0, 100_000).Select(d => CounterRng.Uniform(key, d)).ToArray();
        Assert.All(values, u => Assert.InRange(u, double.Epsilon, 1 - 1e-17));
        Assert.InRange(values.Average(), 0.497, 0.503);
        Assert.InRange(values.Count(u => u < 0.1) / 100_000.0, 0.097, 0.103);
    }

    [Fact]
    public void Normals_have_mean_zero_and_unit_variance()
    {
        var values = Enumerable.Range(0, 100_000)
            .Select(r => CounterRng.Normal(CounterRng.ReplicaKey(CounterRng.StreamKey(9, 9, RandomStream.Quality, 0), r), 0))
            .ToArray();
        var mean = values.Average();
        var variance = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
    }

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.001, -3.090232306167814)]
    [InlineData(1e-10, -6.361340902404056)]
    public void The_normal_quantile_matches_known_values(double p, double expected) =>
        Assert.Equal(expected, Distributions.NormalQuantile(p), 9);

    [Fact]
    public void Neighbouring_replicas_are_uncorrelated()
    {
        var stream = CounterRng.StreamKey(5, 6, RandomStream.Workforce, 7);
        var x = Enumerable.Range(0, 50_000).Select(r => CounterRng.Uniform(CounterRng.ReplicaKey(stream, r), 0)).ToArray();
        var y = Enumerable.Range(1, 50_000).Select(r => CounterRng.Uniform(CounterRng.ReplicaKey(stream, r), 0)).ToArray();
        var mx = x.Average();
        var my = y.Average();
        var covariance = x.Zip(y, (a, b) => (a - mx) * (b - my)).Average();
        Assert.InRange(covariance / (1.0 / 12), -0.02, 0.02);
    }
}
