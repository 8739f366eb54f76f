package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heptap.core.message.Message;
import org.heptap.core.spi.Transport;
import org.heptap.sip.CallRoundTrips;
import org.heptap.sip.Sdp;
import org.heptap.sip.SdpParser;
import org.junit.jupiter.api.Test;

/**
 * One socket's RTP analysis: SDP announcements handed over from the SIP side start streams,
 * interval reports every interval, one final report per stream when its call's BYE grace is
 * over, when it times out, or at the end of input; media nobody announced is only counted.
 */
class RtpAnalyserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long S = 1_000_000;
    private static final long T0 = 1_700_000_000L * S;

    /** What a transport was given: HEP type, correlation id, MOS chunk and the JSON. */
    private record Sent(int type, String correlation, int mosChunk, JsonNode doc) {}

    private final List<Sent> sent = new ArrayList<>();
    private final Transport recorder = new Transport() {
        @Override
        public String name() {
            return "rec";
        }

        @Override
        public String describe() {
            return "records";
        }

        @Override
        public boolean send(Message m) {
            int mos = -1;
            for (int i = 0; i < m.numberCount(); i++) if (m.numberKey(i) == 0x20) mos = m.numberValue(i);
            try {
                sent.add(new Sent(
                        m.protocolType(),
                        m.correlationIdString(),
                        mos,
                        JSON.readTree(new String(
                                m.payload(), m.payloadOffset(), m.payloadLength(), StandardCharsets.UTF_8))));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return true;
        }

        @Override
        public boolean drain(Duration timeout) {
            return true;
        }

        @Override
        public void close() {}

        @Override
        public Map<String, Long> counters() {
            return Map.of();
        }
    };

    private final RtpQuality quality = new RtpQuality();
    private final CallRoundTrips roundTrips = new CallRoundTrips();
    private final List<StreamQuality> finals = new ArrayList<>();
    private final Message m = new Message();
    private final byte[] pkt = new byte[172];

    private RtpAnalyser analyser(RtpSettings settings) {
        RtpAnalyser a = new RtpAnalyser("rtp", settings, quality, roundTrips);
        a.addDestination("rec", recorder);
        quality.addFinalReportListener(finals::add);
        return a;
    }

    private static RtpSettings settings(Duration interval, Duration timeout, Duration grace) {
        RtpSettings d = RtpSettings.defaults();
        return new RtpSettings(64, 64, interval, timeout, grace, false, 16);
    }

    private static byte[] ip(String s) throws Exception {
        return InetAddress.getByName(s).getAddress();
    }

    private static Announcement sdp(String callId, long micros, String addr, int port) {
        String text = String.join(
                        "\r\n",
                        "v=0",
                        "o=- 1 1 IN IP4 " + addr,
                        "s=-",
                        "c=IN IP4 " + addr,
                        "t=0 0",
                        "m=audio " + port + " RTP/AVP 0",
                        "")
                + "\r\n";
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        Sdp parsed = new Sdp();
        assertTrue(SdpParser.parse(b, 0, b.length, parsed));
        return SdpAnnouncer.announcement(parsed, callId, micros);
    }

    /** A G.711 packet of 20 ms, sequence {@code seq}, at {@code micros}. */
    private int packet(RtpAnalyser a, String src, int sport, String dst, int dport, long ssrc, int seq, long micros)
            throws Exception {
        fill(ssrc, seq);
        return send(a, ip(src), sport, ip(dst), dport, micros);
    }

    /** The packet in {@link #pkt} as a new message. */
    private int send(RtpAnalyser a, byte[] src, int sport, byte[] dst, int dport, long micros) {
        m.reset();
        m.setTimestampMicros(micros);
        m.setAddresses(4, src, 0, dst, 0);
        m.setIpProtocol(Message.IP_PROTO_UDP);
        m.setPorts(sport, dport);
        m.setPayload(pkt, 0, pkt.length);
        return a.analyse(m);
    }

    private void fill(long ssrc, int seq) {
        pkt[0] = (byte) 0x80;
        pkt[1] = 0;
        pkt[2] = (byte) (seq >> 8);
        pkt[3] = (byte) seq;
        long ts = 160L * seq;
        pkt[4] = (byte) (ts >> 24);
        pkt[5] = (byte) (ts >> 16);
        pkt[6] = (byte) (ts >> 8);
        pkt[7] = (byte) ts;
        pkt[8] = (byte) (ssrc >> 24);
        pkt[9] = (byte) (ssrc >> 16);
        pkt[10] = (byte) (ssrc >> 8);
        pkt[11] = (byte) ssrc;
    }

    private static Map<String, Long> counters(RtpAnalyser a) {
        Map<String, Long> c = new HashMap<>();
        a.addCounters(c);
        return c;
    }

    @Test
    void interval_reports_then_one_final_report_after_the_bye_grace() throws Exception {
        RtpAnalyser a = analyser(settings(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5)));
        a.queue().offer(sdp("call-a", T0, "192.0.2.10", 40000));
        a.queue().offer(sdp("call-a", T0, "192.0.2.20", 50000));
        long t = T0;
        int seq = 0;
        // 25 s of media from 192.0.2.10:40000 to 192.0.2.20:50000, the socket's timer every second
        for (; t < T0 + 25 * S; t += 20_000) {
            assertEquals(1, packet(a, "192.0.2.10", 40000, "192.0.2.20", 50000, 7, seq++, t));
            if ((t - T0) % S == 0) a.tick(t);
        }
        assertEquals(2, sent.size(), "interval reports at 10 s and 20 s: " + sent);
        for (Sent s : sent) {
            assertEquals(34, s.type());
            assertEquals("call-a", s.correlation());
            assertFalse(s.doc().get("final").asBoolean());
            assertEquals(Math.round(s.doc().get("mos").asDouble() * 100), s.mosChunk());
        }
        a.queue().offer(Announcement.bye("call-a", t));
        a.tick(t + 4 * S);
        assertEquals(2, sent.size(), "still within the grace");
        a.tick(t + 5 * S);
        assertEquals(3, sent.size());
        JsonNode last = sent.get(2).doc();
        assertTrue(last.get("final").asBoolean());
        assertEquals(seq, last.get("packets").asInt());
        assertEquals(0, last.get("lost").asInt());
        assertEquals("192.0.2.10", last.get("src_ip").asText());
        assertEquals(50000, last.get("dst_port").asInt());
        assertEquals(7, last.get("ssrc").asLong());
        assertEquals("PCMU", last.get("codec").asText());
        assertEquals("call-a", last.get("call_id").asText());
        assertTrue(last.get("mos").asDouble() > 4.3 && last.get("mos").asDouble() < 4.5, last.toString());
        assertEquals(1, finals.size());
        assertEquals(seq, finals.get(0).packets());
        // the call's endpoints are forgotten with it: later media is not analysed
        assertEquals(-1, packet(a, "192.0.2.10", 40000, "192.0.2.20", 50000, 7, seq, t + 6 * S));
        a.endOfInput(t + 7 * S);
        assertEquals(3, sent.size(), "no stream left to report");
    }

    @Test
    void a_silent_stream_times_out_and_the_end_of_input_ends_the_rest() throws Exception {
        RtpAnalyser a = analyser(settings(Duration.ofSeconds(60), Duration.ofSeconds(3), Duration.ofSeconds(5)));
        a.queue().offer(sdp("call-b", T0, "192.0.2.20", 50000));
        for (int i = 0; i < 10; i++) {
            packet(a, "192.0.2.10", 40000, "192.0.2.20", 50000, 1, i, T0 + i * 20_000L);
            packet(a, "192.0.2.20", 50000, "192.0.2.10", 40000, 2, i, T0 + i * 20_000L);
        }
        // SSRC 2 goes on, SSRC 1 falls silent
        for (int i = 10; i < 200; i++) packet(a, "192.0.2.20", 50000, "192.0.2.10", 40000, 2, i, T0 + i * 20_000L);
        a.tick(T0 + 3 * S);
        assertEquals(0, sent.size(), "silent for 2.8 s only");
        a.tick(T0 + 4 * S);
        assertEquals(1, sent.size());
        assertEquals(1, sent.get(0).doc().get("ssrc").asLong());
        assertTrue(sent.get(0).doc().get("final").asBoolean());
        a.endOfInput(T0 + 4 * S + 1);
        assertEquals(2, sent.size());
        assertEquals(2, sent.get(1).doc().get("ssrc").asLong());
        assertEquals(200, sent.get(1).doc().get("packets").asInt());
        assertEquals(2L, counters(a).get("final-reports"));
    }

    /** A full table evicts its oldest stream: that stream still gets its final report, flagged. */
    @Test
    void a_stream_evicted_from_the_full_table_gets_a_final_report_saying_so() throws Exception {
        RtpAnalyser a = analyser(new RtpSettings(
                2, 64, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(5), false, 16));
        a.queue().offer(sdp("call-f", T0, "192.0.2.20", 50000));
        for (int i = 0; i < 30; i++) packet(a, "192.0.2.10", 40000, "192.0.2.20", 50000, 1, i, T0 + i * 20_000L);
        for (int i = 0; i < 20; i++) packet(a, "192.0.2.11", 40000, "192.0.2.20", 50000, 2, i, T0 + i * 20_000L);
        assertEquals(List.of(), sent);
        // a third stream: the first (the oldest) makes room, reported as it was
        assertEquals(1, packet(a, "192.0.2.12", 40000, "192.0.2.20", 50000, 3, 0, T0 + S));
        assertEquals(1, sent.size(), sent.toString());
        JsonNode evicted = sent.get(0).doc();
        assertEquals(1, evicted.get("ssrc").asLong());
        assertEquals(30, evicted.get("packets").asInt());
        assertEquals("192.0.2.10", evicted.get("src_ip").asText());
        assertEquals("call-f", evicted.get("call_id").asText());
        assertTrue(evicted.get("final").asBoolean());
        assertTrue(evicted.get("evicted").asBoolean(), evicted.toString());
        assertEquals(List.of(1L), finals.stream().map(StreamQuality::ssrc).toList(), "final-report listeners told");
        Map<String, Long> c = counters(a);
        assertEquals(1L, c.get("streams-evicted"));
        assertEquals(1L, c.get("final-reports"));
        assertEquals(0L, c.get("streams-ended"));
        // the streams that ended normally say nothing of eviction
        a.endOfInput(T0 + 2 * S);
        assertEquals(3, sent.size());
        for (Sent s : sent.subList(1, 3))
            assertFalse(s.doc().has("evicted"), s.doc().toString());
        assertEquals(3L, counters(a).get("final-reports"));
    }

    @Test
    void media_no_sdp_announced_is_only_counted() throws Exception {
        RtpAnalyser a = analyser(RtpSettings.defaults());
        a.queue().offer(sdp("call-c", T0, "192.0.2.20", 50000));
        assertEquals(-1, packet(a, "198.51.100.7", 30000, "198.51.100.8", 30002, 9, 1, T0));
        m.setPayload("INVITE".getBytes(StandardCharsets.US_ASCII), 0, 6);
        assertEquals(-1, a.analyse(m), "not RTP");
        a.endOfInput(T0 + S);
        assertEquals(List.of(), sent);
        Map<String, Long> c = counters(a);
        assertEquals(1L, c.get("unannounced"));
        assertEquals(1L, c.get("not-rtp"));
        assertEquals(0L, c.get("streams-started"));
    }

    /**
     * Packet {@code i} of a stream with some of everything the figures count: arrival jitter,
     * a lost packet (50), two swapped (60, 61), a talkspurt (marker on 30).
     */
    private int early(RtpAnalyser a, int i) throws Exception {
        int seq = i == 60 ? 61 : i == 61 ? 60 : i;
        if (seq == 50) return 0;
        long micros = T0 + 20_000L * i + (i * 7_919L) % 5_000;
        fill(5, seq);
        pkt[1] = (byte) (seq == 30 ? 0x80 : 0);
        int r = send(a, ip("192.0.2.10"), 40000, ip("192.0.2.20"), 50000, micros);
        pkt[1] = 0;
        return r;
    }

    /**
     * Live, the first packets of a stream may beat its SDP across the capture threads: held, and
     * replayed into the stream when the SDP comes, they give the figures of the SDP-first case.
     */
    @Test
    void rtp_before_its_sdp_within_the_window_is_analysed_as_if_the_sdp_came_first() throws Exception {
        RtpAnalyser first = analyser(RtpSettings.defaults());
        first.queue().offer(sdp("call-g", T0, "192.0.2.20", 50000));
        for (int i = 0; i < 150; i++) early(first, i);
        first.endOfInput(T0 + 4 * S);
        assertEquals(1, sent.size(), sent.toString());
        JsonNode sdpFirst = sent.remove(0).doc();
        assertEquals(149, sdpFirst.get("packets").asInt(), sdpFirst.toString());
        assertEquals(1, sdpFirst.get("lost").asInt(), sdpFirst.toString());

        RtpAnalyser late = analyser(RtpSettings.defaults());
        for (int i = 0; i < 12; i++) assertEquals(-1, early(late, i), "held: no SDP yet");
        Map<String, Long> c = counters(late);
        assertEquals(12L, c.get("held-now"), c.toString());
        assertEquals(0L, c.get("unannounced"), c.toString());
        late.queue().offer(sdp("call-g", T0 + 240_000, "192.0.2.20", 50000));
        for (int i = 12; i < 150; i++) early(late, i);
        late.endOfInput(T0 + 4 * S);
        assertEquals(1, sent.size(), sent.toString());
        assertEquals(sdpFirst, sent.get(0).doc(), "the same report as with the SDP first");
        c = counters(late);
        assertEquals(149L, c.get("rtp-packets"), c.toString());
        assertEquals(12L, c.get("held"), c.toString());
        assertEquals(12L, c.get("held-replayed"), c.toString());
        assertEquals(0L, c.get("held-now"), c.toString());
        assertEquals(0L, c.get("unannounced"), c.toString());
        assertEquals(1L, c.get("streams-started"), c.toString());
    }

    /** A flow that stops before its SDP comes still gets its stream, started on the timer. */
    @Test
    void a_held_flow_that_sent_nothing_since_its_sdp_is_started_on_the_timer() throws Exception {
        RtpAnalyser a = analyser(RtpSettings.defaults());
        for (int i = 0; i < 10; i++) packet(a, "192.0.2.10", 40000, "192.0.2.20", 50000, 4, i, T0 + i * 20_000L);
        a.queue().offer(sdp("call-h", T0 + S / 2, "192.0.2.20", 50000));
        a.tick(T0 + S);
        assertEquals(1, quality.activeCalls().size(), "the stream is measured");
        assertEquals(10, quality.activeCalls().get(0).streams().get(0).packets());
        a.endOfInput(T0 + 2 * S);
        assertEquals(10, sent.get(0).doc().get("packets").asInt(), sent.toString());
        assertEquals(T0, sent.get(0).doc().get("start").asLong(), "from its first (held) packet");
        assertEquals(10L, counters(a).get("held-replayed"));
    }

    /** Held packets older than the window when their SDP comes are counted as unannounced, as before. */
    @Test
    void rtp_whose_sdp_comes_after_the_window_is_counted_unannounced() throws Exception {
        RtpAnalyser a = analyser(settings(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(5)));
        for (int i = 0; i < 20; i++) packet(a, "192.0.2.10", 40000, "192.0.2.20", 50000, 6, i, T0 + i * 20_000L);
        // the SDP comes 3 s after the first packet, 2.6 s after the last: all of them waited too long
        a.queue().offer(sdp("call-i", T0 + 3 * S, "192.0.2.20", 50000));
        for (int i = 150; i < 160; i++)
            assertEquals(1, packet(a, "192.0.2.10", 40000, "192.0.2.20", 50000, 6, i, T0 + i * 20_000L));
        Map<String, Long> c = counters(a);
        assertEquals(20L, c.get("unannounced"), c.toString());
        assertEquals(10L, c.get("rtp-packets"), c.toString());
        assertEquals(0L, c.get("held-replayed"), c.toString());
        assertEquals(0L, c.get("held-now"), c.toString());
        a.endOfInput(T0 + 4 * S);
        assertEquals(10, sent.get(0).doc().get("packets").asInt(), sent.toString());

        // and on the timer: a flow nobody announces is released once the window is over
        for (int i = 0; i < 5; i++) packet(a, "198.51.100.7", 30000, "198.51.100.8", 30002, 9, i, T0 + 5 * S + i);
        a.tick(T0 + 6 * S);
        assertEquals(5L, counters(a).get("held-now"), "within the window");
        a.tick(T0 + 8 * S);
        c = counters(a);
        assertEquals(0L, c.get("held-now"), c.toString());
        assertEquals(25L, c.get("unannounced"), c.toString());
    }

    /** Fabricated flows only evict one another: the hold table stays at its limit, each eviction counted. */
    @Test
    void a_full_hold_table_evicts_its_oldest_flow_whose_packets_are_then_unannounced() throws Exception {
        RtpAnalyser a = analyser(new RtpSettings(
                64,
                64,
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                false,
                16,
                Duration.ofSeconds(2),
                4,
                2));
        long t = T0;
        for (int flow = 0; flow < 3; flow++) {
            // 6 packets, 4 held per flow: the first 2 pushed out
            for (int i = 0; i < 6; i++) {
                t += 1_000;
                packet(a, "192.0.2.1" + flow, 40000, "192.0.2.20", 50000, 10 + flow, i, t);
            }
        }
        Map<String, Long> c = counters(a);
        assertEquals(18L, c.get("held"), c.toString());
        assertEquals(1L, c.get("held-flows-evicted"), "the third flow took the first's place");
        assertEquals(8L, c.get("held-now"), c.toString());
        assertEquals(10L, c.get("unannounced"), "2 + 2 pushed out of the first two, the first's 4 evicted");
        // the SDP: the evicted flow's stream starts with its next packet, the held ones with theirs
        a.queue().offer(sdp("call-j", t, "192.0.2.20", 50000));
        for (int flow = 0; flow < 3; flow++) packet(a, "192.0.2.1" + flow, 40000, "192.0.2.20", 50000, 10 + flow, 6, t);
        a.endOfInput(t + S);
        List<Integer> packets = new ArrayList<>();
        for (Sent s : sent) packets.add(s.doc().get("packets").asInt());
        packets.sort(null);
        assertEquals(List.of(1, 5, 5), packets, sent.toString());
        c = counters(a);
        assertEquals(11L, c.get("rtp-packets"), c.toString());
        assertEquals(8L, c.get("held-replayed"), c.toString());
        assertEquals(21L, c.get("rtp-packets") + c.get("unannounced") + c.get("held-now"), "every packet once");
    }

    /** The same clean stream with and without a round trip the call's RTCP measured. */
    @Test
    void a_known_round_trip_is_reported_and_costs_mos() throws Exception {
        RtpAnalyser a = analyser(RtpSettings.defaults());
        a.queue().offer(sdp("near", T0, "192.0.2.20", 50000));
        a.queue().offer(sdp("far", T0, "192.0.2.21", 50000));
        for (int i = 0; i < 100; i++) {
            packet(a, "192.0.2.10", 40000, "192.0.2.20", 50000, 1, i, T0 + i * 20_000L);
            packet(a, "192.0.2.10", 40000, "192.0.2.21", 50000, 2, i, T0 + i * 20_000L);
        }
        roundTrips.put("far", 600);
        a.endOfInput(T0 + S);
        JsonNode near = sent.get(0).doc().get("call_id").asText().equals("near")
                ? sent.get(0).doc()
                : sent.get(1).doc();
        JsonNode far =
                near == sent.get(0).doc() ? sent.get(1).doc() : sent.get(0).doc();
        assertFalse(near.get("delay_known").asBoolean());
        assertFalse(near.has("rtt_ms"));
        assertTrue(far.get("delay_known").asBoolean());
        assertEquals(600.0, far.get("rtt_ms").asDouble());
        assertTrue(far.get("mos").asDouble() < near.get("mos").asDouble(), far + " vs " + near);
    }

    @Test
    void a_full_handoff_drops_announcements_and_counts_them() {
        AnnouncementQueue q = new AnnouncementQueue(2);
        assertFalse(q.pending());
        assertTrue(q.offer(Announcement.bye("1", 0)));
        assertTrue(q.offer(Announcement.bye("2", 0)));
        assertFalse(q.offer(Announcement.bye("3", 0)));
        assertEquals(1, q.dropped());
        assertTrue(q.pending());
        assertEquals("1", q.poll().callId);
        assertEquals("2", q.poll().callId);
        assertFalse(q.pending());
        assertEquals(null, q.poll());
    }

    @Test
    void the_snapshot_groups_active_streams_by_call() throws Exception {
        RtpAnalyser a = analyser(RtpSettings.defaults());
        a.queue().offer(sdp("call-d", T0, "192.0.2.10", 40000));
        a.queue().offer(sdp("call-d", T0, "192.0.2.20", 50000));
        for (int i = 0; i < 50; i++) {
            packet(a, "192.0.2.10", 40000, "192.0.2.20", 50000, 1, i, T0 + i * 20_000L);
            packet(a, "192.0.2.20", 50000, "192.0.2.10", 40000, 2, i, T0 + i * 20_000L);
        }
        a.tick(T0 + S);
        List<CallQuality> calls = quality.activeCalls();
        assertEquals(1, calls.size());
        assertEquals("call-d", calls.get(0).callId());
        assertEquals(2, calls.get(0).streams().size());
        assertEquals(50, calls.get(0).streams().get(0).packets());
        a.endOfInput(T0 + 2 * S);
        assertEquals(List.of(), quality.activeCalls());
    }

    /** Media no SDP announced (yet) is held without allocating, in a full hold table too. */
    @Test
    void holding_a_packet_allocates_nothing() throws Exception {
        RtpAnalyser a = analyser(RtpSettings.defaults());
        byte[] src = ip("198.51.100.7");
        byte[] dst = ip("198.51.100.8");
        int[] n = {0};
        Runnable tenThousand = () -> {
            for (int i = 0; i < 10_000; i++, n[0]++) {
                // 4,000 flows through 1,024 places: evictions all along
                fill(n[0] % 4_000, n[0] / 4_000);
                send(a, src, 40000 + n[0] % 4_000, dst, 50000, T0 + n[0]);
            }
        };
        packet(a, "192.0.2.10", 40000, "192.0.2.20", 50000, 3, 0, T0);
        long bytes = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3; attempt++) bytes = Math.min(bytes, Allocations.measure(tenThousand));
        assertTrue(bytes < 1000, bytes + " bytes for 10,000 packets");
        assertTrue(counters(a).get("held-flows-evicted") > 0, counters(a).toString());
    }

    @Test
    void analysing_a_packet_allocates_nothing() throws Exception {
        RtpAnalyser a = analyser(RtpSettings.defaults());
        a.queue().offer(sdp("call-e", T0, "192.0.2.20", 50000));
        packet(a, "192.0.2.10", 40000, "192.0.2.20", 50000, 3, 0, T0);
        m.reset();
        m.setAddresses(4, ip("192.0.2.10"), 0, ip("192.0.2.20"), 0);
        m.setIpProtocol(Message.IP_PROTO_UDP);
        m.setPorts(40000, 50000);
        m.setPayload(pkt, 0, pkt.length);
        int[] seq = {1};
        Runnable tenThousand = () -> {
            for (int i = 0; i < 10_000; i++) {
                fill(3, seq[0]);
                m.setTimestampMicros(T0 + 20_000L * seq[0]++);
                a.analyse(m);
            }
        };
        // the least of three measurements: a deoptimisation on a loaded machine re-materialises
        // objects escape analysis had removed, once, while a per-packet allocation shows every time
        long bytes = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3; attempt++) bytes = Math.min(bytes, Allocations.measure(tenThousand));
        // a per-packet allocation would cost at least 16 bytes x 10,000; what is left is the JVM's noise
        assertTrue(bytes < 1000, bytes + " bytes for 10,000 packets");
    }
}
