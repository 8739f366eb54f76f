package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Two targets. {@code analyse}: arbitrary bytes as a sequence of datagrams (each a 1-byte length, then that many bytes, then a
 * 1-byte arrival step in ms) through the RTP header parser and one stream's statistics, with the
 * input also read as SDP rtpmap lines: no exception, no hang, and the figures stay consistent
 * (every RTP datagram counted, lost never negative, duplicates and reordering within the
 * packets, delta and jitter finite and non-negative), and the stream's report is written. Without {@code JAZZER_FUZZ} this replays
 * the seeds in {@code RtpFuzzTestInputs/analyse/}.
 *
 * <p>{@code table}: arbitrary bytes as operations on a small {@link RtpStreamTable} (4 streams, 3
 * endpoints, so eviction runs all the time) that holds early RTP ({@link PendingRtp}: 2 flows of
 * 3 packets, 1 s, so holding, pushing out and evicting run all the time too): SDP announcements
 * of IPv4 and IPv6 endpoints with payload types read from the input, RTP datagrams between them
 * arriving at arbitrary times (forward, backward, jumps anywhere in the range a pcap timestamp
 * can hold), the timer's sweep of held flows, and streams removed as the agent does after a
 * final report. No exception; the table never exceeds its limits; every stream started is
 * tracked, evicted or removed; every RTP datagram is counted once: in a stream (live or
 * replayed), unannounced, or held; every tracked stream's figures stay consistent and its
 * report is JSON with the figures in it. Seeds in {@code RtpFuzzTestInputs/table/}.
 */
class RtpFuzzTest {
    private static final int MAX_STREAMS = 4;
    private static final int MAX_ENDPOINTS = 3;
    private static final int HELD_FLOWS = 2;
    private static final int HELD_PACKETS = 3;
    /** Latest arrival a classic pcap header can express: 2^32 s. */
    private static final long MAX_MICROS = (1L << 32) * 1_000_000L;

    private static final byte[][] V4 = {{10, 0, 0, 1}, {10, 0, 0, 2}, {(byte) 192, 0, 2, 1}, {(byte) 198, 51, 100, 9}};
    private static final byte[][] V6 = {v6(1), v6(2), v6(0x10), v6(0xff)};
    private static final int[] PORTS = {10000, 10002, 20000, 65535};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RtpHeader header = new RtpHeader();
    private final RtpStreamStats stats = new RtpStreamStats();
    private final RtpReportWriter report = new RtpReportWriter();

    @FuzzTest(maxDuration = "10s")
    void analyse(byte[] data) {
        stats.reset(1, PayloadTypes.fromSdp(data, 0, data.length));
        long micros = 0;
        long rtp = 0;
        int pos = 0;
        while (pos < data.length) {
            int len = Math.min(data[pos++] & 0xff, data.length - pos);
            RtpResult r = RtpHeaderParser.parse(data, pos, len, header);
            if (r == RtpResult.RTP) {
                assertTrue(header.payloadOffset() + header.payloadLength() + header.paddingLength() == pos + len);
                stats.add(header, micros, len);
                rtp++;
            }
            pos += len;
            if (pos < data.length) micros += 1000L * (data[pos++] & 0xff);
        }
        assertEquals(rtp, stats.packets());
        assertTrue(stats.lost() >= 0 && stats.duplicates() + stats.outOfOrder() <= Math.max(0, rtp - 1));
        for (double v : new double[] {
            stats.maxDeltaMs(), stats.meanDeltaMs(), stats.jitterMs(), stats.maxJitterMs(), stats.meanJitterMs()
        }) {
            assertTrue(Double.isFinite(v) && v >= 0, "figure " + v);
        }
        CharSequence doc = report.write(stats, "192.0.2.1", 1, "192.0.2.2", 2, -1, true);
        assertTrue(doc.charAt(0) == '{' && doc.charAt(doc.length() - 1) == '}');
    }

