#!/usr/bin/env bash
# RTP analysis benchmark (issue 12, see bench/README.md "RTP analysis").
#
#   bench/rtp-replay.sh [--runs N] [--quick] [--calls N] [--live] [--live-only] [--rate PPS]
#                       [--linger S] [--label L] [--baseline CMD]
#
# Makes two captures of N (1,000) concurrent calls with their RTP, 10 and 30 simulated seconds
# (`testdata/tools/make-bench-pcap --rtp-calls N --seconds S`, cached under target/bench/), and
# replays each, in interleaved rounds (3; --quick: 1) after an untimed warm-up, with
#   tcpdump -r FILE -w /dev/null                            the floor
#   bin/heptap -r FILE -H udp:127.0.0.1:PORT                quick mode: SIP, RTCP and RTP analysis
#   bin/heptap -r FILE -m sip+rtcp -H udp:127.0.0.1:PORT    the same without RTP analysis
#   CMD -r FILE -H udp:127.0.0.1:PORT                       --baseline: another build (e.g. main's
#                                                           bin/heptap), as heptap-rtp, same rounds
# each under GNU time, HEP to the counting sink (bench/hepcount.c, which counts the type-34
# reports and the final ones). bench/results.py rtp-summary prints the medians, the marginal CPU
# per RTP packet (Δcpu / ΔRTP packets between the files) and its ratio to tcpdump's, and checks
# that every stream got its final report.
# --live (after the replay) / --live-only: in a network namespace of its own (unshare -n: a
# private lo), bin/heptap -i lo -H udp:127.0.0.1:PORT while tcpreplay puts the 10 s file (its
# SIP and its RTP) on lo at --rate (100000) packets per second; the agent runs --linger seconds
# (40) after the replay, so that every stream ends (BYE + grace or RTP timeout), then SIGTERM;
# kernel drops come from its final socket lines and the final reports are counted at the sink.
# Environment: HEPTAP (bin/heptap), JAVA_OPTS, HEPTAP_ARGS (extra agent flags for every run).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$repo"
bench="$repo/bench"
out="$repo/target/bench"
mkdir -p "$out"

runs=3 calls=1000 live=0 live_only=0 rate=100000 linger=40 label=rtp baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --quick) runs=1 ;;
    --calls) calls=$2; shift ;;
    --live) live=1 ;;
    --live-only) live=1 live_only=1 ;;
    --rate) rate=$2; shift ;;
    --linger) linger=$2; shift ;;
    --label) label=$2; shift ;;
    --baseline) baseline=$2; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "rtp-replay.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
log() { printf '[rtp-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
for tool in tcpdump tcpreplay gcc python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "rtp-replay.sh: $tool missing (bench/replay.sh installs it)" >&2; exit 1; }
done
gcc -O2 -Wall -o "$out/hepcount" "$bench/hepcount.c"
HEPTAP=${HEPTAP:-$repo/bin/heptap}
if [ "$HEPTAP" = "$repo/bin/heptap" ] && ! ls "$repo"/packaging/target/lib/agent-core-*.jar >/dev/null 2>&1; then
  log "building heptap (mvn -q -o -B -DskipTests package)"
  mvn -q -o -B -DskipTests package >&2
fi

# --- the captures ------------------------------------------------------------------------
make_pcap() {  # seconds file
  local f=$2
  if [ -s "$f" ] && [ -s "$f.info" ] && grep -q "rtp_calls=$calls seconds=$1 " "$f.info"; then return; fi
  log "making $f ($calls concurrent calls, $1 s)"
  python3 "$repo/testdata/tools/make-bench-pcap" --rtp-calls "$calls" --seconds "$1" --out "$f" 2> "$f.info.tmp"
  mv "$f.info.tmp" "$f.info"
}
info() { sed -n "s/.* $2=\([0-9]*\).*/\1/p" "$1.info"; }
small="$out/rtp-$calls-10s.pcap" large="$out/rtp-$calls-30s.pcap"
make_pcap 10 "$small"
make_pcap 30 "$large"

runs_file="$out/runs-$label.jsonl"
: > "$runs_file"
python3 "$bench/results.py" record "$runs_file" kind=meta small=10s large=30s runs="$runs" calls="$calls" \
  cores="$(nproc)" loadavg="$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')" heptap_cmd="$HEPTAP" \
  java_opts="${JAVA_OPTS:-}" baseline_cmd="$baseline" git="$(git -C "$repo" log -1 --format=%h 2>/dev/null || echo none)" \
  java="$(java -version 2>&1 | head -1 | tr -d '"')" kernel="$(uname -r)"

