#!/usr/bin/env bash
# heptap replay benchmark (see bench/README.md).
#
#   bench/replay.sh [--quick] [--runs N] [--live [--warm]] [--live-only] [--no-floor] [--nice N]
#                   [--build] [--label L] [--out FILE] [--baseline CMD]
#
# Extra agent flags for every replay come from HEPTAP_ARGS (e.g. HEPTAP_ARGS=--no-batch).
# --baseline CMD (e.g. a worktree of an older commit's bin/heptap, built there) replays with that
# agent too, in the same rounds (tool "baseline"; the two agents take turns going first), so that
# the summary can give same-run ratios of this build to it.
#
# Makes the 20,000-call and 60,000-call files with testdata/tools/make-bench-pcap (cached under
# target/bench/), replays each with `bin/heptap -r FILE -m sip -H udp:127.0.0.1:PORT` to a
# counting UDP sink (bench/hepcount.c, built here) N times (3; --quick: 1), measures every run
# with GNU time (wall, user, sys, max RSS), runs two floors alongside in the same rounds:
# `tcpdump -r FILE -w /dev/null` (reading only) and testdata/tools/send-floor (reading plus the
# kernel's cost of sending the same number and size of datagrams with sendmmsg to the same kind of
# sink, built here with cc -O2), and prints medians, whole-run and marginal SIP-per-CPU-second
# rates, heptap's marginal CPU per message as a multiple of send-floor's, and verdicts against the
# targets; target/bench/results.json holds the same. --no-floor leaves out both floors. --live adds bench/live.sh (live capture
# on lo with tcpreplay at 50k, 100k pps and top speed).
#
# --build runs `mvn -q -B -DskipTests package` first (otherwise only when lib/ is empty).
# --nice N runs the measured commands under `nice -n N` (e.g. -10 as root: on a machine shared
# with builds, so that the live part measures heptap rather than the scheduler).
# Environment: HEPTAP (agent command, default bin/heptap), JAVA_OPTS (passed to bin/heptap, which
# uses its own defaults without it), SHARED (the folder holding tools/make-bench-pcap, default testdata/),
# BENCH_SMALL_CALLS / BENCH_LARGE_CALLS (20000 / 60000).
# Traffic goes only to 127.0.0.1 (the sink) and, with --live, to lo.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$repo"
bench="$repo/bench"
out="$repo/target/bench"
mkdir -p "$out"

baseline="" build=0 nice_n=${BENCH_NICE:-0} live_warm=0 runs=3 live=0 live_only=0 floor=1 label="" results="$out/results.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) runs=1 ;;
    --runs) runs=$2; shift ;;
    --live) live=1 ;;
    --warm) live_warm=1 ;;
    --nice) nice_n=$2; shift ;;
    --build) build=1 ;;
    --live-only) live=1 live_only=1 ;;
    --no-floor) floor=0 ;;
    --label) label=$2; shift ;;
    --out) results=$2; shift ;;
    --baseline) baseline=$2; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "replay.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

small_calls=${BENCH_SMALL_CALLS:-20000}
large_calls=${BENCH_LARGE_CALLS:-60000}
small="$((small_calls / 1000))k" large="$((large_calls / 1000))k"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- tools -------------------------------------------------------------------------------
need=()
[ -x /usr/bin/time ] || need+=(time)
for pair in tcpdump:tcpdump tcpreplay:tcpreplay gcc:gcc python3:python3 pgrep:procps; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing ${need[*]}"
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}" >&2
fi

shared=${SHARED:-$repo/testdata}
[ -f "$shared/tools/make-bench-pcap" ] || { echo "replay.sh: $shared/tools/make-bench-pcap not found (set SHARED)" >&2; exit 1; }

gcc -O2 -Wall -o "$out/hepcount" "$bench/hepcount.c"
[ -f "$shared/tools/send-floor.c" ] || { echo "replay.sh: $shared/tools/send-floor.c not found (set SHARED)" >&2; exit 1; }
cc -O2 -o "$out/send-floor" "$shared/tools/send-floor.c"