    @FuzzTest(maxDuration = "10s")
    void table(byte[] data) throws IOException {
        RtpStreamTable t = new RtpStreamTable(
                MAX_STREAMS, MAX_ENDPOINTS, false, new PendingRtp(HELD_FLOWS, HELD_PACKETS, 1_000_000));
        boolean[] seen = new boolean[MAX_STREAMS];
        long[] started = {0};
        t.onStart(slot -> {
            started[0]++;
            seen[slot] = true;
        });
        long micros = 0;
        long removed = 0;
        long rtp = 0;
        long inStreams = 0;
        int pos = 0;
        while (pos + 2 <= data.length) {
            int op = data[pos++] & 0xff;
            int who = data[pos++] & 0xff;
            boolean v6 = (op & 0x04) != 0;
            byte[][] family = v6 ? V6 : V4;
            int addrLen = v6 ? 16 : 4;
            byte[] src = family[who & 3];
            byte[] dst = family[(who >>> 2) & 3];
            int srcPort = PORTS[(who >>> 4) & 3];
            int dstPort = PORTS[(who >>> 6) & 3];
            int len = pos < data.length ? Math.min(data[pos++] & 0xff, data.length - pos) : 0;
            switch (op & 3) {
                case 0 ->
                    t.announce(src, 0, addrLen, srcPort, PayloadTypes.fromSdp(data, pos, len), "call-" + (op >>> 3));
                case 3 -> {
                    if ((op & 0x40) != 0) {
                        t.sweep(micros);
                        break;
                    }
                    int slot = (op >>> 3) % MAX_STREAMS;
                    int before = t.streams();
                    t.remove(slot);
                    removed += before - t.streams();
                }
                default -> {
                    micros = arrival(micros, op, data, pos + len);
                    if (RtpHeaderParser.parse(data, pos, len, header) != RtpResult.RTP) break;
                    rtp++;
                    int slot = t.packet(src, dst, addrLen, srcPort, dstPort, header, micros, len);
                    if (slot == KeyedSlots.NONE) break;
                    inStreams++;
                    assertTrue(t.stats(slot).packets() >= 1 && t.stats(slot).ssrc() == header.ssrc());
                }
            }
            pos += len + ((op & 3) == 1 || (op & 3) == 2 ? steps(op) : 0);
            assertTrue(t.streams() <= MAX_STREAMS && t.endpoints() <= MAX_ENDPOINTS);
            assertTrue(t.holding() <= HELD_FLOWS * HELD_PACKETS);
            assertEquals(rtp, inStreams + t.replayed() + t.unannounced() + t.holding(), "every RTP datagram once");
        }
        t.sweep(micros);
        t.releaseHeld();
        assertEquals(
                started[0], t.streams() + t.evictions() + removed, "streams started = tracked + evicted + removed");
        assertEquals(rtp, inStreams + t.replayed() + t.unannounced(), "every RTP datagram in a stream or counted");
        assertEquals(t.held(), t.replayed() + t.unannounced(), "each held datagram replayed or released");
        for (int slot = 0; slot < MAX_STREAMS; slot++) {
            if (seen[slot]) check(t.stats(slot), t.srcPort(slot), t.dstPort(slot));
        }
    }

    /** Arrival steps: op bit 5 set = a 4-byte signed jump in ms, else a 1-byte signed step in ms. */
    private static long arrival(long micros, int op, byte[] data, int at) {
        long step = 0;
        if ((op & 0x20) != 0 && at + 4 <= data.length) {
            step = 1000L * RtpHeaderParser.u32(data, at) - 2_147_483_648_000L;
        } else if (at < data.length) {
            step = 1000L * data[at];
        }
        return Math.max(0, Math.min(MAX_MICROS, micros + step));
    }

    private static int steps(int op) {
        return (op & 0x20) != 0 ? 4 : 1;
    }

    private void check(RtpStreamStats s, int srcPort, int dstPort) throws IOException {
        assertTrue(s.lost() >= 0 && s.expected() >= 0 && s.duplicates() + s.outOfOrder() <= s.packets() - 1);
        for (double v :
                new double[] {s.maxDeltaMs(), s.meanDeltaMs(), s.jitterMs(), s.maxJitterMs(), s.meanJitterMs()}) {
            assertTrue(Double.isFinite(v), "figure " + v);
        }
        assertTrue(s.jitterMs() >= 0 && s.maxJitterMs() >= 0 && s.meanJitterMs() >= 0, "jitter below 0");
        JsonNode doc = JSON.readTree(report.write(s, "192.0.2.1", srcPort, "2001:db8::1", dstPort, -1, true)
                .toString());
        assertEquals(s.packets(), doc.get("packets").asLong());
        assertEquals(s.lost(), doc.get("lost").asLong());
        assertEquals(s.ssrc(), doc.get("ssrc").asLong());
        assertTrue(doc.get("mos").isNumber() && doc.get("final").asBoolean(), doc.toString());
    }

    private static byte[] v6(int last) {
        try {
            return java.net.InetAddress.getByName("2001:db8::" + Integer.toHexString(last))
                    .getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
