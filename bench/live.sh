#!/usr/bin/env bash
# Live-capture part of the heptap benchmark (called by `bench/replay.sh --live`, or alone).
#
#   bench/live.sh [--runs N] [--rates "50000 100000 topspeed"] [--warm] [--shared-lo] [--nice N]
#                 [--keep-logs]
#
# Takes the SIP frames of the 20,000-call bench file (`tcpdump -r FILE -w sip.pcap 'udp port
# 5060'`: 140,000 frames), and for each rate starts `bin/heptap -i lo -p 5060 -m sip -H
# udp:127.0.0.1:PORT` (HEP to the counting sink; -m sip: no RTCP socket, as in the replay),
# waits for its socket line, replays the frames onto lo with `tcpreplay -i lo --pps=R` (or
# --topspeed), waits 2 s, stops heptap with SIGTERM and records what the sink got and heptap's
# final counters (kernel-received / kernel-dropped are libpcap's stats). loss = 1 - delivered /
# 140,000.
# --warm adds, for each rate, a run in which the agent first takes 70,000 of the frames at 25k pps
# (counted apart with a sink snapshot), so that the measured replay meets compiled code: the
# difference from the cold run is JIT warm-up.
#
# lo shows every injected frame twice to a packet socket (once outgoing, once incoming); libpcap
# discards the outgoing copy on loopback, so the agent sees each frame once, but both copies go
# through (and fill) the kernel capture buffer. A tcpdump calibration run shows the counts.
#
# Runs in a network namespace of its own (unshare -n, its own lo), so that other tests on this
# machine's lo neither add to nor take from the counts; --shared-lo uses the machine's lo.
# Environment: HEPTAP, RUNS_FILE, OUT (target/bench), PCAP (the 20k bench file). Only lo and
# 127.0.0.1 carry traffic.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
bench="$repo/bench"
OUT=${OUT:-$repo/target/bench}
RUNS_FILE=${RUNS_FILE:-$OUT/runs-live.jsonl}
PCAP=${PCAP:-$OUT/bench-20k.pcap}
HEPTAP=${HEPTAP:-$repo/bin/heptap}
runs=3 rates="50000 100000 topspeed" warm=0 isolate=1 keep_logs=0 nice_n=${BENCH_NICE:-0}
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --rates) rates=$2; shift ;;
    --warm) warm=1 ;;
    --shared-lo) isolate=0 ;;
    --keep-logs) keep_logs=1 ;;
    --nice) nice_n=$2; shift ;;
    *) echo "live.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