# The sink's buffer: hepcount asks for 256 MiB with SO_RCVBUFFORCE (root: past
# net.core.rmem_max), else SO_RCVBUF (capped by rmem_max), and reports what it got
# (rcvbuf_bytes, rcvbuf_set_by). BENCH_RAISE_RMEM=1 also raises the machine-wide rmem_max
# (left as it was otherwise: the machine is shared).
if [ "${BENCH_RAISE_RMEM:-0}" = 1 ] && [ "$(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo 0)" -lt 268435456 ]; then
  sysctl -q -w net.core.rmem_max=268435456 2>/dev/null || log "note: cannot raise net.core.rmem_max"
fi

# --- the agent ---------------------------------------------------------------------------
if [ -z "${HEPTAP:-}" ]; then
  HEPTAP="$repo/bin/heptap"
  if [ "$build" -eq 1 ] || ! ls "$repo"/packaging/target/lib/agent-core-*.jar >/dev/null 2>&1; then
    log "building heptap (mvn -q -B -DskipTests package)"
    mvn -q -B -DskipTests package >&2
  fi
fi
export HEPTAP

# --- the capture files -------------------------------------------------------------------
make_pcap() {  # calls file
  local calls=$1 f=$2
  if [ -s "$f" ] && [ -s "$f.info" ] && grep -q "calls=$calls " "$f.info"; then return; fi
  log "making $f ($calls calls)"
  python3 "$shared/tools/make-bench-pcap" --calls "$calls" --out "$f" 2> "$f.info.tmp"
  mv "$f.info.tmp" "$f.info"
}
pcap_small="$out/bench-$small.pcap" pcap_large="$out/bench-$large.pcap"
make_pcap "$small_calls" "$pcap_small"
make_pcap "$large_calls" "$pcap_large"
sip_of() { sed -n 's/.*sip_messages=\([0-9]*\).*/\1/p' "$1.info"; }
exp_small=$(sip_of "$pcap_small") exp_large=$(sip_of "$pcap_large")

runs_file="$out/runs${label:+-$label}.jsonl"
: > "$runs_file"
python3 "$bench/results.py" record "$runs_file" kind=meta small="$small" large="$large" runs="$runs" \
  cores="$(nproc)" loadavg="$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')" \
  nice="$nice_n" heptap_cmd="$HEPTAP" baseline_cmd="$baseline" java_opts="${JAVA_OPTS:-}" git="$(git -C "$repo" log -1 --format=%h 2>/dev/null || echo none)" \
  java="$(java -version 2>&1 | head -1 | tr -d '"')" kernel="$(uname -r)"

# --- one run -----------------------------------------------------------------------------
sink_start() {  # tag -> sets sink_pid, sink_port, sink_out
  local tag=$1
  sink_out="$out/sink-$tag.json"
  rm -f "$out/sink-$tag.port"
  nice -n "$nice_n" "$out/hepcount" --port-file "$out/sink-$tag.port" --idle 1 --start-timeout 900 > "$sink_out" &
  sink_pid=$!
  for _ in $(seq 100); do [ -s "$out/sink-$tag.port" ] && break; sleep 0.05; done
  sink_port=$(cat "$out/sink-$tag.port")
}
sink_stop() {  # waits for the sink's own idle exit (1 s after the last datagram), then signals it
  for _ in $(seq 30); do kill -0 "$sink_pid" 2>/dev/null || break; sleep 0.1; done
  kill -TERM "$sink_pid" 2>/dev/null || true
  wait "$sink_pid" 2>/dev/null || true
}

run_heptap() {  # file-tag pcap expected round [tool command]
  local tag=$1 f=$2 exp=$3 rnd=$4 tool=${5:-heptap} cmd=${6:-$HEPTAP} rc=0
  sink_start "$tool-$tag-$rnd"
  nice -n "$nice_n" /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" \
    "$cmd" -r "$f" -m sip -H "udp:127.0.0.1:$sink_port" ${HEPTAP_ARGS:-} > /dev/null 2> "$out/$tool-$tag-$rnd.log" || rc=$?
  sink_stop
  python3 "$bench/results.py" record "$runs_file" kind=replay tool="$tool" file="$tag" round="$rnd" \
    expected_sip="$exp" rc="$rc" loadavg="$(cut -d' ' -f1 /proc/loadavg)" --time "$out/time.txt" --sink "$sink_out" --log "$out/$tool-$tag-$rnd.log"
  python3 - "$runs_file" <<'EOF' >&2
import json,sys
r=[json.loads(l) for l in open(sys.argv[1])][-1]
s=r.get("sink") or {}
print("[bench]   %-8s %-4s round %s: rc %s, wall %.2fs, cpu %.2fs (u %.2f s %.2f), rss %.1f MB, SIP %s/%s, sink drops %s"
      % (r["tool"], r["file"], r["round"], r["rc"], r.get("wall_s",0), r.get("cpu_s",0), r.get("user_s",0), r.get("sys_s",0),
         r.get("max_rss_kb",0)/1024, s.get("hep3_sip"), r["expected_sip"], s.get("proc_udp_drops")))
EOF
}

