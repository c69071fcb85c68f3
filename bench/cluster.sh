#!/usr/bin/env bash
# The cluster against the embedded run on the same work, on this machine (docs/cluster.md, "Speed"):
#   1. Liverpool City Region, 6,000 replicas x 120 months, and England (152 authorities) x 1,000 x 60:
#      `sim run` embedded, then `sim run --cluster` on two `sim silo` processes (same block size,
#      checkpoints every 12 months): wall time from process start to results written, the ratio
#      (target: cluster <= 1.5 x embedded), and that the results files are identical;
#   2. CPU seconds by process (client, silos) against the embedded run's, and the silos' memory after the runs;
#   3. recovery after kill -9 of a silo holding blocks of a run: the client's recovery line (target: under 15 s);
#   4. the costs a cluster's speed rests on (CareSim.Bench cluster-costs): compute per block-month,
#      metrics bytes per block-month, summaries, checkpoint bytes per replica, and the expected
#      speed-up on 4, 16 and 64 machines.
# Options: --quick (one run each instead of three), --recovery (section 3 only). Needs the .NET SDK and redis-server (scripts/services.sh
# installs it); starts its own Redis (no persistence) and silos on loopback and stops them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

repeat=3; sections="1 2 3 4"
for arg in "$@"; do
  case "$arg" in
    --quick) repeat=1 ;;
    --recovery) sections="3" ;;
    *) echo "usage: bench/cluster.sh [--quick] [--recovery]" >&2; exit 2 ;;
  esac
done
want() { [[ " $sections " == *" $1 "* ]]; }

out=bench/out
work="$(pwd)/$out/cluster"
rm -rf "$work"
mkdir -p "$work"
echo "== build (Release)"
# The portable JIT build these figures were first measured with (the README's default publish is precompiled: bench/run.sh).
rm -rf "$out/sim"
dotnet publish src/CareSim.Cli -c Release -p:PublishReadyToRun=false -o "$out/sim" -nologo -v quiet
dotnet build bench/CareSim.Bench -c Release -o "$out/bench" -nologo -v quiet
sim="$out/sim/sim"
bench=(dotnet "$out/bench/CareSim.Bench.dll")
command -v redis-server >/dev/null || { echo "redis-server is not installed (scripts/services.sh start installs it)" >&2; exit 1; }

echo "== machine"
echo "  $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//') | $(nproc) cores | .NET $(dotnet --version) | load average $(cut -d' ' -f1-3 /proc/loadavg)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$work" --logfile "$work/redis.log" &
pids+=($!)
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done

cluster_env=(CareSim__Cluster__Clustering=Redis "CareSim__Cluster__Redis=127.0.0.1:$redis_port" "CareSim__Cluster__ClusterId=bench-$$" CareSim__Cluster__AdvertisedAddress=127.0.0.1)
silo_pids=()
for n in 1 2; do
  env "${cluster_env[@]}" CareSim__Cluster__SiloPort="$(free_port)" CareSim__Cluster__GatewayPort="$(free_port)" "$sim" silo >"$work/silo-$n.log" 2>&1 &
  pids+=($!)
  silo_pids+=($!)
done
for n in 1 2; do
  for _ in $(seq 1 300); do grep -qs "is up" "$work/silo-$n.log" && break; sleep 0.2; done
  grep -qs "is up" "$work/silo-$n.log" || { echo "silo $n did not start:"; cat "$work/silo-$n.log"; exit 1; }
done
echo "  Redis on 127.0.0.1:$redis_port (no persistence), 2 silos up"

"$sim" scenario from-data --all --as-of 2023-03-31 --out "$out/england.yaml" > /dev/null 2>&1 || "$sim" scenario from-data --all --as-of 2023-03-31 --out "$out/england.yaml" --force > /dev/null

