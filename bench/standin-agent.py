#!/usr/bin/env python3
"""Stand-in for `bin/heptap -r FILE -m sip -H udp:HOST:PORT`, to test the bench harness alone.

Reads a classic pcap (Ethernet/IPv4/UDP), sends every UDP payload on ports 5060-5090 that starts
like SIP as a HEP3 datagram (protocol type 1) to the collector, and logs final counters the way
heptap does. Not a benchmark subject: `HEPTAP=bench/standin-agent.py bench/replay.sh --quick`.
"""
import socket
import struct
import sys


def chunk(t, v):
    return struct.pack("!HHH", 0, t, 6 + len(v)) + v


def main(argv):
    f = None
    host, port = "127.0.0.1", 9060
    i = 0
    while i < len(argv):
        if argv[i] in ("-r", "--read-file"):
            f = argv[i + 1]; i += 1
        elif argv[i] in ("-H", "--hep"):
            h = argv[i + 1].split(":")
            host, port = h[-2], int(h[-1]); i += 1
        elif argv[i] in ("-m",):
            i += 1
        i += 1
    if not f:
        print("standin-agent: only -r FILE is supported", file=sys.stderr)
        return 2
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    frames = sent = 0
    with open(f, "rb") as fh:
        fh.read(24)
        while True:
            h = fh.read(16)
            if len(h) < 16:
                break
            ts, us, incl, _ = struct.unpack("<IIII", h)
            d = fh.read(incl)
            frames += 1
            if len(d) < 42 or d[12:14] != b"\x08\x00" or d[23] != 17:
                continue
            ihl = (d[14] & 15) * 4
            u = 14 + ihl
            sp, dp = struct.unpack("!HH", d[u:u + 4])
            if not (5060 <= sp <= 5090 or 5060 <= dp <= 5090):
                continue
            payload = d[u + 8:]
            if not payload[:1].isalpha():
                continue
            body = (chunk(1, b"\x02") + chunk(2, b"\x11") + chunk(3, d[26:30]) + chunk(4, d[30:34])
                    + chunk(7, struct.pack("!H", sp)) + chunk(8, struct.pack("!H", dp))
                    + chunk(9, struct.pack("!I", ts)) + chunk(10, struct.pack("!I", us))
                    + chunk(11, b"\x01") + chunk(12, struct.pack("!I", 2001)) + chunk(15, payload))
            s.sendto(b"HEP3" + struct.pack("!H", 6 + len(body)) + body, (host, port))
            sent += 1
    print("INFO Agent: socket sip: frames %d, sent %d" % (frames, sent), file=sys.stderr)
    print("INFO Agent: transport hepsocket: sent %d, dropped 0" % sent, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
