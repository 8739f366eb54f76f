package org.heptap.hep.transport;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringReader;
import java.util.List;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.Transport;
import org.heptap.hep.codec.HepSettings;
import org.heptap.hep.transport.HepTransportProvider.ProfileSettings;
import org.heptap.transport.Collector;
import org.heptap.transport.CollectorGroup;
import org.heptap.transport.StreamConfig;
import org.heptap.transport.StreamSender;
import org.heptap.transport.UdpConfig;
import org.heptap.transport.UdpConfig.NativeMode;
import org.junit.jupiter.api.Test;

class HepTransportProviderTest {
    private static final AgentContext AGENT = new AgentContext(2002, "agent-1", false);

    private final Problems problems = new Problems();
    private final HepTransportProvider provider = new HepTransportProvider();

    /** The profile {@code transports.hepsocket} of a heptap.yaml, with name/type already read as core does. */
    private ConfigNode profile(String body) {
        String yaml = "transports:\n  hepsocket:\n    type: hep\n" + body.indent(4);
        ConfigNode p = ConfigNode.parse(new StringReader(yaml), "heptap.yaml", problems)
                .section("transports")
                .section("hepsocket");
        p.string("type", null);
        return p;
    }

    private UdpConfig config(String body) {
        ProfileSettings ps = settings(body);
        return ps == null ? null : (UdpConfig) ps.collectors().get(0);
    }

    private ProfileSettings settings(String body) {
        ConfigNode p = profile(body);
        ProfileSettings ps = HepTransportProvider.readProfile("hepsocket", p, AGENT);
        p.finish();
        return ps;
    }

    private List<String> errorsOf(String body) {
        Transport t = provider.create("hepsocket", profile(body), AGENT);
        assertNull(t, "profile with errors must not give a transport");
        return problems.errors();
    }

    @Test
    void typeIsHep() {
        assertEquals("hep", provider.type());
    }

    @Test
    void defaults() {
        ProfileSettings ps = settings("");
        UdpConfig c = (UdpConfig) ps.collectors().get(0);
        assertEquals(List.of(), problems.errors());
        assertEquals("127.0.0.1", c.host());
        assertEquals(9060, c.port());
        assertEquals(new HepSettings(3, 2002, null, "agent-1", false), ps.hep());
        assertEquals(65536, c.queueSize());
        assertTrue(c.batch());
        assertEquals(NativeMode.AUTO, c.nativeMode());
    }

    @Test
    void everyKey() {
        ProfileSettings ps = settings("""
                host: collector.example.com
                port: 9061
                proto: udp
                version: 3
                capture-id: 2001
                password: myhep
                node-name: ""
                compress: true
                queue-size: 1024
                batch: false
                native: false
                """);
        assertEquals(List.of(), problems.errors());
        assertEquals(
                List.of(new UdpConfig("collector.example.com", 9061, 1024, false, NativeMode.FALSE)), ps.collectors());
        assertEquals(new HepSettings(3, 2001, "myhep", "", true), ps.hep());
    }

    @Test
    void bracketedIpv6Host() {
        assertEquals("::1", config("host: \"[::1]\"").host());
    }

    @Test
    void createGivesATransportWithItsDescription() {
        Transport t =
                provider.create("hepsocket", profile("capture-id: 2001\nnode-name: \"\"\npassword: secret"), AGENT);
        assertEquals(List.of(), problems.errors());
        assertEquals("hepsocket", t.name());
        assertEquals("hep v3 udp 127.0.0.1:9060 capture-id 2001", t.describe());
        t.close();
    }

    @Test
    void portOutOfRange() {
        assertEquals(
                List.of("heptap.yaml:4: transports.hepsocket.port: 70000 is not a port (1-65535)"),
                errorsOf("port: 70000"));
    }

    @Test
    void tcpGivesAStreamTransportWithItsSettings() {
        Transport t = provider.create("hepsocket", profile("""
                proto: tcp
                host: collector
                port: 9061
                connect-timeout: 2s
                reconnect-min: 100ms
                reconnect-max: 10s
                keepalive: false
                send-buffer: 65536
                spool: {dir: /tmp/heptap-spool, max-size: 1MB}
                """), AGENT);
        assertEquals(List.of(), problems.errors());
        StreamConfig c = ((StreamSender) t).config();
        assertEquals("tcp:collector:9061", c.target());
        assertEquals(java.time.Duration.ofSeconds(2), c.connectTimeout());
        assertEquals(java.time.Duration.ofMillis(100), c.reconnectMin());
        assertFalse(c.keepalive());
        assertEquals(65536, c.sendBuffer());
        assertEquals(java.nio.file.Path.of("/tmp/heptap-spool/hepsocket-tcp-collector-9061"), c.spoolDir());
        assertEquals(1 << 20, c.spoolMax());
    }

