package org.heptap.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import org.heptap.core.message.Message;
import org.junit.jupiter.api.Test;

class ConsoleTransportTest {
    @Test
    void prints_the_ngrep_form() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleTransport t = new ConsoleTransport("console", true, out, ZoneOffset.UTC);
        Message m = new Message();
        m.reset();
        m.setTimestampMicros(1703707374240623L);
        m.setIpProtocol(17);
        m.setAddresses(4, new byte[] {10, 0, 0, 1}, 0, new byte[] {10, 0, 0, 2}, 0);
        m.setPorts(5060, 5062);
        byte[] p = "OPTIONS sip:a SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        m.setPayload(p, 0, p.length);
        t.send(m);
        t.drain(Duration.ZERO);
        assertEquals(
                "U 2023/12/27 20:02:54.240623 10.0.0.1:5060 -> 10.0.0.2:5062\nOPTIONS sip:a SIP/2.0\r\n\r\n\n",
                out.toString(StandardCharsets.US_ASCII));
        assertEquals(1L, t.counters().get("sent"));
    }

    @Test
    void silent_when_disabled() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleTransport t = new ConsoleTransport("console", false, out, ZoneOffset.UTC);
        Message m = new Message();
        m.reset();
        t.send(m);
        t.drain(Duration.ZERO);
        assertEquals(0, out.size());
    }

    @Test
    void a_message_with_a_summary_is_printed_as_that_one_line_and_the_next_message_as_usual() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleTransport t = new ConsoleTransport("console", true, out, ZoneOffset.UTC);
        Message m = new Message();
        m.reset();
        byte[] p = "{\"final\":true}".getBytes(StandardCharsets.US_ASCII);
        m.setPayload(p, 0, p.length);
        m.setSummary("stream 10.0.0.1:4000 -> 10.0.0.2:5000 lost 12");
        t.send(m);
        m.reset();
        m.setIpProtocol(17);
        m.setAddresses(4, new byte[] {10, 0, 0, 1}, 0, new byte[] {10, 0, 0, 2}, 0);
        m.setPayload(p, 0, p.length);
        t.send(m);
        t.drain(Duration.ZERO);
        String printed = out.toString(StandardCharsets.US_ASCII);
        assertEquals(
                "stream 10.0.0.1:4000 -> 10.0.0.2:5000 lost 12",
                printed.lines().findFirst().orElseThrow());
        assertEquals(
                1, printed.split("final", -1).length - 1, "the summed-up message's payload is not printed: " + printed);
        assertEquals(2L, t.counters().get("sent"));
    }
}
