package org.heptap.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.heptap.core.capture.Frame;
import org.heptap.core.decode.PacketDecoder;
import org.heptap.core.message.Message;
import org.heptap.core.spi.CallRecords;
import org.heptap.core.testing.TestFrames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the web page reads of the ring: its calls by filter, a call's SIP messages decoded from its frames, its pcap. */
class RingCallSourceTest {
    private final Ring ring = new Ring(
            RingSettings.read(
                    org.heptap.core.config.ConfigNode.parse(
                            new java.io.StringReader("size: 1MB\nmemory: 1MB\ncalls: 100\n"),
                            "heptap.yaml",
                            new org.heptap.core.config.Problems()),
                    Runtime.getRuntime().maxMemory()),
            false);
    private final RingCallSource source = new RingCallSource(() -> ring);
    private final PacketDecoder decoder = new PacketDecoder();
    private final Message m = new Message();
    private final Frame f = new Frame();
    private long micros = 1_700_000_000_000_000L;

    RingCallSourceTest() throws IOException {}

    @AfterEach
    void close() {
        ring.close();
    }

    /** Captures {@code payload} in a real Ethernet/IPv4/UDP frame (127.0.0.1:40000 to :50000) and records it. */
    private void capture(boolean v6, String payload) {
        byte[] frame = TestFrames.udp(v6, payload.getBytes(StandardCharsets.UTF_8));
        System.arraycopy(frame, 0, f.data, 0, frame.length);
        f.length = frame.length;
        f.wireLength = frame.length;
        f.linkType = 1;
        f.setTimeMicros(micros += 1000);
        decoder.decode(f, m, msg -> ring.recorder.record(msg, f));
    }

    private void call(String id, String from, String to) {
        capture(false, RingRecorderTest.invite(id, from, to, "10.0.0.1", 4000));
        capture(false, RingRecorderTest.response(200, id, "INVITE", "10.0.0.2", 6000));
        capture(false, RingRecorderTest.bye(id));
    }

    @Test
    void callsAreListedNewestFirstAndFilteredByTextNumberIdAndTime() {
        call("c1@x", "1001", "0611111111");
        long between = (micros + 500) * 1000;
        call("c2@x", "1002", "0622222222");
        List<CallRecords.Call> all = source.calls(CallRecords.Query.recent(10));
        assertEquals(
                List.of("c2@x", "c1@x"),
                all.stream().map(CallRecords.Call::callId).toList());
        CallRecords.Call c1 = all.get(1);
        assertEquals("1001", c1.from());
        assertEquals("0611111111", c1.to());
        assertEquals("ended", c1.state());
        assertEquals(3, c1.frames());
        assertEquals(1_700_000_000_001_000_000L, c1.startNanos());
        assertEquals(
                List.of("c1@x"), ids(new CallRecords.Query("0611", null, null, Long.MIN_VALUE, Long.MAX_VALUE, 10)));
        assertEquals(
                List.of("c2@x"), ids(new CallRecords.Query("C2@", null, null, Long.MIN_VALUE, Long.MAX_VALUE, 10)));
        assertEquals(
                List.of("c2@x"), ids(new CallRecords.Query(null, "1002", null, Long.MIN_VALUE, Long.MAX_VALUE, 10)));
        assertEquals(List.of(), ids(new CallRecords.Query(null, "100", null, Long.MIN_VALUE, Long.MAX_VALUE, 10)));
        assertEquals(
                List.of("c1@x"), ids(new CallRecords.Query(null, null, "c1@x", Long.MIN_VALUE, Long.MAX_VALUE, 10)));
        assertEquals(List.of("c2@x"), ids(new CallRecords.Query(null, null, null, between, Long.MAX_VALUE, 10)));
        assertEquals(List.of("c1@x"), ids(new CallRecords.Query(null, null, null, Long.MIN_VALUE, between, 10)));
        assertEquals(List.of("c2@x"), ids(CallRecords.Query.recent(1)));
    }

    private List<String> ids(CallRecords.Query q) {
        return source.calls(q).stream().map(CallRecords.Call::callId).toList();
    }

    @Test
    void aCallsMessagesAreItsSipInCaptureOrderWithAddressesAndTimes() {
        call("c1@x", "1001", "0611111111");
        capture(true, "\u0080\u0000not sip, not this call's media");
        call("c2@x", "1002", "0622222222");
        List<CallRecords.Exchange> msgs = source.messages("c1@x", 100);
        assertEquals(3, msgs.size());
        assertTrue(msgs.get(0).text().startsWith("INVITE sip:0611111111@example.org SIP/2.0\r\n"));
        assertTrue(msgs.get(0).text().endsWith("RTP/AVP 0\r\n"), "the whole message, body and all");
        assertTrue(msgs.get(1).text().startsWith("SIP/2.0 200 X"));
        assertTrue(msgs.get(2).text().startsWith("BYE"));
        assertEquals("127.0.0.1:40000", msgs.get(0).src());
        assertEquals("127.0.0.1:50000", msgs.get(0).dst());
        assertEquals("udp", msgs.get(0).transport());
        assertEquals(1_700_000_000_001_000_000L, msgs.get(0).timeNanos());
        assertEquals(2, source.messages("c1@x", 2).size(), "at most max");
        assertNull(source.messages("nope", 100));
    }

    @Test
    void ipv6AddressesAreBracketed() {
        capture(true, RingRecorderTest.invite("v6@x", "1", "2", "::1", 4000));
        assertEquals("[::1]:40000", source.messages("v6@x", 10).get(0).src());
    }

    @Test
    void theCallsPcapHoldsItsFramesOnly() throws IOException {
        call("c1@x", "1001", "0611111111");
        call("c2@x", "1002", "0622222222");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(source.pcap("c1@x", out));
        byte[] p = out.toByteArray();
        String text = new String(p, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("Call-ID: c1@x") && !text.contains("Call-ID: c2@x"), "c1's frames, not c2's");
        assertEquals(3, records(p), "INVITE, 200, BYE");
        assertFalse(source.pcap("nope", new ByteArrayOutputStream()));
    }

    /** The records of a pcap file, walked by their lengths to its exact end. */
    private static int records(byte[] pcap) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(pcap);
        b.order(
                b.getInt(0) == 0xa1b2c3d4 || b.getInt(0) == 0xa1b23c4d
                        ? java.nio.ByteOrder.BIG_ENDIAN
                        : java.nio.ByteOrder.LITTLE_ENDIAN);
        int n = 0;
        int at = 24;
        while (at < pcap.length) {
            at += 16 + b.getInt(at + 8);
            n++;
        }
        assertEquals(pcap.length, at);
        return n;
    }

    @Test
    void aSegmentWithTwoMessagesIsTwoAndABodyIsSizedByContentLength() {
        String one = "OPTIONS sip:a SIP/2.0\r\nContent-Length: 4\r\n\r\nabcd";
        String two = "SIP/2.0 200 OK\r\nl: 0\r\n\r\n";
        assertEquals(List.of(one, two), MessageSplitter.split(one + two));
        assertEquals(List.of("no head"), MessageSplitter.split("no head"));
        assertEquals(
                List.of("INVITE x SIP/2.0\r\nContent-Length: 99\r\n\r\ncut"),
                MessageSplitter.split("INVITE x SIP/2.0\r\nContent-Length: 99\r\n\r\ncut"));
    }
}