run_tcpdump() {  # file-tag pcap expected round
  local tag=$1 f=$2 exp=$3 rnd=$4 rc=0
  nice -n "$nice_n" /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" tcpdump -r "$f" -w /dev/null 2> "$out/tcpdump.log" || rc=$?
  python3 "$bench/results.py" record "$runs_file" kind=replay tool=tcpdump file="$tag" round="$rnd" \
    expected_sip="$exp" rc="$rc" --time "$out/time.txt"
  log "  tcpdump $tag round $rnd: $(cat "$out/time.txt" | tail -1) (wall user sys maxrss-kB)"
}

run_send_floor() {  # file-tag pcap expected round: the same datagrams, sent by sendmmsg, nothing else
  local tag=$1 f=$2 exp=$3 rnd=$4 rc=0
  sink_start "send-floor-$tag-$rnd"
  nice -n "$nice_n" /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" \
    "$out/send-floor" "$f" "$sink_port" > "$out/send-floor.log" 2>&1 || rc=$?
  sink_stop
  python3 "$bench/results.py" record "$runs_file" kind=replay tool=send-floor file="$tag" round="$rnd" \
    expected_sip="$exp" rc="$rc" loadavg="$(cut -d' ' -f1 /proc/loadavg)" --time "$out/time.txt" --sink "$sink_out"
  log "  send-floor $tag round $rnd: $(tail -1 "$out/time.txt") (wall user sys maxrss-kB), $(cat "$out/send-floor.log")"
}

if [ "$live_only" -eq 0 ]; then
  # Page the files in so that the first run does not pay for the disk.
  cat "$pcap_small" "$pcap_large" > /dev/null
  # Each agent once, untimed: it also makes bin/heptap's class-data archive, if that is missing.
  log "warm-up run (untimed): JIT-free start, files cached"
  for agent in "$HEPTAP" ${baseline:+"$baseline"}; do
    sink_start warmup
    "$agent" -r "$repo/conf/samples/sample-call.pcap" -m sip -H "udp:127.0.0.1:$sink_port" >/dev/null 2>"$out/heptap-warmup.log" \
      || { log "warm-up run of $agent failed:"; tail -20 "$out/heptap-warmup.log" >&2; }
    sink_stop
  done
  # Interleaved rounds: small then large, so drift in machine load hits both files alike.
  for rnd in $(seq "$runs"); do
    for tag in "$small" "$large"; do
      if [ "$tag" = "$small" ]; then f=$pcap_small exp=$exp_small; else f=$pcap_large exp=$exp_large; fi
      [ "$floor" -eq 1 ] && run_tcpdump "$tag" "$f" "$exp" "$rnd"
      [ "$floor" -eq 1 ] && run_send_floor "$tag" "$f" "$exp" "$rnd"
      if [ -z "$baseline" ]; then
        run_heptap "$tag" "$f" "$exp" "$rnd"
      elif [ $((rnd % 2)) -eq 1 ]; then
        run_heptap "$tag" "$f" "$exp" "$rnd"; run_heptap "$tag" "$f" "$exp" "$rnd" baseline "$baseline"
      else
        run_heptap "$tag" "$f" "$exp" "$rnd" baseline "$baseline"; run_heptap "$tag" "$f" "$exp" "$rnd"
      fi
    done
  done
fi

if [ "$live" -eq 1 ]; then
  RUNS_FILE="$runs_file" OUT="$out" PCAP="$pcap_small" "$bench/live.sh" --runs "$runs" --nice "$nice_n" $([ "$live_warm" -eq 1 ] && echo --warm)
fi

python3 "$bench/results.py" summary "$runs_file" "$results" ${label:+--label "$label"} \
  ${JAVA_OPTS:+--java-opts "$JAVA_OPTS"}
log "results: $results (runs: $runs_file, agent logs: $out/heptap-*.log)"
