using BenchmarkDotNet.Running;
using CareSim.Bench;

// CareSim.Bench: the figures of docs/performance.md (bench/run.sh runs them all).
//   throughput --scenario FILE [--replicas N] [--months M] [--fresh-months F] [--block-size B] [--trials T] [--engines reference,grains,side,fresh] [--sink null|results]
//       authority-replica-months per second: reference engine (one thread), grain engine (all cores)
//   measure --label TEXT [--repeat N] -- COMMAND ARGS...
//       wall time (process start to exit) and peak working set of a command
//   allocations [--scenario FILE] [--months M]
//       bytes allocated by the monthly step per block-month, for blocks of 1 to 10,000 replicas
//   construction [--scenario FILE] [--replicas N] [--months M]
//       building one block of every authority: bytes and time per authority-replica
//   summaries --scenario FILE [--replicas N] [--months M] [--every K] [--passes P]
//       the quantiles of every metric on the scenario's own values (every Kth month): ns per set, exactness, how the values look
//   cluster-costs --scenario FILE [--replicas N] [--months M] [--block-size B] [--cores C] [--latency-ms L] [--fixed-seconds F]
//       compute per block-month, metrics bytes per block-month, summary and checkpoint costs; expected speed-up and break-even on n machines
//   bdn [BenchmarkDotNet arguments, e.g. --filter '*']
//       the BenchmarkDotNet benchmarks (monthly step per block of replicas, summaries)
// The model at the width `sim` runs it (CareSim.Engine.Running.VectorWidth): 512-bit lanes where the processor has them.
CareSim.Engine.Running.VectorWidth.WidenProcess();
var command = args.Length > 0 ? args[0] : "help";
var rest = args.Skip(1).ToArray();
switch (command)
{
    case "throughput":
        return await Throughput.RunAsync(Arguments.Parse(rest));
    case "measure":
        return ProcessMeasure.Run(rest);
    case "allocations":
        return StepAllocations.Run(Arguments.Parse(rest));
    case "construction":
        return StepAllocations.Construction(Arguments.Parse(rest));
    case "summaries":
        return SummaryCosts.Run(Arguments.Parse(rest));
    case "cluster-costs":
        return await ClusterCosts.RunAsync(Arguments.Parse(rest));
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(StepBenchmarks).Assembly).Run(rest);
        return 0;
    default:
        Console.Error.WriteLine("usage: CareSim.Bench throughput|measure|allocations|construction|summaries|cluster-costs|bdn ... (see bench/run.sh and docs/performance.md)");
        return command == "help" ? 0 : 2;
}
