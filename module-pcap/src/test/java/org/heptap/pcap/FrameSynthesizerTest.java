package org.heptap.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.heptap.core.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSynthesizerTest {
    @TempDir
    Path dir;

    private final FrameSynthesizer synth = new FrameSynthesizer();

    private static String sip(String callId) {
        return "OPTIONS sip:bob@example.org SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\n"
                + "From: <sip:alice@example.org>;tag=1\r\nTo: <sip:bob@example.org>\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    private static Message message(String src, String dst, int protocol, int sport, int dport, String payload)
            throws IOException {
        Message m = new Message();
        m.reset();
        byte[] s = InetAddress.getByName(src).getAddress();
        byte[] d = InetAddress.getByName(dst).getAddress();
        m.setAddresses(s.length == 16 ? 6 : 4, s, 0, d, 0);
        m.setIpProtocol(protocol);
        m.setPorts(sport, dport);
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        m.setPayload(p, 0, p.length);
        return m;
    }

    /** Writes each message as a synthesised frame, {@code i} seconds and 1 ns after 1.7e9 s. */
    private Path write(Message... messages) throws IOException {
        Path file = dir.resolve("synth.pcap");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
            PcapFileWriter w = new PcapFileWriter(os, FrameSynthesizer.LINK_TYPE, true);
            long t = 1_700_000_000_000_000_001L;
            for (Message m : messages) {
                int head = synth.synthesize(m);
                w.write(
                        t,
                        synth.headers(),
                        0,
                        head,
                        m.payload(),
                        m.payloadOffset(),
                        synth.payloadLength(),
                        head + m.payloadLength());
                t += 1_000_000_000L;
            }
        }
        return file;
    }

    private static final String[] CHECKED = {
        "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"
    };

    private static List<String> fields(Path file, String... fields) throws Exception {
        String[] args = new String[CHECKED.length + fields.length * 2];
        System.arraycopy(CHECKED, 0, args, 0, CHECKED.length);
        for (int i = 0; i < fields.length; i++) {
            args[CHECKED.length + 2 * i] = "-e";
            args[CHECKED.length + 2 * i + 1] = fields[i];
        }
        return Tshark.fields(file, args);
    }

    @Test
    void ipv4_udp_opens_as_sip_with_its_addresses_ports_time_and_good_checksums() throws Exception {
        Path f = write(message("192.0.2.1", "198.51.100.2", Message.IP_PROTO_UDP, 5060, 5080, sip("v4@x")));
        assertEquals(
                List.of("192.0.2.1\t198.51.100.2\t5060\t5080\tv4@x\t1700000000.000000001\t1\t1"),
                fields(
                        f,
                        "ip.src",
                        "ip.dst",
                        "udp.srcport",
                        "udp.dstport",
                        "sip.Call-ID",
                        "frame.time_epoch",
                        "ip.checksum.status",
                        "udp.checksum.status"));
    }

    @Test
    void ipv6_udp() throws Exception {
        Path f = write(message("2001:db8::1", "2001:db8::2", Message.IP_PROTO_UDP, 5062, 5064, sip("v6@x")));
        assertEquals(
                List.of("2001:db8::1\t2001:db8::2\t5062\t5064\tv6@x\t1"),
                fields(f, "ipv6.src", "ipv6.dst", "udp.srcport", "udp.dstport", "sip.Call-ID", "udp.checksum.status"));
    }

    @Test
    void tcp_messages_of_one_flow_follow_on_in_sequence() throws Exception {
        Message a = message("192.0.2.1", "192.0.2.2", Message.IP_PROTO_TCP, 40000, 5060, sip("t1@x"));
        int firstLength = a.payloadLength();
        Path f = write(
                a,
                message("192.0.2.1", "192.0.2.2", Message.IP_PROTO_TCP, 40000, 5060, sip("t2@x")),
                message("192.0.2.2", "192.0.2.1", Message.IP_PROTO_TCP, 5060, 40000, sip("t3@x")));
        assertEquals(
                List.of(
                        "t1@x\t1\t1\t",
                        "t2@x\t" + (1 + firstLength) + "\t1\t",
                        "t3@x\t1\t1\t"), // the other direction has a sequence of its own
                fields(f, "sip.Call-ID", "tcp.seq_raw", "tcp.checksum.status", "tcp.analysis.retransmission"));
    }

    @Test
    void a_message_without_an_ip_layer_is_written_from_and_to_0_0_0_0() throws Exception {
        Message m = new Message();
        m.reset();
        byte[] p = sip("noip@x").getBytes(StandardCharsets.UTF_8);
        m.setPayload(p, 0, p.length);
        m.setPorts(5060, 5060);
        assertEquals(List.of("0.0.0.0\t0.0.0.0\tnoip@x"), fields(write(m), "ip.src", "ip.dst", "sip.Call-ID"));
    }

    @Test
    void a_payload_too_large_for_one_packet_is_cut() throws Exception {
        Message m = message("192.0.2.1", "192.0.2.2", Message.IP_PROTO_UDP, 5060, 5060, "x".repeat(70_000));
        synth.synthesize(m);
        assertEquals(65_535 - 20 - 8, synth.payloadLength());
        assertEquals(List.of("65535\t1"), fields(write(m), "ip.len", "udp.checksum.status"));
    }
}
