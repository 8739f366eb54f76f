#!/usr/bin/env python3
"""jfrtop.py FILE.jfr [THREAD]: hottest methods (leaf, inclusive org.heptap, nearest org.heptap
frame) from JFR execution samples, optionally of one thread (e.g. capture-sip, main,
hep-hepsocket-1), and the allocation mix from ObjectAllocationSample. Uses the JDK's `jfr`."""
import collections, re, sys
import subprocess
jfr = sys.argv[1]
thread = sys.argv[2] if len(sys.argv) > 2 else None
txt = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", jfr], capture_output=True, text=True).stdout
events = txt.split("jdk.ExecutionSample")
self_c, incl_c, own_c = collections.Counter(), collections.Counter(), collections.Counter()
n = 0
for e in events:
    if thread and ('sampledThread = "%s"' % thread) not in e:
        continue
    frames = re.findall(r"^\s+([\w$.<>/]+\.[\w$<>]+)\(", e, re.M)
    if not frames:
        continue
    n += 1
    self_c[frames[0]] += 1
    for f in set(frames):
        incl_c[f] += 1
    own = next((f for f in frames if f.startswith("org.heptap")), None)
    if own:
        own_c[own] += 1
print("JFR: %d samples" % n)
print("top self (leaf frame):")
for f, c in self_c.most_common(20):
    print("  %5.1f%%  %s" % (100 * c / n, f))
print("top inclusive org.heptap frames:")
for f, c in [(f, c) for f, c in incl_c.most_common(200) if f.startswith("org.heptap")][:20]:
    print("  %5.1f%%  %s" % (100 * c / n, f))
print("nearest org.heptap frame of each sample (where heptap's own code spends or calls out):")
for f, c in own_c.most_common(15):
    print("  %5.1f%%  %s" % (100 * c / n, f))
a = subprocess.run(["jfr", "print", "--events", "jdk.ObjectAllocationSample", jfr], capture_output=True, text=True).stdout
alloc = collections.Counter()
for e in a.split("jdk.ObjectAllocationSample")[1:]:
    m = re.search(r"objectClass = ([\w.$\[\]]+)", e)
    w = re.search(r"weight = ([\d.,]+) (bytes|kB|MB|GB)", e)
    if m and w:
        v = float(w.group(1).replace(",", "")) * {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[w.group(2)]
        alloc[m.group(1)] += v
if alloc:
    tot = sum(alloc.values())
    print("allocation (JFR ObjectAllocationSample, ~%.0f MB total):" % (tot / 1e6))
    for k, v in alloc.most_common(12):
        print("  %5.1f%%  %s" % (100 * v / tot, k))
