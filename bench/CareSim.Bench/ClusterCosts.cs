using System.Diagnostics;
using System.Globalization;
using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Engine.Summaries;
using CareSim.Grains.Abstractions.Serialization;
using CareSim.Grains.Runner;
using CareSim.Host;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Scenarios;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CareSim.Bench;

/// <summary>
/// The costs that decide what a cluster gains (docs/cluster.md, "Speed"), measured in this process:
/// the model's compute per block-month (one thread), the bytes a block sends the runner each month
/// (its authorities' metrics, serialised as they cross) and the CPU to serialise and read them, the
/// client's summary work per month, and a checkpoint's bytes per replica. From them, and a barrier
/// latency and network speed given as options, the expected time per month and speed-up on n machines.
/// </summary>
public static class ClusterCosts
{
    public static async Task<int> RunAsync(Arguments args)
    {
        if (args.Workload(defaultReplicas: 6000) is not (var scenario, var plan, var settings)) return 2;
        var blockSize = settings.BlockSize;
        var coresPerMachine = args.Int("cores", Environment.ProcessorCount);
        var latencyMs = args.Double("latency-ms", 1);
        var fixedSeconds = args.Double("fixed-seconds", 2); // a cluster run's extra start-up (connecting, activating the blocks): bench/cluster.sh section 2 measures it
        var blocks = BlockRange.Partition(plan.Replicas, blockSize);
        var authorities = plan.Authorities.Count;
        Console.WriteLine(Invariant($"cluster costs: {Path.GetFileName(scenario)}, {authorities} authorities x {plan.Replicas:N0} replicas x {plan.HorizonMonths} months, {blocks.Count} blocks of {blockSize}"));

        // 1. Compute: the reference engine on one thread, nothing kept (best of 3).
        ReferenceEngine.Run(plan with { HorizonMonths = Math.Min(6, plan.HorizonMonths) }, settings, new NullSink());
        var compute = Best(3, () => ReferenceEngine.Run(plan, settings, new NullSink()));
        var perBlockMonth = compute / (blocks.Count * (double)plan.HorizonMonths);
        // 2. Summaries: the same run with the summary sink `sim run` uses (all metrics), timing that sink's monthly
        //    calls only (best of 3). The difference of two whole runs was swallowed by the noise of a shared machine
        //    (it came out below zero, printed as 0.00 ms, for the Liverpool City Region at 0ea8141).
        var metrics = Enum.GetValues<Metric>();
        var summaryPerMonth = Enumerable.Range(0, 3).Min(_ =>
        {
            var timed = new TimedSink(new SummaryAccumulator(plan, metrics, (_, _) => { }, Environment.ProcessorCount));
            ReferenceEngine.Run(plan, settings, timed);
            return timed.MonthlySeconds;
        }) / plan.HorizonMonths;

        // 3. Messages: one block-month's metrics as Orleans serialises them across silos, and the CPU to write and read them.
        var serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(MetricFrameCodec).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>();
        var frames = Enumerable.Range(0, authorities).Select(_ => Filled(new MetricFrame(blocks[0].Count))).ToArray();
        var bytes = serializer.SerializeToArray(frames);
        var roundTrip = Best(5, () =>
        {
            // The frames read are handed back, as the runner hands back a month's frames (MetricFramePool).
            for (var k = 0; k < 10; k++) MetricFramePool.Return(serializer.Deserialize<MetricFrame[]>(serializer.SerializeToArray(frames))!);
        }) / 10;
        var serialiseShare = 0.5; // writing and reading cost about the same (both copy every byte once or twice)

        // 4. A checkpoint: the grain engine on an embedded silo, checkpointing every 12 months.
        long checkpointBytes;
        await using (var silo = await EmbeddedSilo.StartAsync())
        {
            var engine = new GrainEngine(silo.Grains, new GrainRunOptions { CheckpointEveryMonths = 12 });
            await engine.RunAsync(plan with { HorizonMonths = Math.Max(13, Math.Min(plan.HorizonMonths, 24)) }, settings, new NullSink(), null, CancellationToken.None);
            checkpointBytes = engine.LastCheckpointBytes;
        }

        var monthBytes = (double)bytes.Length * blocks.Count;
        Console.WriteLine(Invariant($"  compute per block-month, 1 thread     {perBlockMonth * 1e3,8:0.00} ms   ({compute / (authorities * (double)plan.Replicas * plan.HorizonMonths) * 1e9:0} ns per authority-replica-month)"));
        Console.WriteLine(Invariant($"  metrics per block-month to the runner {bytes.Length / 1e6,8:0.000} MB   ({bytes.Length / (double)(authorities * blocks[0].Count):0} bytes per authority-replica)"));
        Console.WriteLine(Invariant($"  serialise + read them                 {roundTrip * 1e3,8:0.00} ms   ({bytes.Length / roundTrip / 1e9:0.0} GB/s)"));
        Console.WriteLine(Invariant($"  summaries per month (client, {Environment.ProcessorCount} cores)  {summaryPerMonth * 1e3,8:0.00} ms   ({summaryPerMonth / (authorities * (double)plan.Replicas) * 1e9:0} ns per authority-replica-month)"));
        Console.WriteLine(Invariant($"  checkpoint (every block, one month)   {checkpointBytes / 1e6,8:0.00} MB   ({checkpointBytes / (double)plan.Replicas:0} bytes per replica)"));

        // The model, per month, for a run cut into at least (machines x cores) blocks (`--block-size`; the numbers
        // never depend on it), so that every cost below is per authority-replica and shrinks or not with n:
        // on one machine (embedded) compute / cores + summaries. On n silo machines with the client on its own
        // machine, as built: compute / (n cores) and writing the metrics (silos, in parallel), then the barrier's
        // round trip, every block's metrics over the client's link, reading them and summarising (the client).
        // With a summariser per authority on the silos (not built): each machine also reads about 1/n of the
        // metrics from its link and summarises its whole authorities (ceil(authorities / n) of them); the
        // client gets only the summary rows (a few KB, not counted).
        var computeMonth = perBlockMonth * blocks.Count;
        var writeMonth = roundTrip * serialiseShare * blocks.Count; // writing the month's metrics; reading them costs the same
        var embedded = computeMonth / coresPerMachine + summaryPerMonth;
        double AsBuilt(int n, double gbps) => computeMonth / (n * (double)coresPerMachine) + writeMonth / n
            + latencyMs / 1e3 + monthBytes * 8 / (gbps * 1e9) + writeMonth + summaryPerMonth;
        double Summarisers(int n, double gbps) => computeMonth / (n * (double)coresPerMachine) + writeMonth / n
            + latencyMs / 1e3 + monthBytes / n * 8 / (gbps * 1e9) + writeMonth / n + summaryPerMonth * Math.Ceiling(authorities / (double)n) / authorities;
        var monthRun = authorities * (double)plan.Replicas; // authority-replica-months in a month of this run
        Console.WriteLine(Invariant($"  expected time per month and speed-up over one {coresPerMachine}-core machine ({embedded * 1e3:0.0} ms a month embedded), silo machines of {coresPerMachine} cores, barrier {latencyMs} ms;"));
        Console.WriteLine(Invariant($"  break-even: the run size (at this run's authorities x replicas) above which the cluster is faster, for {fixedSeconds} s more start-up than embedded (--fixed-seconds; bench/cluster.sh section 2 measures it)"));
        Table("as built: the client receives every metric and summarises", AsBuilt);
        Table("with a summariser per authority on the silos (not built)", Summarisers);
        return 0;

        void Table(string title, Func<int, double, double> month)
        {
            Console.WriteLine($"  {title}:");
            Console.WriteLine("    machines   1 Gbit/s           10 Gbit/s          break-even at 10 Gbit/s");
            foreach (var n in new[] { 1, 2, 4, 16, 64 })
            {
                var cells = new[] { 1.0, 10.0 }.Select(gbps => Invariant($"{month(n, gbps) * 1e3,7:0.0} ms {embedded / month(n, gbps),5:0.00}x"));
                var gain = embedded - month(n, 10);
                var breakEven = gain > 0 ? Invariant($"{fixedSeconds / gain * monthRun / 1e6:0.0} M authority-replica-months") : "never";
                Console.WriteLine(Invariant($"    {n,8}   {string.Join("    ", cells)}   {breakEven}"));
            }
        }
    }

    private static MetricFrame Filled(MetricFrame frame)
    {
        var random = new Random(1);
        foreach (var column in frame.Values)
            for (var i = 0; i < column.Length; i++) column[i] = random.NextDouble();
        return frame;
    }

    private static double Best(int trials, Action action)
    {
        var best = double.MaxValue;
        for (var t = 0; t < trials; t++)
        {
            var stopwatch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
