#!/usr/bin/env bash
# Regenerates everything under data/calibration/ from the committed data (data/) and the current
# code, in the order the pieces depend on each other (docs/calibration.md#reproducing-data-calibration):
#   1. the grade model's maximum-likelihood fit with bootstrap intervals -> data/calibration/grades/
#   2. the model's grade defaults and uncertain ranges set to that fit (scripts/sync-grade-defaults.py),
#      and the generated parameter tables and scenario schema that show them
#   3. the simulated-moments calibration of the workforce, leadership and demand -> data/calibration/
#   4. the rolling-origin backtests of the figures -> data/calibration/rolling-2019-2022/
#   5. the rolling-origin and leave-authorities-out grade backtests -> data/calibration/grade-backtest/
# About 1-2 hours on two cores. Options: --bootstrap N (default 100) for step 1.
# Afterwards `./test.sh` checks that the committed fits are what this code and data produce.
set -euo pipefail
cd "$(dirname "$0")/.."

bootstrap=100
while [ $# -gt 0 ]; do
  case "$1" in
    --bootstrap) bootstrap="$2"; shift 2 ;;
    *) echo "usage: scripts/calibrate.sh [--bootstrap N]" >&2; exit 2 ;;
  esac
done

sim_dir=.tmp/calibrate-sim
# Portable JIT build: quick to publish twice; the precompiled default (README) takes minutes and buys only start-up.
publish() { dotnet publish src/CareSim.Cli -c Release -p:PublishReadyToRun=false -o "$sim_dir" -nologo -v quiet; }
sim() { "$sim_dir/sim" "$@"; }

echo "== 1. grade model (bootstrap $bootstrap)"
publish
sim calibrate --data data --stage grades --bootstrap "$bootstrap" --out data/calibration/grades

echo "== 2. grade defaults from the fit"
python3 scripts/sync-grade-defaults.py
publish
sim params --write-doc docs/model.md
UPDATE_SCHEMA=1 dotnet test tests/CareSim.Scenarios.Tests -c Release -nologo -v quiet > /dev/null

echo "== 3. workforce, leadership and demand"
sim calibrate --data data --force

echo "== 4. rolling origins of the figures"
sim backtest --data data --origins 2019-2022 --out data/calibration/rolling-2019-2022 --force

echo "== 5. grade backtests"
sim backtest --data data --rolling 2018-2022 --out data/calibration/grade-backtest

echo "Done: review git diff data/calibration docs src/CareSim.Model/Parameters, then run ./test.sh."
