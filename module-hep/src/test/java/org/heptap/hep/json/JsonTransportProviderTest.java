package org.heptap.hep.json;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.MessageFieldWriter;
import org.heptap.core.spi.Transport;
import org.heptap.hep.TestMessages;
import org.junit.jupiter.api.Test;

class JsonTransportProviderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MessageFieldWriter CALL_ID = (m, f) -> f.text("sip_callid", "c1@192.0.2.10");
    private static final AgentContext AGENT = new AgentContext(2002, "agent-1", true, List.of(CALL_ID));

    private final Problems problems = new Problems();
    private final JsonTransportProvider provider = new JsonTransportProvider();

    private ConfigNode profile(String body) {
        String yaml = "transports:\n  jsonsocket:\n    type: json\n" + body.indent(4);
        ConfigNode p = ConfigNode.parse(new StringReader(yaml), "heptap.yaml", problems)
                .section("transports")
                .section("jsonsocket");
        p.string("type", null);
        return p;
    }

    private Transport create(String body) {
        return provider.create("jsonsocket", profile(body), AGENT);
    }

    @Test
    void typeIsJson() {
        assertEquals("json", provider.type());
    }

    @Test
    void describesWhereAndWhat() {
        Transport t = create("host: 127.0.0.1\nport: 9070\ncapture-id: 5\npayload-send: false");
        assertEquals(List.of(), problems.errors());
        assertTrue(t instanceof JsonTransport);
        assertEquals("json udp 127.0.0.1:9070 capt_id 5 without payload", t.describe());
        t.close();
        Transport tcp = create("proto: tcp\nport: 9071");
        assertEquals("json tcp:127.0.0.1:9071 capt_id 2002", tcp.describe(), "capture-id defaults to agent.node-id");
        tcp.close();
    }

    @Test
    void hepKeysAndSpoolAreErrorsWithFileAndLine() {
        assertNull(create("version: 2\npassword: x\nnode-name: n\ncompress: true\nspool: {dir: /tmp/x}"));
        List<String> e = problems.errors();
        assertEquals(5, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("heptap.yaml:4: transports.jsonsocket.version: is a HEP setting"), e.get(0));
        assertTrue(
                e.stream()
                        .anyMatch(x -> x.startsWith(
                                "heptap.yaml:8: transports.jsonsocket.spool: a json profile has no spool")),
                e.toString());
    }

    @Test
    void unknownKeysAndCaptagentNamesAreReported() {
        assertNull(create("payload_send: false\ncapture-host: 10.0.0.1"));
        List<String> e = problems.errors();
        assertEquals(2, e.size(), e.toString());
        assertTrue(
                e.stream()
                        .anyMatch(x ->
                                x.contains("capture-host: unknown key: this is captagent's name; heptap's is host")),
                e.toString());
        assertTrue(
                e.stream().anyMatch(x -> x.contains("payload_send: unknown key") && x.contains("payload-send")),
                e.toString());
    }

    @Test
    void sendsOneDocumentPerDatagramOverUdp() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            rx.setSoTimeout(5000);
            Transport t = create("host: 127.0.0.1\nport: " + rx.getLocalPort() + "\ncapture-id: 9");
            assertEquals(List.of(), problems.errors());
            try {
                t.start();
                assertTrue(t.send(TestMessages.sipV4()));
                assertTrue(t.send(TestMessages.sipV6()));
                assertTrue(t.drain(Duration.ofSeconds(5)));
                List<JsonNode> docs = new ArrayList<>();
                byte[] buf = new byte[65536];
                for (int i = 0; i < 2; i++) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    rx.receive(p);
                    docs.add(MAPPER.readTree(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)));
                }
                assertEquals("192.0.2.10", docs.get(0).get("src_ip4").asText());
                assertEquals("2001:db8::10", docs.get(1).get("src_ip6").asText());
                for (JsonNode d : docs) {
                    assertEquals(TestMessages.OPTIONS, d.get("payload").asText());
                    assertEquals(9, d.get("capt_id").asInt());
                    assertEquals("c1@192.0.2.10", d.get("sip_callid").asText(), "the agent's field writers are asked");
                }
                Map<String, Long> c = t.counters();
                assertEquals(2L, c.get("sent"));
                assertEquals(0L, c.get("payload-not-utf8"));
            } finally {
                t.close();
            }
        }
    }

    @Test
    void sendsNewlineDelimitedDocumentsOverTcp() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(5000);
            Transport t = create("proto: tcp\nhost: 127.0.0.1\nport: " + server.getLocalPort());
            assertEquals(List.of(), problems.errors());
            try {
                t.start();
                for (int i = 0; i < 3; i++) assertTrue(t.send(TestMessages.sipV4()));
                try (Socket s = server.accept()) {
                    s.setSoTimeout(5000);
                    assertTrue(t.drain(Duration.ofSeconds(5)));
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    for (int i = 1; i <= 3; i++) {
                        JsonNode d = MAPPER.readTree(in.readLine());
                        assertEquals(String.valueOf(i), d.get("packet_id").asText());
                        assertEquals(TestMessages.OPTIONS, d.get("payload").asText());
                    }
                }
                assertEquals(3L, t.counters().get("sent"));
            } finally {
                t.close();
            }
        }
    }
}