    @Test
    void hepV1AndV2AreRefusedOnStreams() {
        List<String> e = errorsOf("proto: tcp\nversion: 2");
        assertEquals(1, e.size());
        assertTrue(
                e.get(0)
                        .startsWith(
                                "heptap.yaml:5: transports.hepsocket.version: HEP v2 cannot be sent over tcp or tls"),
                e.get(0));
    }

    @Test
    void tlsWithoutModuleTlsIsAConfigError() {
        List<String> e = errorsOf("proto: tls");
        assertTrue(e.get(0).contains("proto tls needs module-tls"), e.get(0));
    }

    @Test
    void collectorListWithFailover() {
        Transport t = provider.create(
                "hepsocket",
                profile("collectors: [\"tcp:a:9060\", \"udp:[::1]:9062\", \"b\"]\nmode: failover\nport: 9063"),
                AGENT);
        assertEquals(List.of(), problems.errors());
        CollectorGroup p = (CollectorGroup) t;
        assertEquals(CollectorGroup.Mode.FAILOVER, p.mode());
        assertEquals(
                List.of("tcp:a:9060", "udp:[::1]:9062", "udp:b:9063"),
                p.collectors().stream().map(Collector::target).toList());
    }

    @Test
    void badCollectorText() {
        List<String> e = errorsOf("collectors: [\"tcp:a:notaport\"]");
        assertTrue(e.get(0).contains("is not a collector: write proto:host:port"), e.get(0));
    }

    @Test
    void unknownProto() {
        List<String> e = errorsOf("proto: sctp");
        assertTrue(e.get(0).contains("sctp is not one of udp, tcp, tls"), e.get(0));
    }

    @Test
    void compressNeedsV3() {
        List<String> e = errorsOf("version: 2\ncompress: true");
        assertEquals(
                List.of(
                        "heptap.yaml:5: transports.hepsocket.compress: needs version 3 (HEP v2 has no compressed payload chunk)"),
                e);
    }

    @Test
    void versionOutOfRange() {
        assertEquals(
                List.of("heptap.yaml:4: transports.hepsocket.version: 4 is out of range (1-3)"),
                errorsOf("version: 4"));
    }

    @Test
    void captureIdIsUint32() {
        assertTrue(errorsOf("capture-id: 4294967296").get(0).contains("capture-id: 4294967296 is out of range"));
    }

    @Test
    void v2WarnsThatCaptureIdIsTruncated() {
        UdpConfig c = config("version: 2\ncapture-id: 70000");
        assertNotNull(c);
        assertEquals(
                List.of(
                        "heptap.yaml:5: warning: transports.hepsocket.capture-id: capture-id 70000 is sent as 4464 (HEP v2 carries 16 bits)"),
                problems.warnings());
    }

    @Test
    void unknownKey() {
        List<String> e = errorsOf("hots: 10.0.0.1");
        assertEquals(1, e.size());
        assertTrue(e.get(0).startsWith("heptap.yaml:4: transports.hepsocket.hots: unknown key"), e.get(0));
    }

    @Test
    void captagentKeyNamesPointToHeptapsOnes() {
        assertEquals(
                List.of(
                        "heptap.yaml:4: transports.hepsocket.capture-host: unknown key: this is captagent's name; heptap's is host",
                        "heptap.yaml:5: transports.hepsocket.payload-compression: unknown key: this is captagent's name; heptap's is compress"),
                errorsOf("capture-host: 10.0.0.1\npayload-compression: true").stream()
                        .sorted()
                        .toList());
    }

    @Test
    void badNativeValue() {
        assertTrue(errorsOf("native: maybe").get(0).contains("maybe is not one of auto, true, false"));
    }

    @Test
    void queueSizeBounds() {
        assertTrue(errorsOf("queue-size: 1").get(0).contains("queue-size: 1 is out of range"));
    }

    @Test
    void emptyHost() {
        assertTrue(errorsOf("host: \"\"").get(0).contains("host: must name the collector"));
    }

    @Test
    void severalErrorsAreAllReported() {
        assertEquals(3, errorsOf("port: 0\nversion: 9\nproto: tls").size());
    }
}
