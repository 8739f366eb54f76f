#!/usr/bin/env python3
"""Writes sample-call.pcap: one SIP call (INVITE with SDP .. BYE/200) between two
documentation addresses over UDP 5060, for heptap's first run. Standard library only."""
import struct, sys

A, B = "192.0.2.10", "192.0.2.20"
CALL = "7f3a1c0e-sample@192.0.2.10"

def sdp(ip, port):
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n") % (ip, ip, port)

def msg(first, cseq, src, branch, totag="", body="", ctype=None, extra=""):
    h = [first,
         "Via: SIP/2.0/UDP %s:5060;branch=%s" % (src, branch),
         "Max-Forwards: 70",
         "From: \"Alice\" <sip:alice@example.com>;tag=a73kszlfl",
         "To: <sip:bob@example.com>" + (";tag=" + totag if totag else ""),
         "Call-ID: " + CALL,
         "CSeq: " + cseq,
         "Contact: <sip:%s@%s:5060>" % ("alice" if src == A else "bob", src),
         "User-Agent: heptap-sample/1.0"]
    if extra:
        h.append(extra)
    if ctype:
        h.append("Content-Type: " + ctype)
    h.append("Content-Length: %d" % len(body.encode()))
    return ("\r\n".join(h) + "\r\n\r\n" + body).encode()

def ip4(s):
    return bytes(int(x) for x in s.split("."))

def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

def frame(src, dst, payload, ident):
    udp = struct.pack("!HHHH", 5060, 5060, 8 + len(payload), 0) + payload
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), ident, 0x4000, 64, 17, 0, ip4(src), ip4(dst))
    iph = iph[:10] + struct.pack("!H", checksum(iph)) + iph[12:]
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + iph + udp

inv = "INVITE sip:bob@example.com SIP/2.0"
seq = [
    (A, B, msg(inv, "1 INVITE", A, "z9hG4bK-1", body=sdp(A, 40000), ctype="application/sdp")),
    (B, A, msg("SIP/2.0 100 Trying", "1 INVITE", A, "z9hG4bK-1")),
    (B, A, msg("SIP/2.0 180 Ringing", "1 INVITE", A, "z9hG4bK-1", totag="b8x1")),
    (B, A, msg("SIP/2.0 200 OK", "1 INVITE", A, "z9hG4bK-1", totag="b8x1", body=sdp(B, 50000), ctype="application/sdp")),
    (A, B, msg("ACK sip:bob@192.0.2.20:5060 SIP/2.0", "1 ACK", A, "z9hG4bK-2", totag="b8x1")),
    (A, B, msg("BYE sip:bob@192.0.2.20:5060 SIP/2.0", "2 BYE", A, "z9hG4bK-3", totag="b8x1")),
    (B, A, msg("SIP/2.0 200 OK", "2 BYE", A, "z9hG4bK-3", totag="b8x1")),
]
t0 = 1700000000
gaps = [0, 20000, 310000, 2450000, 2470000, 32470000, 32480000]
out = sys.argv[1] if len(sys.argv) > 1 else "sample-call.pcap"
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, ((src, dst, payload), gap) in enumerate(zip(seq, gaps)):
        fr = frame(src, dst, payload, 100 + i)
        ts = t0 * 1000000 + 123456 + gap
        f.write(struct.pack("<IIII", ts // 1000000, ts % 1000000, len(fr), len(fr)))
        f.write(fr)
