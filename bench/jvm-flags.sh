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
# the default without its TieredStopAtLevel, so that a set can choose its own
nolevel=$(echo "$base" | sed 's/-XX:TieredStopAtLevel=[0-9]//')
jsa="$out/heptap-cds.jsa"
[ -x "$out/hepcount" ] || gcc -O2 -Wall -o "$out/hepcount" bench/hepcount.c

declare -A sets=(
  [default]=""
  [c1only]="$nolevel -XX:TieredStopAtLevel=1"
  [c1only-1thread]="$nolevel -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
  [cds]="$base -XX:SharedArchiveFile=$jsa"
  [cds-c1only]="$nolevel -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=$jsa"
  [heap128]="$(echo "$base" | sed 's/-Xmx64m/-Xmx128m/; s/-Xms24m/-Xms64m/')"
  [heap32]="$(echo "$base" | sed 's/-Xmx64m/-Xmx32m/; s/-Xms24m/-Xms16m/')"
  [xshare-off]="$base -Xshare:off"
  [parallelgc]="$(echo "$base" | sed 's/-XX:+UseSerialGC/-XX:+UseParallelGC -XX:ParallelGCThreads=1/')"
)
# environment for a set (glibc keeps one malloc arena per thread by default: C2's and Netty's
# native allocations then stay resident)
declare -A envs=(
  [arena2]="MALLOC_ARENA_MAX=2"
  [c1only-arena2]="MALLOC_ARENA_MAX=2"
)
sets[arena2]="$base"
sets[c1only-arena2]="$nolevel -XX:TieredStopAtLevel=1"
# C2 only for the hottest methods: fewer, later tier-4 compiles (less JIT CPU and arena memory)
sets[c2-late]="$base -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000 -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000"
sets[cds-c1only-heap32]="$(echo "$nolevel" | sed 's/-Xmx64m/-Xmx32m/; s/-Xms24m/-Xms16m/') -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:SharedArchiveFile=$jsa"
sets[c2only]="$nolevel -XX:-TieredCompilation -XX:CICompilerCount=1"
order=(default c1only c1only-1thread c2only c2-late arena2 c1only-arena2 cds cds-c1only cds-c1only-heap32 heap128 heap32 xshare-off parallelgc)
[ $# -gt 0 ] && order=("$@")

# CDS: a dynamic archive of the classes a replay loads (JDK 17: -XX:ArchiveClassesAtExit)
if printf '%s\n' "${order[@]}" | grep -q cds; then
  rm -f "$out/cds.port"
  "$out/hepcount" --idle 1 --start-timeout 30 --port-file "$out/cds.port" > /dev/null 2>&1 &
  sp=$!
  for _ in $(seq 100); do [ -s "$out/cds.port" ] && break; sleep 0.05; done
  JAVA_OPTS="$base -XX:ArchiveClassesAtExit=$jsa" bin/heptap -r conf/samples/sample-call.pcap -m sip \
    -H "udp:127.0.0.1:$(cat "$out/cds.port")" > /dev/null 2> "$out/cds-dump.log" || true
  kill -TERM "$sp" 2>/dev/null || true; wait "$sp" 2>/dev/null || true
  ls -la "$jsa" >&2 || echo "CDS archive not made: see $out/cds-dump.log" >&2
fi

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
