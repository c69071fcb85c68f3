using CareSim.Grains.Abstractions.Serialization;
using CareSim.Model.Outputs;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Serialization;

namespace CareSim.Grains.Tests;

/// <summary>
/// The metrics' way from a silo to the runner (<see cref="MetricFrameCodec"/>): every bit arrives,
/// frames the runner hands back are filled again instead of new ones, and frames it did not
/// receive are never taken.
/// </summary>
[Collection(ClusterCollection.Name)] // the pool is one per process: not beside the runs of the other tests
public class MetricFrameCodecTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(MetricFrameCodec).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private static MetricFrame Frame(int count, int seed)
    {
        var random = new Random(seed);
        var frame = new MetricFrame(count);
        foreach (var column in frame.Values)
            for (var r = 0; r < count; r++) column[r] = random.NextDouble() * 1e6 - 5e5;
        if (count == 0) return frame;
        frame.Values[0][0] = -0.0;
        frame.Values[1][0] = BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF); // a NaN with a payload
        frame.Values[2][0] = double.Epsilon;
        return frame;
    }

    private static MetricFrame[] RoundTrip(params MetricFrame[] frames) =>
        Serializer.Deserialize<Immutable<MetricFrame[]>>(Serializer.SerializeToArray(frames.AsImmutable())).Value;

    private static void AssertSameBits(MetricFrame expected, MetricFrame actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var m = 0; m < MetricCatalog.Count; m++)
            Assert.True(expected.Values[m].Select(BitConverter.DoubleToInt64Bits).SequenceEqual(actual.Values[m].Select(BitConverter.DoubleToInt64Bits)),
                $"metric {MetricCatalog.All[m].Name} differs");
    }

    [Fact]
    public void Frames_arrive_bit_for_bit()
    {
        var sent = new[] { Frame(250, 1), Frame(250, 2), Frame(7, 3), Frame(0, 4) };
        var received = RoundTrip(sent);
        Assert.Equal(sent.Length, received.Length);
        for (var i = 0; i < sent.Length; i++) AssertSameBits(sent[i], received[i]);
    }

    [Fact]
    public void Frames_handed_back_are_filled_again_and_frames_the_pool_did_not_make_are_ignored()
    {
        MetricFramePool.Clear();
        var first = RoundTrip(Frame(33, 1), Frame(33, 2));
        var own = Frame(33, 9); // an authority block's own frame, passed by reference in one process
        MetricFramePool.Return([.. first, own]);
        Assert.Equal(2, MetricFramePool.Count);

        var sent = new[] { Frame(33, 5), Frame(33, 6), Frame(33, 7) };
        var second = RoundTrip(sent);
        Assert.Equal(2, second.Count(f => first.Contains(f))); // the two handed back, then a new one
        Assert.DoesNotContain(own, second);
        for (var i = 0; i < sent.Length; i++) AssertSameBits(sent[i], second[i]);
        Assert.Equal(0, MetricFramePool.Count);
    }

    [Fact]
    public void A_frame_whose_length_does_not_match_its_header_is_refused()
    {
        var bytes = Serializer.SerializeToArray(Frame(10, 1));
        // The header (metrics, replicas as two little-endian ints) then claims one more replica than was sent.
        byte[] header = [(byte)MetricCatalog.Count, 0, 0, 0, 10, 0, 0, 0];
        var at = bytes.AsSpan().IndexOf(header);
        Assert.True(at > 0);
        bytes[at + 4] = 11;
        var error = Assert.ThrowsAny<Exception>(() => Serializer.Deserialize<MetricFrame>(bytes));
        Assert.Contains("do not hold", error.ToString());
    }
}
