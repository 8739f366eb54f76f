#!/usr/bin/env bash
# Runs the replay benchmark (no tcpdump floor, no live part) once per JVM flag set and prints one
# comparison line per set. bin/heptap takes JAVA_OPTS in place of its own defaults.
#
#   bench/jvm-flags.sh [--runs N] [SET...]     (SET names below; default: all)
#
# Results: target/bench/results-jvm-<SET>.json. About 1 min per set with --runs 3.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$repo"
out="$repo/target/bench"
mkdir -p "$out"
runs=3
if [ "${1:-}" = "--runs" ]; then runs=$2; shift 2; fi
base=$(sed -n 's/^JAVA_OPTS_DEFAULT="\(.*\)"$/\1/p' bin/heptap)
# bin/heptap adds -XX:TieredStopAtLevel=1 (C1 only) and its class-data-sharing archive unless
# JAVA_OPTS name their own tiers / -Xshare; sets below say what they change from that
tiered="$base -XX:TieredStopAtLevel=4"
late="-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000 -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000"
small="-XX:FreqInlineSize=100 -XX:InlineSmallCode=1000 -XX:MaxInlineLevel=6"
[ -x "$out/hepcount" ] || gcc -O2 -Wall -o "$out/hepcount" bench/hepcount.c

declare -A sets=(
  [default]=""
  [c1only-1thread]="$base -XX:CICompilerCount=1"
  [tiered]="$tiered"
  [tiered-small-inline]="$tiered $small"
  [c2-late]="$tiered $late"
  [c2-late-small-inline]="$tiered $late $small"
  [c2only]="$base -XX:-TieredCompilation -XX:CICompilerCount=1"
  [no-cds]="$base -Xshare:auto"
  [heap128]="$(echo "$base" | sed 's/-Xmx64m/-Xmx128m/; s/-Xms24m/-Xms64m/')"
  [heap32]="$(echo "$base" | sed 's/-Xmx64m/-Xmx32m/; s/-Xms24m/-Xms16m/')"
  [parallelgc]="$(echo "$base" | sed 's/-XX:+UseSerialGC/-XX:+UseParallelGC -XX:ParallelGCThreads=1/')"
)
# environment for a set (glibc keeps one malloc arena per thread by default: C2's and Netty's
# native allocations then stay resident)
declare -A envs=(
  [arena2]="MALLOC_ARENA_MAX=2"
  [tiered-arena2]="MALLOC_ARENA_MAX=2"
)
sets[arena2]="$base"
sets[tiered-arena2]="$tiered"
order=(default tiered tiered-small-inline c2-late c2-late-small-inline c2only c1only-1thread no-cds arena2 tiered-arena2 heap128 heap32 parallelgc)
[ $# -gt 0 ] && order=("$@")

files=()
for s in "${order[@]}"; do
  echo "[jvm-flags] $s: ${envs[$s]:-} JAVA_OPTS=${sets[$s]:-(bin/heptap default)}" >&2
  extra=(${envs[$s]:-})
  if [ -z "${sets[$s]}" ]; then
    env -u JAVA_OPTS "${extra[@]}" bench/replay.sh --runs "$runs" --no-floor --label "jvm-$s" --out "$out/results-jvm-$s.json" > "$out/jvm-$s.txt"
  else
    env JAVA_OPTS="${sets[$s]}" "${extra[@]}" bench/replay.sh --runs "$runs" --no-floor --label "jvm-$s" --out "$out/results-jvm-$s.json" > "$out/jvm-$s.txt"
  fi
  files+=("$out/results-jvm-$s.json")
done
python3 bench/results.py compare "${files[@]}"