log() { printf '[live %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
# The machine's lo is shared with other engineers' tests (sipp on 5060, agents capturing lo):
# run in a network namespace of our own with only its lo, unless --shared-lo.
if [ "$isolate" -eq 1 ] && [ "${HEPTAP_BENCH_NETNS:-}" != 1 ]; then
  if unshare -n true 2>/dev/null; then
    exec env HEPTAP_BENCH_NETNS=1 OUT="$OUT" RUNS_FILE="$RUNS_FILE" PCAP="$PCAP" HEPTAP="$HEPTAP" \
      unshare -n -- "$0" "${args[@]}"
  fi
  log "note: cannot make a network namespace (unshare -n); using the machine's lo"
fi
if [ "${HEPTAP_BENCH_NETNS:-}" = 1 ]; then
  ip link set lo up
  log "in a private network namespace (its own lo)"
fi
standalone=0
if [ ! -s "$RUNS_FILE" ]; then standalone=1; fi
[ -x "$OUT/hepcount" ] || gcc -O2 -Wall -o "$OUT/hepcount" "$bench/hepcount.c"
[ -s "$PCAP" ] || { echo "live.sh: $PCAP missing (run bench/replay.sh first)" >&2; exit 1; }

sip="$OUT/sip-$(basename "$PCAP")"
if [ ! -s "$sip" ] || [ "$sip" -ot "$PCAP" ]; then
  tcpdump -r "$PCAP" -w "$sip" 'udp port 5060' 2>/dev/null
fi
frames=$(python3 - "$sip" <<'EOF'
import struct, sys
n = 0
with open(sys.argv[1], "rb") as f:
    f.read(24)
    while True:
        h = f.read(16)
        if len(h) < 16: break
        f.seek(struct.unpack("<IIII", h)[2], 1); n += 1
print(n)
EOF
)
log "SIP frames in $sip: $frames"

# --keep-logs: for agent builds before a62934d, whose final counters (pcap stats included),
# logged from the SIGTERM hook, were lost because JUL's own shutdown hook resets the LogManager
# first: a bench-only LogManager (bench/KeepLogsAtExit.java) on the boot class path keeps the
# handlers at exit. Current builds log them without it.
agent_java_opts=""
if [ "$keep_logs" -eq 1 ] && command -v javac >/dev/null; then
  if [ ! -s "$OUT/keeplogs/KeepLogsAtExit.class" ] || [ "$OUT/keeplogs/KeepLogsAtExit.class" -ot "$bench/KeepLogsAtExit.java" ]; then
    mkdir -p "$OUT/keeplogs" && javac -d "$OUT/keeplogs" "$bench/KeepLogsAtExit.java"
  fi
  agent_java_opts="${JAVA_OPTS:-$(sed -n 's/^JAVA_OPTS_DEFAULT="\(.*\)"$/\1/p' "$repo/bin/heptap")} -Xbootclasspath/a:$OUT/keeplogs -Djava.util.logging.manager=KeepLogsAtExit"
fi

opt_of() { if [ "$1" = topspeed ]; then echo --topspeed; else echo "--pps=$1"; fi; }

# --- what lo does with injected frames: tcpdump counts at the lowest rate ------------------
first_rate=${rates%% *}
nice -n "$nice_n" tcpdump -i lo -B 65536 -w /dev/null 'udp port 5060' 2> "$OUT/lo-cal-tcpdump.txt" &
td=$!
sleep 1
nice -n "$nice_n" tcpreplay -i lo "$(opt_of "$first_rate")" "$sip" > "$OUT/lo-cal-tcpreplay.txt" 2>&1 || true
sleep 1
kill -INT "$td"; wait "$td" || true
python3 "$bench/results.py" record "$RUNS_FILE" kind=lo-calibration rate="$first_rate" frames="$frames" \
  --tcpdump-stats "$OUT/lo-cal-tcpdump.txt" --tcpreplay "$OUT/lo-cal-tcpreplay.txt"
log "lo calibration: $(grep -E 'captured|received|dropped' "$OUT/lo-cal-tcpdump.txt" | tr '\n' ' ')"

# --- heptap at each rate -------------------------------------------------------------------
live_run() {  # rate round warm
  local rate=$1 rnd=$2 w=$3 tag="live-$1-$2" rc=0 tpid jpid
  if [ "$w" -eq 1 ]; then tag="$tag-warm"; fi
  rm -f "$OUT/sink-$tag.port"
  nice -n "$nice_n" "$OUT/hepcount" --port-file "$OUT/sink-$tag.port" --idle 600 --start-timeout 900 > "$OUT/sink-$tag.json" &
  local spid=$!
  for _ in $(seq 100); do [ -s "$OUT/sink-$tag.port" ] && break; sleep 0.05; done
  local port; port=$(cat "$OUT/sink-$tag.port")
  local pre=(); [ -n "$agent_java_opts" ] && pre=(env "JAVA_OPTS=$agent_java_opts")
  "${pre[@]}" nice -n "$nice_n" /usr/bin/time -f '%e %U %S %M' -o "$OUT/time-$tag.txt" \
    "$HEPTAP" -i lo -p 5060 -m sip -H "udp:127.0.0.1:$port" ${HEPTAP_ARGS:-} > /dev/null 2> "$OUT/heptap-$tag.log" &
  tpid=$!
  # bin/heptap execs java: GNU time's child is the JVM, which gets the SIGTERM
  jpid=""
  for _ in $(seq 100); do jpid=$(pgrep -P "$tpid" | head -1 || true); [ -n "$jpid" ] && break; sleep 0.05; done
  local ready=0
  for _ in $(seq 600); do
    if grep -qE 'socket [^ ]+: .*(lo|plan)' "$OUT/heptap-$tag.log" 2>/dev/null; then ready=1; break; fi
    kill -0 "$tpid" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$ready" -eq 0 ]; then
    log "heptap did not log its socket line; log:"; tail -20 "$OUT/heptap-$tag.log" >&2
  fi
  sleep 0.5
  if [ "$w" -eq 1 ]; then
    nice -n "$nice_n" tcpreplay -i lo --pps=25000 -L 70000 "$sip" > "$OUT/tcpreplay-$tag-warmup.txt" 2>&1 || true
    sleep 2
    kill -USR1 "$spid"
    sleep 0.5
  fi
  nice -n "$nice_n" tcpreplay -i lo "$(opt_of "$rate")" "$sip" > "$OUT/tcpreplay-$tag.txt" 2>&1 || true
  sleep 2
  [ -n "$jpid" ] && kill -TERM "$jpid" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$tpid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$tpid" 2>/dev/null; then
    log "heptap did not stop within 20 s of SIGTERM; killing it"
    [ -n "$jpid" ] && kill -KILL "$jpid" 2>/dev/null || true
  fi
  wait "$tpid" || rc=$?
  # the agent has exited: what it sent is in the sink's socket queue; the sink drains it and exits
  kill -TERM "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  python3 "$bench/results.py" record "$RUNS_FILE" kind=live rate="$rate" round="$rnd" warm="$w" expected_sip="$frames" \
    rc="$rc" ready="$ready" nice="$nice_n" keep_logs="$keep_logs" netns="${HEPTAP_BENCH_NETNS:-0}" loadavg="$(cut -d' ' -f1 /proc/loadavg)" --time "$OUT/time-$tag.txt" --sink "$OUT/sink-$tag.json" --log "$OUT/heptap-$tag.log" \
    --tcpreplay "$OUT/tcpreplay-$tag.txt"
  python3 - "$RUNS_FILE" <<'EOF' >&2
import json,sys
r=[json.loads(l) for l in open(sys.argv[1])][-1]
s=r.get("sink") or {}; t=r.get("tcpreplay") or {}
d=r.get("delivered_sip") or 0
print("[live]   rate %-8s%s round %s (load %s): tcpreplay %s pps, SIP delivered %s/%s (loss %.2f%%), agent cpu %.2fs, rc %s; agent: %s"
      % (r["rate"], "/warm" if r.get("warm") else "", r["round"], r.get("loadavg"), round(t.get("actual_pps") or 0), d, r["expected_sip"], 100*(1-d/r["expected_sip"]),
         r.get("cpu_s") or 0, r["rc"], {k: v for k, v in ((r.get("counters") or {}).get("socket sip") or {}).items()
                                        if k in ("frames", "kernel-received", "kernel-dropped", "interface-dropped", "transport-refused")}))
EOF
}

for rnd in $(seq "$runs"); do
  for rate in $rates; do
    live_run "$rate" "$rnd" 0
    [ "$warm" -eq 1 ] && live_run "$rate" "$rnd" 1
  done
done

if [ "$standalone" -eq 1 ]; then
  python3 "$bench/results.py" summary "$RUNS_FILE" "$OUT/results-live.json"
fi
