#!/usr/bin/env bash
# The cluster against the embedded run on the same work, on this machine (docs/cluster.md, "Speed"):
#   1. Liverpool City Region, 6,000 replicas x 120 months (blocks of 1,000), and England (152 authorities)
#      x 1,000 x 60 (blocks of 250), each with checkpoints every 12 months and without: `sim run` embedded and
#      `sim run --cluster` on two `sim silo` processes, one after the other, in rounds (other load on the
#      machine then hits both alike). Per round: wall time (process start to exit) and CPU seconds by process
#      (the embedded run; the client, the silos and Redis); at the end the median ratio of the rounds (target:
#      two silos within 1.5x of the embedded run) and whether the results files are identical;
#   2. the fixed cost of a cluster run: a run too small to matter (England x 10 replicas x 1 month), embedded and on the
#      silos, five times each; the median difference is the start-up a cluster run pays beyond the embedded one
#      (connecting, placing and activating the blocks), which section 4 uses for the break-even run size;
#   3. recovery after kill -9 of a silo holding blocks of a run, then of one without a gateway: the client's recovery
#      line (target: under 15 s);
#   4. the costs a cluster's speed rests on (CareSim.Bench cluster-costs): compute per block-month, metrics
#      bytes per block-month, summaries, checkpoint bytes per replica, and the expected speed-up on 2 to 64 machines and the
#      run size at which they beat one (as built, and with per-authority summarisers on the silos, not built);
#   5. (--profile only) where the CPU of an England cluster run goes: `perf record` of the client, the silos and
#      Redis, by process and by what they were doing (bench/perf-buckets.py).
# The silos are long-running processes: before section 1 they are warmed up with a short run (the first run a
# silo takes pays for compiling the code, as the first run of every `sim run` does).
# Options: --quick (one round instead of three), --startup (section 2 only), --recovery (section 3 only),
#          --profile (section 5 only; needs perf).
# Needs the .NET SDK and redis-server (scripts/services.sh installs it); starts its own Redis (no persistence)
# and silos on loopback and stops them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3; sections="1 2 3 4"
for arg in "$@"; do
  case "$arg" in
    --quick) rounds=1 ;;
    --startup) sections="2" ;;
    --recovery) sections="3" ;;
    --profile) sections="5" ;;
    *) echo "usage: bench/cluster.sh [--quick] [--startup] [--recovery] [--profile]" >&2; exit 2 ;;
  esac
done
want() { [[ " $sections " == *" $1 "* ]]; }

