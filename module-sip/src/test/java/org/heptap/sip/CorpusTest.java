package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser against tshark's view of the corpus (testdata/corpus/expected/&lt;capture&gt;.jsonl). */
class CorpusTest {
    private static final Path CORPUS = corpus();

    private final SipParser parser = new SipParser();
    private final SipMessage sip = new SipMessage();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sip-udp-v4.pcap",
                "sip-udp-v6.pcap",
                "sip-compact.pcap",
                "sip-methods.pcap",
                "aaa.pcap",
                "malformed.pcap",
                "rtcpxr-publish.pcap",
                "rtp-stat-headers.pcap",
                "sip-vlan.pcap",
                "sip-qinq.pcap",
                "sip-sll.pcap",
                "sip-sll2.pcap",
                "sip-udp-nsec.pcap",
                "sip-duplicates.pcap",
                "rtcp.pcap",
                "rtcp-nat.pcap"
            })
    void matches_tshark(String capture) throws IOException {
        List<TestPcap.Frame> frames = TestPcap.read(CORPUS.resolve(capture));
        List<String> lines = Files.readAllLines(CORPUS.resolve("expected").resolve(capture + ".jsonl"));
        assertFalse(lines.isEmpty());
        int checked = 0;
        for (String line : lines) {
            Map<String, Object> e = FlatJson.parse(line);
            if (!"udp".equals(e.get("transport")) || e.get("udp_payload_sha256") == null) continue;
            int frame = ((Long) e.get("frame")).intValue();
            byte[] payload = frames.get(frame - 1).udpPayload();
            String where = capture + " frame " + frame;
            assertNotNull(payload, where);
            assertEquals(e.get("udp_payload_sha256"), sha256(payload), where + ": test pcap reader");

            SipStatus status = parser.parse(payload, 0, payload.length, sip);
            String callId = (String) e.get("call_id");
            if (callId != null) {
                assertEquals(SipStatus.OK, status, where);
                assertEquals(callId, sip.callId(), where);
            } else {
                assertNotEquals(SipStatus.OK, status, where);
                assertFalse(sip.has(SipField.CALL_ID), where);
            }
            assertEquals(e.get("cseq"), sip.text(SipField.CSEQ), where);
            assertEquals(e.get("first_line"), sip.text(SipField.START_LINE), where);
            assertEquals(e.get("method"), sip.method(), where);
            Long code = (Long) e.get("status_code");
            assertEquals(code == null ? 0 : code.intValue(), sip.statusCode(), where);
            assertEquals(code == null, sip.isRequest(), where);
            checked++;
        }
        assertEquals(lines.size(), checked, capture + ": every expected message is a UDP payload");
    }

    @Test
    void malformed_frames_never_throw() throws IOException {
        SipMessage m = new SipMessage();
        int udp = 0;
        for (TestPcap.Frame f : TestPcap.read(CORPUS.resolve("malformed.pcap"))) {
            // whole frames too: link/IP headers are arbitrary bytes as far as the parser knows
            for (int off = 0; off < f.data().length; off++) parser.parse(f.data(), off, f.data().length - off, m);
            if (f.udpPayload() != null) {
                udp++;
                byte[] p = f.udpPayload();
                for (int cut = 0; cut <= p.length; cut++) {
                    parser.parse(p, 0, cut, m);
                    readEverything(m);
                }
            }
        }
        assertTrue(udp >= 10);
    }

    @Test
    void malformed_cases_have_the_expected_status() throws IOException {
        List<TestPcap.Frame> frames = TestPcap.read(CORPUS.resolve("malformed.pcap"));
        assertEquals(SipStatus.TRUNCATED, status(frames.get(1))); // 120 of 1242 bytes captured
        assertEquals(SipStatus.NOT_SIP, status(frames.get(6))); // empty UDP payload
        assertEquals(SipStatus.NOT_SIP, status(frames.get(7))); // random bytes
        assertEquals(SipStatus.NO_CALL_ID, status(frames.get(8))); // request line only
        assertEquals(SipStatus.OK, status(frames.get(9))); // Content-Length 99999
        assertTrue(sip.bodyTruncated());
        assertEquals(SipStatus.OK, status(frames.get(10))); // headers without colon
        assertEquals(3, sip.malformedLines());
        assertEquals(SipStatus.OK, status(frames.get(11))); // non-UTF-8 display name
        assertEquals(SipStatus.NO_CALL_ID, status(frames.get(17))); // "SIP/2.0 200" alone
        assertEquals(SipStatus.NOT_SIP, status(frames.get(18))); // CRLFCRLF keep-alive
    }

    private SipStatus status(TestPcap.Frame f) {
        byte[] p = f.udpPayload();
        return parser.parse(p, 0, p.length, sip);
    }

    @Test
    void rtcp_pcap_sdp_gives_the_rtcp_endpoints() throws IOException {
        Set<String> endpoints = new TreeSet<>();
        for (TestPcap.Frame f : TestPcap.read(CORPUS.resolve("rtcp.pcap"))) {
            byte[] p = f.udpPayload();
            if (p == null || parser.parse(p, 0, p.length, sip) != SipStatus.OK || !sip.hasSdp()) continue;
            for (int i = 0; i < sip.sdp().mediaCount(); i++) {
                endpoints.add(sip.sdp().rtcpAddress(i) + ":" + sip.sdp().rtcpPort(i)
                        + (sip.sdp().rtcpMux(i) ? " mux" : ""));
            }
        }
        assertEquals(
                Set.of("192.0.2.10:40011", "192.0.2.20:50001", "192.0.2.10:42000 mux", "192.0.2.20:52000 mux"),
                endpoints);
    }

    @Test
    void ipv6_sdp_in_the_corpus() throws IOException {
        int sdps = 0;
        for (TestPcap.Frame f : TestPcap.read(CORPUS.resolve("sip-udp-v6.pcap"))) {
            byte[] p = f.udpPayload();
            if (p == null || parser.parse(p, 0, p.length, sip) != SipStatus.OK || !sip.hasSdp()) continue;
            assertEquals(6, sip.sdp().rtcpAddressVersion(0));
            assertEquals(sip.sdp().mediaPort(0) + 1, sip.sdp().rtcpPort(0));
            sdps++;
        }
        assertEquals(20, sdps); // 10 calls: INVITE and 200 OK
    }

    @Test
    void user_agents_and_servers_of_sip_methods() throws IOException {
        Set<String> agents = new TreeSet<>();
        Set<String> servers = new TreeSet<>();
        for (TestPcap.Frame f : TestPcap.read(CORPUS.resolve("sip-methods.pcap"))) {
            byte[] p = f.udpPayload();
            if (p == null || parser.parse(p, 0, p.length, sip) != SipStatus.OK) continue;
            if (sip.has(SipField.USER_AGENT)) agents.add(sip.userAgent());
            if (sip.has(SipField.SERVER)) servers.add(sip.text(SipField.SERVER));
        }
        assertEquals(Set.of("AlphaPhone/2.1.0", "BetaGateway 7.4 (build 311)"), agents);
        assertEquals(Set.of("ExampleRegistrar/1.0"), servers);
    }

    @Test
    void rtcpxr_publish_report_call_id() throws IOException {
        byte[] p = TestPcap.read(CORPUS.resolve("rtcpxr-publish.pcap")).get(0).udpPayload();
        assertEquals(SipStatus.OK, parser.parse(p, 0, p.length, sip));
        assertEquals("6dg37f1890463@example.org", sip.text(SipField.RTCPXR_CALL_ID));
        assertEquals("pub-vq-0001@192.0.2.10", sip.callId());
    }

    @Test
    void rtp_stat_headers_are_reachable() throws IOException {
        HeaderName x = HeaderName.of("X-RTP-Stat");
        HeaderName rx = HeaderName.of("RTP-RxStat");
        int found = 0;
        for (TestPcap.Frame f : TestPcap.read(CORPUS.resolve("rtp-stat-headers.pcap"))) {
            byte[] p = f.udpPayload();
            if (p == null || parser.parse(p, 0, p.length, sip) != SipStatus.OK) continue;
            int i = sip.findHeader(x, 0);
            if (i >= 0) {
                assertTrue(sip.headerValue(i).startsWith("PS=6040;OS=966400"));
                found++;
            }
            if (sip.findHeader(rx, 0) >= 0) found++;
        }
        assertEquals(3, found);
    }

    /** Every getter, so a bad offset anywhere would throw. */
    static void readEverything(SipMessage m) {
        m.toString();
        for (SipField f : SipField.values()) {
            m.text(f);
            m.startsWith(f, new byte[] {'a'});
            m.endsWith(f, new byte[] {'a'});
        }
        for (int i = 0; i < m.headerCount(); i++) {
            m.headerName(i);
            m.headerValue(i);
            m.headerId(i);
        }
        m.header("X-Foo");
        m.header("i");
        Sdp s = m.sdp();
        s.toString();
        s.sessionAddress();
        for (int i = 0; i < s.mediaCount(); i++) {
            s.mediaType(i);
            s.mediaProtocol(i);
            s.address(i);
            s.rtcpAddress(i);
            s.rtcpPort(i);
            s.rtcpAttributePort(i);
            s.addressVersion(i);
            s.rtcpAddressVersion(i);
        }
    }

    /** The repository's {@code testdata/corpus} ({@code heptap.testdata}, set by surefire). */
    static Path corpus() {
        Path configured =
                Path.of(System.getProperty("heptap.testdata", "../testdata")).resolve("corpus");
        if (Files.isRegularFile(configured.resolve("MANIFEST.json"))) return configured;
        throw new IllegalStateException(
                "corpus not found: set -Dheptap.testdata (tried " + configured.toAbsolutePath() + ")");
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
