#!/usr/bin/env python3
"""CPU seconds by process and by what it was doing, from a `perf record -g` of a cluster run.

usage: perf-buckets.py [--run] PERF_DATA HZ LABEL=PID|all [LABEL=PID ...]

Reads `perf script` of the given processes (their samples at HZ per second) and puts each sample
in the first bucket whose rule matches its thread or its stack (leaf first); the rules are in
BUCKETS below. The .NET processes must have run with DOTNET_PerfMapEnabled=1 (and
DOTNET_EnableWriteXorExecute=0) so that perf can name jitted methods (docs/performance.md).
Used by bench/cluster.sh --profile (docs/cluster.md, "Where the time goes"). With --run, the rules
are RUN_BUCKETS: what a `sim run` spends outside the model, piece by piece (docs/performance.md,
issue 16's fourth part); PID `all` takes every sample of the file.
"""
import collections
import subprocess
import sys


def any_frame(*parts):
    return lambda thread, stack: any(p in f for f in stack for p in parts)


BUCKETS = [
    ("JIT (tiered compilation thread)", lambda thread, stack: thread.startswith(".NET Tiered")),
    ("GC (background thread)", lambda thread, stack: thread.startswith(".NET BGC")),
    ("checkpoints: capturing block state", lambda thread, stack: any("BlockSnapshot" in f for f in stack)
        and not any("Storage" in f or "StackExchange.Redis" in f for f in stack)),
    ("checkpoints: grain storage (serialise, Redis client)", any_frame("CheckpointStorage", "RedisGrainStorage", "StackExchange.Redis", "Pipelines.Sockets")),
    ("starting or restoring blocks", any_frame("Grain::Initialize", "Grain+<Initialize", "Grain::Restore", "Grain+<Restore", "AuthorityBlock::.ctor", "WorkforceBlock::.ctor")),
    # "[CareSim.Model] CareSim.Model." is a method of the model's assembly (a model type among a method's arguments has no space).
    ("the model (authority, workforce, market, commissioner grains)", any_frame("[CareSim.Model] CareSim.Model.", "AuthorityGrain", "WorkforceGrain", "LabourMarketGrain", "CommissionerGrain")),
    ("messages: serialise and send", any_frame("MessageSerializer::Write", "ProcessSends", "PrefixingBufferWriter", "ProcessOutgoing")),
    ("messages: receive and deserialise", any_frame("MessageSerializer::TryRead", "ProcessReceives", "ProcessIncoming")),
    ("summaries", any_frame("SummaryAccumulator", "QuantileSelector")),
    ("results files", any_frame("CareSim.Engine.Results", "SummaryCsvWriter", "ParquetTable")),
    ("thread pool waiting (spinning)", any_frame("LowLevelLifoSemaphore::Wait", "WorkerThread::WorkerThreadStart")),
    ("Orleans runtime, other", any_frame("Orleans")),
]


RUN_BUCKETS = [
    ("JIT (tiered compilation thread)", lambda thread, stack: thread.startswith(".NET Tiered")),
    ("summary.csv (formatting, writing)", any_frame("SummaryCsvWriter")),
    ("summary.parquet and the other Parquet files", any_frame("ParquetTable", "Parquet.", "Snappier")),
    ("results files, other (rows to the writers, outcome files)", any_frame("ResultsWriter")),
    ("summaries: quantiles (QuantileSelector)", any_frame("QuantileSelector::DescribeQuantiles", "QuantileSelector::Select",
                                                          "QuantileSelector::CopyWanted", "QuantileSelector::SortFew")),
    ("summaries: means", any_frame("QuantileSelector::Means")),
    ("summaries: other (rows, copies, outcomes)", any_frame("SummaryAccumulator", "QuantileSelector")),
    ("building the blocks (constructors, grain activation)", lambda thread, stack: any(("::.ctor" in f and "CareSim" in f) or "OnActivateAsync" in f for f in stack)),
    ("the model (named frames)", any_frame("[CareSim.Model]")),
    # Precompiled (ReadyToRun) frames have no names: under a grain call they are the model's.
    ("the model (grain calls, precompiled frames unnamed)", any_frame("TaskRequest`1", "AuthorityGrain", "LabourMarketGrain", "CommissionerGrain", "ReplicaBlockGrain", "ReferenceEngine")),
    ("GC", any_frame("gc_heap", "GCHeap::")),
    ("kernel: page faults, no caller named (mostly building the blocks)", any_frame("exc_page_fault", "clear_page")),
    ("memset, no caller named (fresh memory zeroed)", any_frame("__memset")),
    ("Orleans, other", any_frame("Orleans")),
    ("thread pool waiting", any_frame("LowLevelLifoSemaphore", "WorkerThreadStart", "SpinWait")),
    ("runtime native code (libcoreclr), no caller named", any_frame("libcoreclr")),
]


def samples(perf_data, pid):
    """(thread name, stack leaf first) of each sample of one process."""
    out = subprocess.run(["perf", "script", "-i", perf_data, *([] if pid == "all" else ["--pid", str(pid)]), "-F", "comm,pid,tid,ip,sym,dso"],
                         capture_output=True, text=True, errors="replace", check=True).stdout
    thread, stack = None, None
    for line in out.splitlines():
        if not line.strip():
            if stack is not None:
                yield thread, stack
            stack = None
        elif not line[0].isspace():
            thread, stack = line.rsplit(" ", 2)[0].strip(), []
        else:
            parts = line.strip().split(" ", 1)
            stack.append(parts[1] if len(parts) > 1 else parts[0])
    if stack is not None:
        yield thread, stack


def main():
    args = sys.argv[1:]
    rules = RUN_BUCKETS if args[0] == "--run" else BUCKETS
    if args[0] == "--run":
        args = args[1:]
    perf_data, hz = args[0], float(args[1])
    for spec in args[2:]:
        label, pid = spec.split("=", 1)
        counts, n = collections.Counter(), 0
        for thread, stack in samples(perf_data, pid):
            n += 1
            counts[next((name for name, rule in rules if rule(thread, stack)), "other (kernel, runtime, libraries)")] += 1
        print(f"  {label}: {n / hz:.1f} CPU s")
        for name, count in counts.most_common():
            print(f"    {count / hz:6.1f} s {100 * count / max(n, 1):4.0f}%  {name}")


if __name__ == "__main__":
    main()
