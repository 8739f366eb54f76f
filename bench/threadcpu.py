#!/usr/bin/env python3
"""threadcpu.py OUT.json -- COMMAND...: runs COMMAND and reports CPU seconds per thread.

Polls /proc/PID/task/*/stat every 50 ms while the command runs (PID = the command, which for
bin/heptap is the JVM, since the script execs java) and keeps the last reading of each thread,
so threads that end early are counted too; prints the threads by CPU (user+sys, name as the
kernel knows it: main, C2 CompilerThre, C1 CompilerThre, VM Thread, GC threads, the agent's own
named threads) and writes them to OUT.json, with the time each spent runnable but waiting for
a CPU (schedstat run delay: high on a busy machine). The last 50 ms of a thread's life can be
missed.
"""
import json
import os
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def read_threads(pid):
    out = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for tid in tids:
        try:
            s = open("/proc/%d/task/%s/stat" % (pid, tid)).read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        f = s[s.rindex(")") + 2:].split()
        try:  # ns on CPU, ns runnable but waiting for a CPU, timeslices
            delay = int(open("/proc/%d/task/%s/schedstat" % (pid, tid)).read().split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            delay = 0.0
        out[tid] = (name, int(f[11]) / HZ, int(f[12]) / HZ, delay)
    return out


def main():
    out = sys.argv[1]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    t0 = time.time()
    p = subprocess.Popen(cmd)
    last = {}
    while p.poll() is None:
        for tid, v in read_threads(p.pid).items():
            last[tid] = v
        time.sleep(0.05)
    wall = time.time() - t0
    agg = {}
    for tid, (name, u, s, d) in last.items():
        key = name.rstrip("0123456789 ") if ("GC Thread" in name or "CompilerThre" in name) else name
        a = agg.setdefault(key, [0.0, 0.0, 0, 0.0])
        a[0] += u
        a[1] += s
        a[2] += 1
        a[3] += d
    rows = sorted(agg.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))
    total = sum(a[0] + a[1] for _, a in rows)
    print("per-thread CPU (rc %s, wall %.2fs, threads seen %d, total %.2f cpu-s):" % (p.returncode, wall, len(last), total))
    for name, (u, s, n, d) in rows:
        if u + s >= 0.01:
            print("  %-22s x%-2d user %6.2f  sys %6.2f  = %6.2f s  (%4.1f%%)  waited for a CPU %6.2f s"
                  % (name, n, u, s, u + s, 100 * (u + s) / total if total else 0, d))
    json.dump({"rc": p.returncode, "wall_s": wall,
               "threads": {k: {"user_s": v[0], "sys_s": v[1], "count": v[2], "cpu_wait_s": v[3]} for k, v in rows}},
              open(out, "w"), indent=1)
    sys.exit(p.returncode)


if __name__ == "__main__":
    main()