wall() { sed -n 's/.* wall *\([0-9.]*\) s.*/\1/p'; }
same() { # $1 $2: results directories
  local differ=0
  for f in summary.csv outcomes.csv outcome_cdf.csv totals.csv next_inspection.csv; do
    cmp -s "$1/$f" "$2/$f" || { echo "  DIFFERENT: $f ($1 vs $2)"; differ=1; }
  done
  return $differ
}
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user + system clock ticks of a process
silo_ticks() { local t=0 pid; for pid in "${silo_pids[@]}"; do t=$((t + $(cpu_of "$pid"))); done; echo "$t"; }
profile() { # label scenario replicas months block-size: CPU seconds of one run each, by process
  local label="$1" scenario="$2" replicas="$3" months="$4" block="$5" hz before after client embedded
  local args=(run "$scenario" --replicas "$replicas" --horizon "$months" --block-size "$block" --force --quiet)
  hz=$(getconf CLK_TCK)
  TIMEFORMAT='%U %S'
  embedded=$( { time "$sim" "${args[@]}" --out "$work/embedded" >/dev/null 2>&1; } 2>&1 | awk '{ print $1 + $2 }')
  before=$(silo_ticks)
  client=$( { time env "${cluster_env[@]}" "$sim" "${args[@]}" --cluster --checkpoint-every 12 --out "$work/cluster" >/dev/null 2>&1; } 2>&1 | awk '{ print $1 + $2 }')
  after=$(silo_ticks)
  awk -v l="$label" -v e="$embedded" -v c="$client" -v s="$(( after - before ))" -v hz="$hz" \
    'BEGIN { printf "  %-36s CPU seconds: embedded %.1f; cluster %.1f = client %.1f + silos %.1f (%.2fx)\n", l, e, c + s / hz, c, s / hz, (c + s / hz) / e }'
}

compare() { # label scenario replicas months block-size
  local label="$1" scenario="$2" replicas="$3" months="$4" block="$5" e c
  local args=(run "$scenario" --replicas "$replicas" --horizon "$months" --block-size "$block" --force --quiet)
  e=$("${bench[@]}" measure --label "$label, embedded" --repeat "$repeat" -- "$sim" "${args[@]}" --out "$work/embedded")
  echo "$e"
  c=$("${bench[@]}" measure --label "$label, 2 silos" --repeat "$repeat" -- env "${cluster_env[@]}" "$sim" "${args[@]}" --cluster --checkpoint-every 12 --out "$work/cluster")
  echo "$c"
  awk -v e="$(echo "$e" | wall)" -v c="$(echo "$c" | wall)" 'BEGIN { r = c / e; printf "  2 silos / embedded: %.2fx   target <= 1.5x: %s\n", r, (r <= 1.5 ? "met" : "NOT met") }'
  same "$work/embedded" "$work/cluster" && echo "  results identical"
}

if want 1; then
echo "== 1. embedded against two silos (wall time, process start to results written; best of $repeat)"
compare "Liverpool City Region 6,000 x 120" scenarios/liverpool-city-region.yaml 6000 120 1000
compare "England 152 x 1,000 x 60" "$out/england.yaml" 1000 60 250
fi

if want 2; then
echo "== 2. where the CPU goes: one run each, CPU seconds (user + system) by process"
profile "Liverpool City Region 6,000 x 120" scenarios/liverpool-city-region.yaml 6000 120 1000
profile "England 152 x 1,000 x 60" "$out/england.yaml" 1000 60 250
rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
sleep 5
echo "  silos' resident memory 5 s after the runs: $(for pid in "${silo_pids[@]}"; do printf '%s MiB ' "$(rss "$pid")"; done)"
fi

if want 3; then
echo "== 3. recovery after kill -9: a third silo joins, takes blocks of a run, and is killed mid-run"
env "${cluster_env[@]}" CareSim__Cluster__SiloPort="$(free_port)" CareSim__Cluster__GatewayPort="$(free_port)" "$sim" silo >"$work/silo-3.log" 2>&1 &
victim=$!
pids+=($victim)
for _ in $(seq 1 300); do grep -qs "is up" "$work/silo-3.log" && break; sleep 0.2; done
sleep 3 # the others see it active
env "${cluster_env[@]}" "$sim" run scenarios/liverpool-city-region.yaml --replicas 3000 --horizon 120 --block-size 250 --cluster --checkpoint-every 6 \
  --out "$work/killed" --force >"$work/killed.log" 2>&1 &
client=$!
for _ in $(seq 1 600); do grep -q "(2[0-9]/120 months" "$work/killed.log" && break; sleep 0.1; done
kill -9 "$victim"
wait "$client" && echo "  the run completed" || echo "  the run FAILED (see $work/killed.log)"
grep "rewound" "$work/killed.log" | sed 's/^/  /'
"$sim" run scenarios/liverpool-city-region.yaml --replicas 3000 --horizon 120 --block-size 250 --out "$work/unkilled" --force --quiet
same "$work/unkilled" "$work/killed" && echo "  results identical to the embedded run's"
fi

if want 4; then
echo "== 4. costs and the expected speed-up on n machines (docs/cluster.md)"
"${bench[@]}" cluster-costs --scenario scenarios/liverpool-city-region.yaml --replicas 6000 --months 60 --block-size 1000
"${bench[@]}" cluster-costs --scenario "$out/england.yaml" --replicas 1000 --months 24 --block-size 250
fi
echo "== done in ${SECONDS} s"
