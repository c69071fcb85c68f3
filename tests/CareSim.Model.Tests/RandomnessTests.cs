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

    [Fact]
    public void Normal_quantiles_computed_together_are_the_scalar_ones_bit_for_bit()
    {
        // Uniforms as the model draws them, plus both sides of every branch's edge and the far tails;
        // an odd count so that the last values miss the vector loop.
        var stream = CounterRng.StreamKey(11, 12, RandomStream.Demand, 3);
        double[] edges = [0.075, 0.925, 0.5 - 0.425, 0.5 + 0.425, Math.BitDecrement(0.075), Math.BitIncrement(0.925), 0.5,
            1e-11, 1.3887943864964e-11, 1.4e-11, 1e-15, 1e-300, 1 - 1e-15, 0.9999999999, 1.1102230246251565e-16, 1 - 1.1102230246251565e-16];
        var p = Enumerable.Range(0, 100_001).Select(r => CounterRng.Uniform(CounterRng.ReplicaKey(stream, r), 0)).Concat(edges).ToArray();
        var together = p.ToArray();
        Distributions.NormalQuantiles(together);
        for (var i = 0; i < p.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(Distributions.NormalQuantile(p[i])) == BitConverter.DoubleToInt64Bits(together[i]),
                $"p = {p[i]:R}: {Distributions.NormalQuantile(p[i]):R} alone, {together[i]:R} together");
    }

    [Fact]
    public void Normal_quantiles_computed_together_are_the_scalar_ones_for_every_length_and_mix_of_tails()
    {
        // Lengths 0-40 (the packed tail values fill no, some or several vectors, and the padded last one), runs of
        // tail values only, of central values only, and mixes; the far tails (the scalar fallback) among them.
        var random = new Random(17);
        double[] kinds = [0.01, 0.99, 0.3, 0.7, 1e-13, 1 - 1e-12];
        for (var length = 0; length <= 40; length++)
            for (var mix = 0; mix < 8; mix++)
            {
                var p = Enumerable.Range(0, length).Select(_ => mix switch
                {
                    0 => 0.08 * random.NextDouble(),         // tails only
                    1 => 0.1 + 0.8 * random.NextDouble(),    // central only
                    2 => kinds[random.Next(kinds.Length)],
                    _ => random.NextDouble(),
                }).ToArray();
                var together = p.ToArray();
                Distributions.NormalQuantiles(together);
                for (var i = 0; i < length; i++)
                    Assert.True(BitConverter.DoubleToInt64Bits(Distributions.NormalQuantile(p[i])) == BitConverter.DoubleToInt64Bits(together[i]),
                        $"length {length}, mix {mix}, p = {p[i]:R}: {Distributions.NormalQuantile(p[i]):R} alone, {together[i]:R} together");
            }
    }

    [Fact]
    public void Normals_of_a_block_are_each_replicas_own_draws()
    {
        var stream = CounterRng.StreamKey(11, 12, RandomStream.Workforce, 5);
        var z = CounterRng.Normals(stream, firstReplica: 40, count: 37, 4, 0, 9).ToArray();
        int[] draws = [4, 0, 9];
        for (var k = 0; k < draws.Length; k++)
            for (var i = 0; i < 37; i++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(CounterRng.Normal(CounterRng.ReplicaKey(stream, 40 + i), draws[k])), BitConverter.DoubleToInt64Bits(z[k * 37 + i]));
    }

    [Fact]
    public void Uniforms_of_a_block_are_the_scalar_uniforms_bit_for_bit_for_every_count()
    {
        var stream = CounterRng.StreamKey(7, 3, RandomStream.Quality, 2);
        int[] draws = [0, 5];
        foreach (var first in new[] { 0, 13, int.MaxValue - 40 })
            for (var count = 0; count <= 21; count++)
            {
                var u = CounterRng.Uniforms(stream, first, count, draws).ToArray();
                Assert.Equal(count * draws.Length, u.Length);
                for (var k = 0; k < draws.Length; k++)
                    for (var i = 0; i < count; i++)
                        Assert.True(BitConverter.DoubleToInt64Bits(CounterRng.Uniform(CounterRng.ReplicaKey(stream, first + i), draws[k])) == BitConverter.DoubleToInt64Bits(u[k * count + i]),
                            $"replica {first + i}, draw {draws[k]}, count {count}");
            }
    }

    [Fact]
    public void Ar1_steps_taken_together_are_the_scalar_steps_bit_for_bit()
    {
        var process = new LogAr1(0.3, 0.55);
        var random = new Random(21);
        for (var length = 0; length <= 23; length++)
        {
            var states = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
            var normals = Enumerable.Range(0, length).Select(_ => 3 * (random.NextDouble() - 0.5)).ToArray();
            var expected = states.Select((x, i) => process.Step(x, normals[i])).ToArray();
            var exponents = new double[length];
            LogAr1.StepAll(states, normals, process.Phi, process.Innovation, -0.045, exponents);
            for (var i = 0; i < length; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(states[i]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i] + -0.045), BitConverter.DoubleToInt64Bits(exponents[i]));
            }
        }
    }
}
