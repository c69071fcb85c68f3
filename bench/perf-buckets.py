#!/usr/bin/env python3
"""CPU seconds by process and by what it was doing, from a `perf record -g` of a cluster run.

usage: perf-buckets.py PERF_DATA HZ LABEL=PID [LABEL=PID ...]

Reads `perf script` of the given processes (their samples at HZ per second) and puts each sample
in the first bucket whose rule matches its thread or its stack (leaf first); the rules are in
BUCKETS below. The .NET processes must have run with DOTNET_PerfMapEnabled=1 (and
DOTNET_EnableWriteXorExecute=0) so that perf can name jitted methods (docs/performance.md).
Used by bench/cluster.sh --profile (docs/cluster.md, "Where the time goes").
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
    ("the model (authority, workforce, market, commissioner grains)", any_frame("CareSim.Model.", "AuthorityGrain", "WorkforceGrain", "LabourMarketGrain", "CommissionerGrain")),
    ("messages: serialise and send", any_frame("MessageSerializer::Write", "ProcessSends", "PrefixingBufferWriter", "ProcessOutgoing")),
    ("messages: receive and deserialise", any_frame("MessageSerializer::TryRead", "ProcessReceives", "ProcessIncoming")),
    ("summaries", any_frame("SummaryAccumulator", "QuantileSelector")),
    ("results files", any_frame("CareSim.Engine.Results", "SummaryCsvWriter", "ParquetTable")),
    ("thread pool waiting (spinning)", any_frame("LowLevelLifoSemaphore::Wait", "WorkerThread::WorkerThreadStart")),
    ("Orleans runtime, other", any_frame("Orleans")),
]


def samples(perf_data, pid):
    """(thread name, stack leaf first) of each sample of one process."""
    out = subprocess.run(["perf", "script", "-i", perf_data, "--pid", str(pid), "-F", "comm,pid,tid,ip,sym"],
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
    perf_data, hz = sys.argv[1], float(sys.argv[2])
    for spec in sys.argv[3:]:
        label, pid = spec.split("=", 1)
        counts, n = collections.Counter(), 0
        for thread, stack in samples(perf_data, pid):
            n += 1
            counts[next((name for name, rule in BUCKETS if rule(thread, stack)), "other (kernel, runtime, libraries)")] += 1
        print(f"  {label}: {n / hz:.1f} CPU s")
        for name, count in counts.most_common():
            print(f"    {count / hz:6.1f} s {100 * count / max(n, 1):4.0f}%  {name}")


if __name__ == "__main__":
    main()
