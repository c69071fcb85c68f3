using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Grains.Runner;
using CareSim.Host;
using CareSim.Model;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Scenarios;

namespace CareSim.Bench;

/// <summary>
/// Authority-replica-months per second of the reference engine on one thread and of the grain
/// engine on all cores (an embedded silo), on the same plan in the same process, trials
/// interleaved so that other load on the machine hits both alike. Outputs go to a sink that
/// keeps nothing, so this is the engines (model, messages, scheduling), not the summaries.
/// Also runs one reference engine per core side by side: what the machine gives to perfectly
/// independent work, the ceiling for any engine.
/// </summary>
/// <remarks>
/// Where the blocks' memory comes from is a large part of a trial (page faults while fresh memory is
/// first touched), so the ceiling is measured both ways, and each engine is set against the ceiling
/// measured its way. Warm: the trials' blocks are built in arrays the process's earlier trials handed
/// back (<see cref="BlockMemory"/>), as both engines do when a process runs several runs (`sim compare`,
/// `sim serve`, a cluster silo). Fresh (engine "fresh"): every array new (<see cref="BlockMemory.Fresh"/>),
/// after a compacting collection that returns the earlier trials' freed memory to the system, so the
/// blocks are built in pages never touched before, as in a `sim run` (one run per process). Fresh trials
/// in this warm process rather than a new process per trial: the JIT, the warm-up and start-up stay out
/// of "the model alone", and the page faults per trial (printed) show the memory was indeed fresh. Building
/// in fresh memory costs once per run, not per month, so a fresh trial that stands for a run has that
/// run's months (--fresh-months; bench/run.sh: England's 120), not the shorter trials' (a 24-month trial
/// scaled to 120 months would count the building five times).
/// </remarks>
public static class Throughput
{
    public static async Task<int> RunAsync(Arguments args)
    {
        if (args.Workload(defaultReplicas: 1000) is not (var scenario, var plan, var settings)) return 2;
        var blockSize = settings.BlockSize;
        var trials = args.Int("trials", 5);
        var engines = args.Text("engines", "reference,grains,side,fresh").Split(',');
        // null: the engines alone; results: also summaries and the results directory, as `sim run` writes them.
        var sinkKind = args.Text("sink", "null");
        var cores = Environment.ProcessorCount;
        var work = (double)plan.Authorities.Count * plan.Replicas * plan.HorizonMonths;
        var freshPlan = plan with { HorizonMonths = args.Int("fresh-months", plan.HorizonMonths) };
        var freshWork = (double)plan.Authorities.Count * plan.Replicas * freshPlan.HorizonMonths;
        Console.WriteLine($"throughput: {Path.GetFileName(scenario)}, {plan.Authorities.Count} authorities x {plan.Replicas:N0} replicas x {plan.HorizonMonths} months "
            + $"= {work / 1e6:0.00} M authority-replica-months, block size {blockSize}, {cores} cores, {CareSim.Engine.Running.VectorWidth.Bits}-bit vectors, {trials} trials (interleaved)");

        await using var silo = await EmbeddedSilo.StartAsync();
        var grains = new GrainEngine(silo.Grains, new GrainRunOptions { LocalPlans = silo.Plans });

        // Warm-up: every code path to its final JIT tier.
        var warm = plan with { HorizonMonths = Math.Min(plan.HorizonMonths, 6) };
        for (var k = 0; k < 2; k++)
        {
            OnThread(() => ReferenceEngine.Run(warm, settings, new NullSink()));
            await grains.RunAsync(warm, settings, new NullSink(), null, CancellationToken.None);
        }

        var reference = new Samples();
        var grain = new Samples();
        var side = new Samples();
        var sideFresh = new Samples();
        for (var t = 0; t < trials; t++)
        {
            if (engines.Contains("reference")) reference.Add(Measure(work, () => OnThread(() => Run(new ReferenceEngine(), plan, sinkKind, settings))));
            if (engines.Contains("grains")) grain.Add(Measure(work, () => Run(grains, plan, sinkKind, settings)));
            if (engines.Contains("side")) side.Add(Measure(work * cores, () => OnThreads(cores, () => ReferenceEngine.Run(plan, settings, new NullSink()))));
            if (engines.Contains("fresh"))
            {
                ReturnFreedMemory();
                sideFresh.Add(Measure(freshWork * cores, () => OnThreads(cores, () =>
                {
                    using (BlockMemory.Fresh()) ReferenceEngine.Run(freshPlan, settings, new NullSink());
                })));
            }
        }
        if (!new[] { "reference", "grains", "side", "fresh" }.All(engines.Contains))
        {
            // A partial run (for profiling): the rates only.
            foreach (var (name, samples) in new[] { ("reference", reference), ("grains", grain), ("side by side", side), ("side by side, fresh memory", sideFresh) })
                if (samples.Count > 0) Console.WriteLine($"  {name,-36}{samples}");
            return 0;
        }

        Console.WriteLine("  (M authority-replica-months per second: best of the trials, median in brackets; this process's CPU seconds per M;");
        Console.WriteLine("   cores kept busy by other processes meanwhile, median: the machine is shared, and those trials are slower;");
        Console.WriteLine("   page faults per trial, median: fresh memory is faulted in page by page, reused memory is not)");
        Console.WriteLine("  (warm: blocks built in the memory of earlier trials, as a process running several runs does;");
        Console.WriteLine("   fresh memory: every array new, in pages never touched before, as `sim run` builds its one run)");
        Console.WriteLine($"  reference engine, 1 thread          {reference}");
        Console.WriteLine($"  grain engine, {cores} cores              {grain}");
        Console.WriteLine($"  {cores} reference engines side by side  {side}   (the machine's ceiling for {cores} cores, warm)");
        Console.WriteLine($"  {$"{cores} side by side, fresh memory",-36}{sideFresh}   (the ceiling in fresh memory, {freshPlan.HorizonMonths} months a trial)");
        var ratio = grain.Best / reference.Best;
        var ratioMedian = grain.Median / reference.Median;
        Console.WriteLine(Invariant($"  grain / reference                   {ratio:0.00}x ({ratioMedian:0.00}x)   target >= 1.6 on 2 cores: {Verdict(ratio >= 1.6)}"));
        Console.WriteLine(Invariant($"  grain per core / reference          {ratio / cores:0.00} ({ratioMedian / cores:0.00})   target >= 0.85: {Verdict(ratio / cores >= 0.85)}"));
        Console.WriteLine(Invariant($"  grain / machine ceiling             {grain.Best / side.Best:0.00} ({grain.Median / side.Median:0.00})   target >= 0.95: {Verdict(grain.Best / side.Best >= 0.95)}   (both warm: like with like)"));
        if (freshPlan.HorizonMonths == plan.HorizonMonths)
            Console.WriteLine(Invariant($"  ceiling fresh / warm                {sideFresh.Best / side.Best:0.00} ({sideFresh.Median / side.Median:0.00})   (what building in fresh memory costs the model alone)"));
        return 0;
    }

