using System.Globalization;
using CareSim.Model.Plan;

namespace CareSim.Bench;

/// <summary>
/// Bytes allocated by the model's monthly step, counted exactly (the thread's allocation
/// counter) over the months of a plan, after the world is built: what BenchmarkDotNet's
/// MemoryDiagnoser cannot separate from the per-iteration construction of a fresh world.
/// Allocation per replica shows as bytes per block-month that grow with the block's replicas.
/// </summary>
public static class StepAllocations
{
    public static int Run(Arguments args)
    {
        var scenario = args.Text("scenario", "sefton-2022-23.yaml");
        var months = args.Int("months", StepBenchmarks.Months);
        Console.WriteLine($"  allocations of the monthly step ({scenario}, {months} months after construction, one block):");
        var perBlockMonth = new List<(int Replicas, double Bytes)>();
        foreach (var replicas in new[] { 1, 100, 1000, 10_000 })
        {
            var plan = Scenarios.Load(scenario, replicas, months);
            // Warm-up world: every path jitted (tiering may allocate once per method, not per step).
            var warm = new StepBenchmarks.BlockWorld(plan, new BlockRange(0, replicas));
            for (var month = 0; month < months; month++) warm.Step(month);
            var world = new StepBenchmarks.BlockWorld(plan, new BlockRange(0, replicas));
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var month = 0; month < months; month++) world.Step(month);
            var bytes = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / months;
            perBlockMonth.Add((replicas, bytes));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    block of {replicas,6:N0} replicas: {bytes,10:N0} B per block-month   {bytes / replicas,8:0.###} B per replica-month"));
        }
        var growth = (perBlockMonth[^1].Bytes - perBlockMonth[0].Bytes) / (perBlockMonth[^1].Replicas - perBlockMonth[0].Replicas);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    growth with the block: {growth:0.###} B per replica-month   target 0: {(growth < 0.01 ? "met" : "NOT met")}"));
        return 0;
    }

    /// <summary>
    /// Building one block (every authority of the scenario, 1,000 replicas by default): bytes
    /// allocated per authority-replica, and the time of the best of four builds (the first jits).
    /// </summary>
    public static int Construction(Arguments args)
    {
        var scenario = args.Text("scenario", "sefton-2022-23.yaml");
        if (File.Exists(scenario)) scenario = Path.GetFullPath(scenario); // else one of the repository's scenarios
        var replicas = args.Int("replicas", 1000);
        var plan = Scenarios.Load(scenario, replicas, args.Int("months", 120));
        var block = new BlockRange(0, replicas);
        var bytes = 0L;
        var best = double.MaxValue;
        for (var k = 0; k < 4; k++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            GC.KeepAlive(new StepBenchmarks.BlockWorld(plan, block));
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        var authorityReplicas = (double)plan.Authorities.Count * replicas;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  building a block of {plan.Authorities.Count} authorities x {replicas:N0} replicas ({Path.GetFileName(scenario)}): "
            + $"{bytes / authorityReplicas:N0} B and {best / authorityReplicas * 1e9:N0} ns per authority-replica (best of 4 builds)"));
        return 0;
    }
}
