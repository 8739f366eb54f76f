#!/usr/bin/env bash
# Where heptap's CPU goes on the 60,000-call bench file (run bench/replay.sh once first).
#
#   bench/profile.sh [--file target/bench/bench-60k.pcap] [--no-perf]
#   bench/profile.sh --live RATE      (live capture on a private lo at RATE pps: threads + JFR)
#
# 1. per-thread CPU (bench/threadcpu.py: main/capture, HEP sender, C1/C2 JIT, GC, VM threads)
# 2. GC: count and total pause time from -Xlog:gc
# 3. JIT: total compile time from -XX:+CITime
# 4. JFR execution samples (settings=profile): hottest methods by self time and by top frame
#    within org.heptap / io.netty / java.*
# 5. perf (cpu-clock, if perf works here) with the JIT's symbols (-XX:+DumpPerfMapAtExit):
#    share of kernel vs JVM vs JIT code, hottest symbols (the UDP send path shows up here)
# Uses bin/heptap's JAVA_OPTS unless JAVA_OPTS is set. Output: target/bench/profile/.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$repo"
out="$repo/target/bench/profile"
mkdir -p "$out"
file="$repo/target/bench/bench-60k.pcap" perf=1 live_rate=""
while [ $# -gt 0 ]; do
  case "$1" in
    --file) file=$2; shift ;;
    --no-perf) perf=0 ;;
    --live) live_rate=$2; shift ;;
    *) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
HEPTAP=${HEPTAP:-$repo/bin/heptap}
[ -x "$repo/target/bench/hepcount" ] || gcc -O2 -Wall -o "$repo/target/bench/hepcount" bench/hepcount.c
# bin/heptap's own default flags, so that the profile is of the shipped configuration
base=${JAVA_OPTS:-$(sed -n 's/^JAVA_OPTS_DEFAULT="\(.*\)"$/\1/p' "$repo/bin/heptap")}
echo "JAVA_OPTS base: $base"

sink() {
  rm -f "$out/port"
  "$repo/target/bench/hepcount" --port-file "$out/port" --idle 1 --start-timeout 600 > "$out/sink.json" &
  spid=$!
  for _ in $(seq 100); do [ -s "$out/port" ] && break; sleep 0.05; done
  port=$(cat "$out/port")
}
sink_done() {
  for _ in $(seq 30); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
  kill -TERM "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true
  echo "sink: $(cat "$out/sink.json")"
}

if [ -n "$live_rate" ]; then
  # in a network namespace of our own: only our frames on its lo
  if [ "${HEPTAP_BENCH_NETNS:-}" != 1 ]; then
    exec env HEPTAP_BENCH_NETNS=1 unshare -n -- "$0" --live "$live_rate"
  fi
  ip link set lo up
  sip="$repo/target/bench/sip-bench-20k.pcap"
  [ -s "$sip" ] || tcpdump -r "$repo/target/bench/bench-20k.pcap" -w "$sip" 'udp port 5060' 2>/dev/null
  sink
  JAVA_OPTS="$base -XX:StartFlightRecording=filename=$out/live.jfr,settings=profile" \
    python3 bench/threadcpu.py "$out/live-threads.json" -- "$HEPTAP" -i lo -p 5060 -m sip -H "udp:127.0.0.1:$port" \
    > "$out/live-threads.txt" 2> "$out/heptap-live.log" &
  tp=$!
  for _ in $(seq 300); do grep -q "interface lo" "$out/heptap-live.log" 2>/dev/null && break; sleep 0.1; done
  sleep 1
  tcpreplay -i lo "--pps=$live_rate" "$sip" 2>&1 | grep -E "Rated" || true
  sleep 2
  jp=$(pgrep -P "$tp" | head -1)
  kill -TERM "$jp"; wait "$tp" || true
  sink_done
  grep -E "socket sip: frames" "$out/heptap-live.log" | sed 's/.*Agent: //'
  sed -n '/per-thread/,$p' "$out/live-threads.txt"
  echo "-- JFR, capture thread (capture-sip):"
  python3 bench/jfrtop.py "$out/live.jfr" capture-sip | sed -n '1,25p'
  echo "-- JFR native method samples (where threads sit in native code):"
  jfr print --events jdk.NativeMethodSample "$out/live.jfr" | grep -A3 'stackTrace = \[' | grep -vE 'stackTrace|^--' \
    | sed 's/line:.*//' | sort | uniq -c | sort -rn | head -8
  exit 0
fi

echo "== 1-3: threads, GC, JIT ($(basename "$file"))"
sink
JAVA_OPTS="$base -Xlog:gc:file=$out/gc.log -XX:+UnlockDiagnosticVMOptions -XX:+CITime" \
  python3 bench/threadcpu.py "$out/threads.json" -- "$HEPTAP" -r "$file" -m sip -H "udp:127.0.0.1:$port" \
  > "$out/citime.txt" 2> "$out/heptap-threads.log" || true
sink_done
python3 - "$out" <<'EOF'
import json, re, sys
d = sys.argv[1]
t = json.load(open(d + "/threads.json"))
tot = sum(v["user_s"] + v["sys_s"] for v in t["threads"].values())
print("per-thread CPU (total %.2f s, wall %.2f s):" % (tot, t["wall_s"]))
for k, v in t["threads"].items():
    c = v["user_s"] + v["sys_s"]
    if c >= 0.02:
        print("  %-22s x%-2d user %6.2f sys %6.2f = %6.2f s (%4.1f%%), waited for a CPU %.2f s"
              % (k, v["count"], v["user_s"], v["sys_s"], c, 100 * c / tot, v.get("cpu_wait_s", 0)))
g = open(d + "/gc.log").read()
pauses = [float(x) for x in re.findall(r"(\d+\.\d+)ms\s*$", g, re.M)]
print("GC: %d pauses, %.1f ms total, max %.1f ms" % (len(pauses), sum(pauses), max(pauses or [0])))
c = open(d + "/citime.txt").read()
m = re.search(r"C1 \{speed:.*?\}\s*C2|Accumulated compiler times.*", c)
tot = re.search(r"Total compilation time\s*:\s*([\d.]+) s", c)
c1 = re.search(r"C1 Compile Time:\s*([\d.]+) s", c)
c2 = re.search(r"C2 Compile Time:\s*([\d.]+) s", c)
print("JIT (CITime): total %s s, C1 %s s, C2 %s s" % (tot and tot.group(1), c1 and c1.group(1), c2 and c2.group(1)))
EOF

echo "== 4: JFR execution samples"
sink
JAVA_OPTS="$base -XX:StartFlightRecording=filename=$out/heptap.jfr,settings=profile" \
  "$HEPTAP" -r "$file" -m sip -H "udp:127.0.0.1:$port" > /dev/null 2> "$out/heptap-jfr.log" || true
sink_done
python3 bench/jfrtop.py "$out/heptap.jfr"

if [ "$perf" -eq 1 ] && command -v perf >/dev/null && perf stat -e task-clock true >/dev/null 2>&1; then
  echo "== 5: perf (cpu-clock, JIT symbols from -XX:+DumpPerfMapAtExit)"
  sink
  JAVA_OPTS="$base -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" \
    perf record -F 1999 -e cpu-clock -o "$out/perf.data" -- "$HEPTAP" -r "$file" -m sip -H "udp:127.0.0.1:$port" \
    > /dev/null 2> "$out/heptap-perf.log" || true
  sink_done
  perf report -i "$out/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15
  perf report -i "$out/perf.data" --no-children --sort dso,sym --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40
fi
echo "profile data: $out"