    /// <summary>
    /// Runs an engine with a sink that keeps nothing, or as `sim run` does (summaries and the
    /// results directory, written to a temporary directory that is deleted afterwards).
    /// </summary>
    private static void Run(ISimulationEngine engine, SimulationPlan plan, string sink, RunSettings settings)
    {
        if (sink == "null")
        {
            engine.RunAsync(plan, settings, new NullSink(), null, CancellationToken.None).GetAwaiter().GetResult();
            return;
        }
        var directory = Path.Combine(Path.GetTempPath(), $"caresim-bench-{Guid.NewGuid():N}");
        try
        {
            var request = new RunRequest(plan, "bench", null, Enum.GetValues<Metric>(), PerReplica: false, settings, directory);
            RunExecutor.ExecuteAsync(engine, request, null, CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    private static string Verdict(bool met) => met ? "met" : "NOT met";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static (double Rate, double CpuPerMillion, double Others, double Faults) Measure(double work, Action run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var machine = MachineLoad.BusySeconds();
        var faults = MinorFaults();
        var stopwatch = Stopwatch.StartNew();
        run();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        var others = machine is { } before && MachineLoad.BusySeconds() is { } after ? Math.Max(0, (after - before - cpuSeconds) / seconds) : double.NaN;
        return (work / seconds / 1e6, cpuSeconds / (work / 1e6), others, MinorFaults() - faults);
    }

    /// <summary>
    /// A compacting collection that gives the memory of earlier trials back to the system (as
    /// <c>IdleMemory</c> does on an idle silo), so that a fresh-memory trial's new arrays are pages never
    /// touched before, as in a new process, not freed pages the collector still held.
    /// </summary>
    private static void ReturnFreedMemory()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>This process's minor page faults so far (/proc/self/stat, field 10; NaN without it).</summary>
    private static double MinorFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // The command name (field 2) is in brackets and may hold spaces: count the fields after it.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return double.Parse(fields[7], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    private static void OnThread(Action action) => OnThreads(1, action);

    /// <summary>Runs <paramref name="action"/> on <paramref name="count"/> dedicated threads at once.</summary>
    private static void OnThreads(int count, Action action)
    {
        var threads = Enumerable.Range(0, count).Select(_ => new Thread(() => action()) { IsBackground = true }).ToList();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
    }

    private sealed class Samples
    {
        private readonly List<(double Rate, double Cpu, double Others, double Faults)> _samples = [];

        public void Add((double Rate, double Cpu, double Others, double Faults) sample) => _samples.Add(sample);

        public int Count => _samples.Count;

        public double Best => _samples.Max(s => s.Rate);

        public double Median => MedianOf(_samples.Select(s => s.Rate));

        private static double MedianOf(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }

        public override string ToString() => Invariant(
            $"{Best,6:0.000} M/s ({Median:0.000})   cpu {MedianOf(_samples.Select(s => s.Cpu)):0.00} s/M   other processes {MedianOf(_samples.Select(s => s.Others)):0.00} cores   page faults {MedianOf(_samples.Select(s => s.Faults)) / 1000:0}k");
    }
}
