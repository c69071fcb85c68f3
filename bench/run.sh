#!/usr/bin/env bash
# Performance figures of docs/performance.md, in one run on this machine:
#   1. authority-replica-months per second: reference engine (one thread) and grain engine (all cores), ratio; the ceiling
#      (one reference engine per core, side by side) with blocks in reused memory (warm) and in fresh memory;
#   2. the England-wide workload (every authority, 120 months, 1,000 replicas): wall time and peak memory, and its
#      ratio to the model alone at the machine's ceiling (section 1: warm, and fresh like the run); without --quick, peak
#      memory at 10,000 replicas;
#   3. the Sefton scenario (10,000 replicas, 60 months), process start to results written: wall time, peak memory and
#      where the time goes (the phases `sim` marks with CARESIM_PHASES=1: runtime start, scenario, silo, blocks, months, files);
#   4. identity: the grain engine's results equal the reference engine's, byte for byte;
#   5. BenchmarkDotNet: the model's monthly step per block (time and bytes allocated per replica-month); before it, the
#      step's exact allocations and what building one England block of 1,000 replicas costs per authority-replica.
# Options: --quick (fewer trials and repeats), --bdn (also the summary benchmarks), --no-bdn (skip 5),
#          --jit (also Sefton with `sim` published without ReadyToRun: what precompiling buys at start-up).
# `sim` is published as the README says (ReadyToRun, composite: src/CareSim.Cli/CareSim.Cli.csproj).
# Needs only the .NET SDK and NuGet (the runtime and crossgen packs). Builds into bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0; bdn=1; jit=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --bdn) bdn=2 ;;
    --no-bdn) bdn=0 ;;
    --jit) jit=1 ;;
    *) echo "usage: bench/run.sh [--quick] [--bdn|--no-bdn] [--jit]" >&2; exit 2 ;;
  esac
done
trials=5; england_runs=3; sefton_runs=5
if [ "$quick" -eq 1 ]; then trials=3; england_runs=1; sefton_runs=2; fi

source bench/lib.sh
build
machine
england

echo "== 1. throughput (engines only: a sink that keeps nothing)"
# The fresh-memory ceiling's trials have England's 120 months: building in fresh memory is paid once per run.
"${bench[@]}" throughput --scenario "$out/england.yaml" --replicas 1000 --months 24 --fresh-months 120 --trials "$trials" | tee "$out/throughput.txt"

echo "== 2-3. whole runs: 'sim run', from process start to results written (default engine: grains)"
"${bench[@]}" measure --label "England: 152 authorities x 1,000 x 120 months" --repeat "$england_runs" --max-mib 1024 -- \
  "$sim" run "$out/england.yaml" --replicas 1000 --horizon 120 --out "$out/england-grains" --force --quiet | tee "$out/england.txt"
# The run against the model alone: the same authority-replica-months at the rate of one reference engine per core (section 1),
# at the warm ceiling (blocks built in earlier trials' memory) and, like with like (`sim run` builds its one run in fresh
# memory), at the ceiling in fresh memory (trials of 120 months, so the building is counted once, as in the run).
ceiling() { awk -v label="$1" 'index($0, label) {for (i = 2; i <= NF; i++) if ($i == "M/s") {print $(i - 1); exit}}' "$out/throughput.txt"; }
awk -v wall="$(awk '{for (i = 1; i < NF; i++) if ($i == "wall") {print $(i + 1); exit}}' "$out/england.txt")" \
    -v warm="$(ceiling "reference engines side by side")" -v fresh="$(ceiling "side by side, fresh memory")" \
    -v authorities="$(awk '/^throughput:/ {for (i = 1; i < NF; i++) if ($(i + 1) == "authorities") {print $i; exit}}' "$out/throughput.txt")" \
    'BEGIN { work = authorities * 1000 * 120 / 1e6; model = work / warm; ratio = wall / model
             printf "  England end to end / the model alone at the machine'"'"'s ceiling: %.2f s / %.2f s = %.2f   target <= 1.15: %s   (ceiling warm: blocks in reused memory)\n", wall, model, ratio, (ratio <= 1.15 ? "met" : "NOT met")
             model = work / fresh; ratio = wall / model
             printf "  England end to end / the model alone at the ceiling in fresh memory: %.2f s / %.2f s = %.2f   target <= 1.15: %s   (like with like: sim run builds its one run in fresh memory)\n", wall, model, ratio, (ratio <= 1.15 ? "met" : "NOT met") }'
if [ "$quick" -eq 0 ]; then
  # Memory with ten times the replicas (a short horizon: summaries stream month by month, so months add little).
  "${bench[@]}" measure --label "England: 152 authorities x 10,000 x 12 months" -- \
    "$sim" run "$out/england.yaml" --replicas 10000 --horizon 12 --out "$out/england-10000" --force --quiet
fi
"${bench[@]}" measure --label "Sefton: 10,000 replicas x 60 months" --repeat "$sefton_runs" --max-seconds 1.5 --phases 1 -- \
  "$sim" run scenarios/sefton-2022-23.yaml --replicas 10000 --horizon 60 --out "$out/sefton-grains" --force --quiet

echo "== 4. identity (grain engine = reference engine, every file but the manifest)"
"$sim" run scenarios/sefton-2022-23.yaml --replicas 10000 --horizon 60 --engine reference --out "$out/sefton-reference" --force --quiet
same "$out/sefton-grains" "$out/sefton-reference" && echo "  Sefton 10,000 x 60: identical"
"$sim" run "$out/england.yaml" --replicas 100 --horizon 120 --engine reference --out "$out/england-reference-100" --force --quiet
"$sim" run "$out/england.yaml" --replicas 100 --horizon 120 --block-size 7 --out "$out/england-grains-100" --force --quiet
same "$out/england-grains-100" "$out/england-reference-100" && echo "  England 100 x 120 (grains in blocks of 7): identical"

if [ "$jit" -eq 1 ]; then
  echo "== 3b. Sefton again, sim published without ReadyToRun (everything JIT-compiled at start-up)"
  dotnet publish src/CareSim.Cli -c Release -p:PublishReadyToRun=false -o "$out/sim-jit" -nologo -v quiet
  "${bench[@]}" measure --label "Sefton, JIT" --repeat "$sefton_runs" --max-seconds 1.5 --phases 1 -- \
    "$out/sim-jit/sim" run scenarios/sefton-2022-23.yaml --replicas 10000 --horizon 60 --out "$out/sefton-jit" --force --quiet
fi

if [ "$bdn" -ge 1 ]; then
  filter='*StepBenchmarks*'
  [ "$bdn" -eq 2 ] && filter='*'
  echo "== 5. BenchmarkDotNet (ShortRun): the model's monthly step for one block of Sefton replicas (one operation = one block-month)"
  "${bench[@]}" allocations
  "${bench[@]}" construction --scenario "$out/england.yaml"
  echo "   (BenchmarkDotNet's Allocated also counts the fresh world each iteration builds: see the exact counts above)"
  CARESIM_REPO="$(pwd)" dotnet run -c Release --project bench/CareSim.Bench -- bdn --filter "$filter" --artifacts "$out/bdn" \
    | awk '/^\| Method/ {show=1} show && /^\|/ {print "  " $0} /^Legends/ {show=0}'
fi
echo "== done in ${SECONDS} s"
