#!/usr/bin/env bash
# Live part of the RTP benchmark (run by `bench/rtp-replay.sh --live`, or alone after it made the
# capture): in a network namespace of its own (unshare -n: a private lo, since other engineers'
# tests use this machine's lo), start `bin/heptap -i lo -H udp:127.0.0.1:PORT` (quick mode: SIP,
# RTCP and RTP analysis), replay the 10 s RTP capture (its calls' SIP and their RTP) onto lo
# with `tcpreplay -K --pps=RATE --pps-multi=10`, then wait until the sink has a final report
# for every stream the capture holds (at most LINGER seconds: streams end by BYE + grace or by
# the RTP timeout), stop the agent with SIGTERM and record the sink's counts and the agent's
# final counter lines (kernel-received / kernel-dropped: libpcap's stats). lo shows each injected frame twice to
# the capture socket (see README "lo shows each frame twice"), so its ring fills twice as fast.
# Environment: RUNS_FILE, OUT, PCAP, HEPTAP, RATE (100000), LINGER (40), RUNS (3), NICE (0: e.g.
# -10 as root runs tcpreplay and the agent ahead of the other jobs on a shared machine).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
bench="$repo/bench"
OUT=${OUT:-$repo/target/bench} PCAP=${PCAP:-$OUT/rtp-1000-10s.pcap} HEPTAP=${HEPTAP:-$repo/bin/heptap}
RUNS_FILE=${RUNS_FILE:-$OUT/runs-rtp-live.jsonl} RATE=${RATE:-100000} LINGER=${LINGER:-40} RUNS=${RUNS:-3}
NICE=${NICE:-0}
log() { printf '[rtp-live %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
if [ "${HEPTAP_BENCH_NETNS:-}" != 1 ]; then
  exec env HEPTAP_BENCH_NETNS=1 OUT="$OUT" PCAP="$PCAP" HEPTAP="$HEPTAP" RUNS_FILE="$RUNS_FILE" RATE="$RATE" \
    LINGER="$LINGER" RUNS="$RUNS" NICE="$NICE" unshare -n -- "$0" "$@"
fi
ip link set lo up
[ -s "$PCAP.info" ] || { echo "rtp-live.sh: $PCAP.info missing (run bench/rtp-replay.sh first)" >&2; exit 1; }
streams=$(sed -n 's/.* rtp_streams=\([0-9]*\).*/\1/p' "$PCAP.info")
frames=$(sed -n 's/.* frames=\([0-9]*\).*/\1/p' "$PCAP.info")
[ -x "$OUT/hepcount" ] || gcc -O2 -Wall -o "$OUT/hepcount" "$bench/hepcount.c"

finals_so_far() {  # asks the sink for a snapshot (SIGUSR1) and prints its final-report count
  local n before
  before=$(grep -c snapshot "$1" 2>/dev/null || true)
  kill -USR1 "$2"
  for _ in $(seq 20); do
    n=$(grep -c snapshot "$1" 2>/dev/null || true)
    [ "${n:-0}" -gt "${before:-0}" ] && break
    sleep 0.1
  done
  grep snapshot "$1" | tail -1 | sed -n 's/.*"hep3_rtp_final":\([0-9]*\).*/\1/p'
}

for rnd in $(seq "$RUNS"); do
  tag="rtp-live-$RATE-$rnd" rc=0
  rm -f "$OUT/sink-$tag.port"
  "$OUT/hepcount" --port-file "$OUT/sink-$tag.port" --idle 600 --start-timeout 900 > "$OUT/sink-$tag.json" &
  spid=$!
  for _ in $(seq 100); do [ -s "$OUT/sink-$tag.port" ] && break; sleep 0.05; done
  nice -n "$NICE" /usr/bin/time -f '%e %U %S %M' -o "$OUT/time-$tag.txt" \
    "$HEPTAP" -i lo -H "udp:127.0.0.1:$(cat "$OUT/sink-$tag.port")" ${HEPTAP_ARGS:-} > /dev/null 2> "$OUT/heptap-$tag.log" &
  tpid=$!
  jpid=""  # bin/heptap execs java under GNU time: the JVM is time's child
  for _ in $(seq 100); do jpid=$(pgrep -P "$tpid" | head -1 || true); [ -n "$jpid" ] && break; sleep 0.05; done
  ready=0
  for _ in $(seq 600); do
    if grep -qE 'socket [^ ]+: .*lo' "$OUT/heptap-$tag.log" 2>/dev/null; then ready=1; break; fi
    kill -0 "$tpid" 2>/dev/null || break
    sleep 0.1
  done
  [ "$ready" -eq 1 ] || { log "heptap did not log its socket line:"; tail -20 "$OUT/heptap-$tag.log" >&2; }
  sleep 0.5
  # -K: the file preloaded; --pps-multi=10: ten frames per timer tick, without which tcpreplay
  # itself reached only ~50k pps on the loaded 2-core machine
  nice -n "$NICE" tcpreplay -i lo -K --pps="$RATE" --pps-multi=10 "$PCAP" > "$OUT/tcpreplay-$tag.txt" 2>&1 || true
  waited=0 finals=0
  while [ "$waited" -lt "$LINGER" ]; do
    finals=$(finals_so_far "$OUT/sink-$tag.json" "$spid")
    [ "${finals:-0}" -ge "$streams" ] && break
    sleep 1; waited=$((waited + 1))
  done
  log "round $rnd: $finals/$streams final reports $waited s after the replay"
  [ -n "$jpid" ] && kill -TERM "$jpid" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$tpid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$tpid" 2>/dev/null && { log "heptap still running 20 s after SIGTERM: killing it"; kill -KILL "$jpid" 2>/dev/null || true; }
  wait "$tpid" || rc=$?
  kill -TERM "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  python3 "$bench/results.py" record "$RUNS_FILE" kind=rtp-live rate="$RATE" round="$rnd" rc="$rc" ready="$ready" \
    expected_streams="$streams" expected_frames="$frames" linger_s="$waited" nice="$NICE" loadavg="$(cut -d' ' -f1 /proc/loadavg)" \
    --time "$OUT/time-$tag.txt" --sink "$OUT/sink-$tag.json" --log "$OUT/heptap-$tag.log" --tcpreplay "$OUT/tcpreplay-$tag.txt"
  python3 "$bench/results.py" rtp-line "$RUNS_FILE" >&2
done