sink_start() {  # tag idle-seconds -> sink_pid sink_port sink_out
  sink_out="$out/sink-$1.json"
  rm -f "$out/sink-$1.port"
  "$out/hepcount" --port-file "$out/sink-$1.port" --idle "$2" --start-timeout 900 > "$sink_out" &
  sink_pid=$!
  for _ in $(seq 100); do [ -s "$out/sink-$1.port" ] && break; sleep 0.05; done
  sink_port=$(cat "$out/sink-$1.port")
}
sink_wait() {  # the sink exits 1 s after the last datagram; SIGTERM makes it drain and exit
  for _ in $(seq 30); do kill -0 "$sink_pid" 2>/dev/null || break; sleep 0.1; done
  kill -TERM "$sink_pid" 2>/dev/null || true
  wait "$sink_pid" 2>/dev/null || true
}

replay() {  # tool tag file round
  local tool=$1 tag=$2 f=$3 rnd=$4 rc=0 agent_log="$out/$1-$2-$4.log"
  local expect=(expected_rtp="$(info "$f" rtp_packets)" expected_sip="$(info "$f" sip_messages)"
                expected_streams="$(info "$f" rtp_streams)")
  if [ "$tool" = tcpdump ]; then
    /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" tcpdump -r "$f" -w /dev/null 2> "$agent_log" || rc=$?
    python3 "$bench/results.py" record "$runs_file" kind=rtp-replay tool="$tool" file="$tag" round="$rnd" rc="$rc" \
      "${expect[@]}" --time "$out/time.txt"
  else
    local mode=() agent=$HEPTAP; [ "$tool" = heptap-nortp ] && mode=(-m sip+rtcp)
    [ "$tool" = baseline-rtp ] && agent=$baseline
    sink_start "$tool-$tag-$rnd" 1
    /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" \
      "$agent" -r "$f" "${mode[@]}" -H "udp:127.0.0.1:$sink_port" ${HEPTAP_ARGS:-} > /dev/null 2> "$agent_log" || rc=$?
    sink_wait
    python3 "$bench/results.py" record "$runs_file" kind=rtp-replay tool="$tool" file="$tag" round="$rnd" rc="$rc" \
      "${expect[@]}" loadavg="$(cut -d' ' -f1 /proc/loadavg)" --time "$out/time.txt" --sink "$sink_out" --log "$agent_log"
  fi
  python3 "$bench/results.py" rtp-line "$runs_file" >&2
}

if [ "$live_only" -eq 0 ]; then
  cat "$small" "$large" > /dev/null
  log "warm-up run (untimed)"
  sink_start warmup 1
  "$HEPTAP" -r "$repo/conf/samples/sample-call.pcap" -H "udp:127.0.0.1:$sink_port" >/dev/null 2>"$out/heptap-warmup.log" || true
  sink_wait
  tools=(tcpdump heptap-rtp heptap-nortp)
  if [ -n "$baseline" ]; then
    # its own warm-up (a fresh build re-makes its CDS archive on the first run)
    sink_start warmup-baseline 1
    "$baseline" -r "$repo/conf/samples/sample-call.pcap" -H "udp:127.0.0.1:$sink_port" >/dev/null 2>"$out/baseline-warmup.log" || true
    sink_wait
    tools+=(baseline-rtp)
  fi
  for rnd in $(seq "$runs"); do
    for tag in 10s 30s; do
      f=$small; [ "$tag" = 30s ] && f=$large
      for tool in "${tools[@]}"; do replay "$tool" "$tag" "$f" "$rnd"; done
    done
  done
fi

if [ "$live" -eq 1 ]; then
  RUNS_FILE="$runs_file" OUT="$out" PCAP="$small" HEPTAP="$HEPTAP" RATE="$rate" LINGER="$linger" RUNS="$runs" \
    "$bench/rtp-live.sh"
fi
python3 "$bench/results.py" rtp-summary "$runs_file" "$out/results-$label.json"
log "results: $out/results-$label.json (runs: $runs_file, agent logs: $out/heptap-rtp-*.log)"