source bench/lib.sh
work="$(pwd)/$out/cluster"
rm -rf "$work"
mkdir -p "$work"
# The portable JIT build these figures were first measured with (the README's default publish is precompiled: bench/run.sh).
build -p:PublishReadyToRun=false
machine
command -v redis-server >/dev/null || { echo "redis-server is not installed (scripts/services.sh start installs it)" >&2; exit 1; }
want 5 && { command -v perf >/dev/null || { echo "perf is not installed (Debian: linux-perf)" >&2; exit 1; }; }
england

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
silo_pids=()
cleanup() { # the silos first (they leave the membership table in Redis as they stop), then Redis
  local pid
  for pid in "${silo_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 60); do
    pid=""; for p in "${silo_pids[@]}"; do kill -0 "$p" 2>/dev/null && pid=$p; done
    [ -z "$pid" ] && break
    sleep 1
  done
  for pid in "${silo_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$work" --logfile "$work/redis.log" &
redis_pid=$!
pids+=($redis_pid)
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done

cluster_env=(CareSim__Cluster__Clustering=Redis "CareSim__Cluster__Redis=127.0.0.1:$redis_port" "CareSim__Cluster__ClusterId=bench-$$" CareSim__Cluster__AdvertisedAddress=127.0.0.1)
# perf names jitted methods from the maps these write (docs/performance.md).
perf_env=()
want 5 && perf_env=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
for n in 1 2; do
  env "${cluster_env[@]}" "${perf_env[@]}" CareSim__Cluster__SiloPort="$(free_port)" CareSim__Cluster__GatewayPort="$(free_port)" "$sim" silo >"$work/silo-$n.log" 2>&1 &
  silo_pids+=($!)
done
for n in 1 2; do
  for _ in $(seq 1 300); do grep -qs "is up" "$work/silo-$n.log" && break; sleep 0.2; done
  grep -qs "is up" "$work/silo-$n.log" || { echo "silo $n did not start:"; cat "$work/silo-$n.log"; exit 1; }
done
echo "  Redis on 127.0.0.1:$redis_port (no persistence), 2 silos up"
if want 1 || want 2 || want 5; then
  for _ in 1 2; do
    env "${cluster_env[@]}" "$sim" run "$out/england.yaml" --replicas 1000 --horizon 24 --block-size 250 --cluster --checkpoint-every 12 \
      --out "$work/warm-up" --force --quiet >/dev/null
  done
  echo "  silos warmed up (England 1,000 x 24 in blocks of 250, twice)"
fi

hz=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user + system clock ticks of a process
silo_ticks() { local t=0 pid; for pid in "${silo_pids[@]}"; do t=$((t + $(ticks "$pid"))); done; echo "$t"; }
timed() { # COMMAND...: "wall user+system" seconds of the command (its output discarded; its errors shown if it fails)
  local TIMEFORMAT='%R %U %S' t
  t=$( { time "$@" >/dev/null 2>"$work/last.err"; } 2>&1 ) || { cat "$work/last.err" >&2; return 1; }
  echo "$t" | awk '{ print $1, $2 + $3 }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

compare() { # label scenario replicas months block-size checkpoint-every
  local label="$1" every="$6" r e c s0 s1 q0 q1 differ=0 walls=() cpus=()
  local args=(run "$2" --replicas "$3" --horizon "$4" --block-size "$5" --force --quiet)
  echo "  $label, 2 silos with checkpoints $( [ "$every" -eq 0 ] && echo "off" || echo "every $every months"):"
  for r in $(seq 1 "$rounds"); do
    local load; load=$(cut -d' ' -f1 /proc/loadavg)
    e=$(timed "$sim" "${args[@]}" --out "$work/embedded")
    s0=$(silo_ticks); q0=$(ticks "$redis_pid")
    c=$(timed env "${cluster_env[@]}" "$sim" "${args[@]}" --cluster --checkpoint-every "$every" --out "$work/cluster")
    s1=$(silo_ticks); q1=$(ticks "$redis_pid")
    read -r ratio cpu_ratio line < <(awk -v e="$e" -v c="$c" -v s=$((s1 - s0)) -v q=$((q1 - q0)) -v hz="$hz" -v load="$load" 'BEGIN {
      split(e, E, " "); split(c, C, " "); silos = s / hz; redis = q / hz; cpu = C[2] + silos + redis
      printf "%.3f %.3f embedded %.1f s (CPU %.1f s) | 2 silos %.1f s (CPU %.1f s: client %.1f, silos %.1f, Redis %.1f) | %.2fx wall, %.2fx CPU | load %s\n",
        C[1] / E[1], cpu / E[2], E[1], E[2], C[1], cpu, C[2], silos, redis, C[1] / E[1], cpu / E[2], load }')
    echo "    round $r: $line"
    walls+=("$ratio"); cpus+=("$cpu_ratio")
    same "$work/embedded" "$work/cluster" || { differ=1; echo "    results DIFFER (round $r)"; }
  done
  awk -v w="$(printf '%s\n' "${walls[@]}" | median)" -v c="$(printf '%s\n' "${cpus[@]}" | median)" \
    'BEGIN { printf "    median: 2 silos / embedded %.2fx wall (target <= 1.5x: %s), %.2fx CPU\n", w, (w <= 1.5 ? "met" : "NOT met"), c }'
  [ "$differ" -eq 0 ] && echo "    results identical in every round"
}

if want 1; then
  echo "== 1. embedded against two silos, same work, same block size ($rounds rounds, interleaved)"
  for every in 12 0; do
    compare "Liverpool City Region 6,000 x 120 (blocks of 1,000)" scenarios/liverpool-city-region.yaml 6000 120 1000 "$every"
    compare "England 152 x 1,000 x 60 (blocks of 250)" "$out/england.yaml" 1000 60 250 "$every"
  done
  rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
  sleep 5
  echo "  silos' resident memory 5 s after the runs: $(for pid in "${silo_pids[@]}"; do printf '%s MiB ' "$(rss "$pid")"; done)"
fi

fixed_seconds=2 # assumed unless section 2 measures it
if want 2; then
  echo "== 2. the fixed cost of a cluster run: England 152 x 10 x 1 month (one block), embedded and on the 2 silos, 5 times each"
  tiny=(run "$out/england.yaml" --replicas 10 --horizon 1 --block-size 250 --force --quiet)
  embedded_walls=(); cluster_walls=()
  for _ in 1 2 3 4 5; do
    embedded_walls+=("$(timed "$sim" "${tiny[@]}" --out "$work/tiny-embedded" | cut -d' ' -f1)")
    cluster_walls+=("$(timed env "${cluster_env[@]}" "$sim" "${tiny[@]}" --cluster --out "$work/tiny-cluster" | cut -d' ' -f1)")
  done
  e=$(printf '%s\n' "${embedded_walls[@]}" | median); c=$(printf '%s\n' "${cluster_walls[@]}" | median)
  fixed_seconds=$(awk -v e="$e" -v c="$c" 'BEGIN { d = c - e; printf "%.2f", (d > 0 ? d : 0) }')
  echo "  median wall: embedded $e s (${embedded_walls[*]}), 2 silos $c s (${cluster_walls[*]}): a cluster run's fixed cost $fixed_seconds s"
fi

if want 3; then
  echo "== 3. recovery after kill -9: a third silo joins, takes blocks of a run, and is killed mid-run"
  killed_run() { # NAME GATEWAY-PORT: a silo joins (GATEWAY-PORT 0: without a gateway, so never the client's), takes blocks of a run, and is killed mid-run
    local log="$work/silo-$1.log" victim client
    env "${cluster_env[@]}" CareSim__Cluster__SiloPort="$(free_port)" CareSim__Cluster__GatewayPort="$2" "$sim" silo >"$log" 2>&1 &
    victim=$!
    silo_pids+=($victim)
    for _ in $(seq 1 300); do grep -qs "is up" "$log" && break; sleep 0.2; done
    sleep 3 # the others see it active
    env "${cluster_env[@]}" "$sim" run scenarios/liverpool-city-region.yaml --replicas 3000 --horizon 120 --block-size 250 --cluster --checkpoint-every 6 \
      --out "$work/killed-$1" --force >"$work/killed-$1.log" 2>&1 &
    client=$!
    for _ in $(seq 1 600); do grep -q "(2[0-9]/120 months" "$work/killed-$1.log" && break; sleep 0.1; done
    kill -9 "$victim"
    wait "$victim" 2>/dev/null || true
    wait "$client" && echo "  the run completed" || echo "  the run FAILED (see $work/killed-$1.log)"
    grep "rewound" "$work/killed-$1.log" | sed 's/^/  /'
    same "$work/unkilled" "$work/killed-$1" && echo "  results identical to the embedded run's"
  }
  "$sim" run scenarios/liverpool-city-region.yaml --replicas 3000 --horizon 120 --block-size 250 --out "$work/unkilled" --force --quiet
  killed_run 3 "$(free_port)"
  echo "  again, the killed silo without a gateway (GatewayPort 0: none of the client's connections closes; the client learns of it from the membership)"
  killed_run 4 0
fi

if want 4; then
  echo "== 4. costs and the expected speed-up on n machines (docs/cluster.md)"
  echo "  the cluster's fixed cost: $fixed_seconds s ($(want 2 && echo "measured in section 2" || echo "assumed: run section 2 to measure it"))"
  "${bench[@]}" cluster-costs --scenario scenarios/liverpool-city-region.yaml --replicas 6000 --months 60 --block-size 1000 --fixed-seconds "$fixed_seconds"
  "${bench[@]}" cluster-costs --scenario "$out/england.yaml" --replicas 1000 --months 24 --block-size 250 --fixed-seconds "$fixed_seconds"
fi

if want 5; then
  echo "== 5. where the CPU goes: England 152 x 1,000 x 60 (blocks of 250) on two silos, checkpoints every 12 months, perf at 499 Hz"
  perf record -F 499 -g -a -o "$work/perf.data" -- bash -c 'echo $$ > "$0"; exec "$@"' "$work/client.pid" \
    env "${cluster_env[@]}" "${perf_env[@]}" "$sim" run "$out/england.yaml" --replicas 1000 --horizon 60 --block-size 250 --cluster --checkpoint-every 12 \
    --out "$work/cluster" --force --quiet >/dev/null 2>"$work/perf.log"
  python3 bench/perf-buckets.py "$work/perf.data" 499 "client=$(cat "$work/client.pid")" "silo 1=${silo_pids[0]}" "silo 2=${silo_pids[1]}" "Redis=$redis_pid"
  echo "  embedded, the same run:"
  perf record -F 499 -g -o "$work/perf-embedded.data" -- bash -c 'echo $$ > "$0"; exec "$@"' "$work/embedded.pid" \
    env "${perf_env[@]}" "$sim" run "$out/england.yaml" --replicas 1000 --horizon 60 --block-size 250 --out "$work/embedded" --force --quiet >/dev/null 2>>"$work/perf.log"
  python3 bench/perf-buckets.py "$work/perf-embedded.data" 499 "embedded=$(cat "$work/embedded.pid")"
fi
echo "== done in ${SECONDS} s"
