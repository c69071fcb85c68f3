# What bench/run.sh and bench/cluster.sh share; sourced from the repository root. Builds into bench/out/.

out=bench/out
sim="$out/sim/sim"
bench=(dotnet "$out/bench/CareSim.Bench.dll")

# Publishes `sim` into a clean folder (extra arguments go to dotnet publish; by default it is the README's precompiled
# build, which takes several minutes) and builds CareSim.Bench (Release).
build() {
  mkdir -p "$out"
  echo "== build (Release${*:+, $*})"
  rm -rf "$out/sim"
  dotnet publish src/CareSim.Cli -c Release "$@" -o "$out/sim" -nologo -v quiet
  dotnet build bench/CareSim.Bench -c Release -o "$out/bench" -nologo -v quiet
}

# One line about this machine: processor, cores, memory, .NET, kernel, and the load other processes put on it.
machine() {
  echo "== machine"
  echo "  $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//') | $(nproc) cores | $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo 2>/dev/null) | .NET $(dotnet --version) | $(uname -sr)"
  echo "  load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (other processes share this machine)"
}

# bench/out/england.yaml: every authority of England, from the committed data.
england() {
  local said
  said=$("$sim" scenario from-data --all --as-of 2023-03-31 --out "$out/england.yaml" --force 2>&1) || { echo "$said" >&2; return 1; }
}

# same DIR1 DIR2: whether two results directories hold the same results (every file but the manifest), naming those that differ.
same() {
  local differ=0
  for f in summary.csv outcomes.csv outcome_cdf.csv totals.csv next_inspection.csv; do
    cmp -s "$1/$f" "$2/$f" || { echo "  DIFFERENT: $f ($1 vs $2)"; differ=1; }
  done
  return $differ
}
