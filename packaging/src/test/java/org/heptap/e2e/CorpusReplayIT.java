package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Replays each plain SIP-over-UDP capture of the corpus through bin/heptap to the independent
 * hep-sink and checks what arrived against tshark's expectation with hep-compare.
 */
class CorpusReplayIT {

    @ParameterizedTest
    @ValueSource(strings = {"sip-udp-v4.pcap", "sip-udp-v6.pcap", "sip-vlan.pcap", "sip-qinq.pcap", "sip-sll.pcap",
            "sip-sll2.pcap", "sip-udp-nsec.pcap", "sip-udp.pcapng", "sip-compact.pcap", "sip-methods.pcap", "aaa.pcap"})
    void every_sip_message_reaches_hep_sink(String capture) throws Exception {
        JsonNode manifest = Env.manifestEntry(capture);
        List<JsonNode> got;
        Proc agent;
        try (HepSink sink = HepSink.startUdp()) {
            agent = Proc.run(Duration.ofSeconds(120), List.of(Env.heptap().toString(), "-r", Env.corpus(capture).toString(),
                    "-H", "udp:127.0.0.1:" + sink.udpPort, "--capture-id", "2001", "--password", "myHep",
                    "--node-name", "e2e-node"));
            got = sink.stopAndRead();
            assertEquals(0, agent.exitCode(), agent.stderr());

            Proc cmp = Proc.run(Duration.ofSeconds(60), List.of(Env.tool("hep-compare").toString(), sink.out.toString(),
                    Env.expected(capture).toString(), "--capture-id", "2001", "--password", "myHep"));
            assertEquals(0, cmp.exitCode(), "hep-compare: " + cmp.stdout() + cmp.stderr());
            assertTrue(cmp.stdout().startsWith("ok"), cmp.stdout());
        }

        // quick flags also capture RTCP: aaa.pcap's one RTCP compound belongs to a call (type 5)
        for (JsonNode m : got) {
            int t = m.get("payloadType").asInt();
            assertTrue(t == 1 || t == 5, "only SIP and correlated RTCP: " + m);
        }
        int sent = got.size();
        got = got.stream().filter(m -> m.get("payloadType").asInt() == 1).toList();
        assertEquals(manifest.get("sip_messages").asInt(), got.size(), "SIP messages delivered");
        Set<String> callIds = new TreeSet<>();
        Set<String> expectedIds = new TreeSet<>();
        manifest.get("call_id_list").forEach(n -> expectedIds.add(n.asText()));
        for (JsonNode m : got) {
            assertEquals(1, m.get("payloadType").asInt());
            assertEquals(3, m.get("version").asInt());
            assertEquals("e2e-node", m.get("hepNodeName").asText(), "node name chunk");
            assertEquals(2001, m.get("captureId").asLong());
            assertEquals("myHep", m.get("capturePass").asText());
            String cid = m.get("correlation_id").asText();
            assertTrue(m.get("payload").asText().contains(cid), "correlation id is the message's Call-ID");
            callIds.add(cid);
        }
        assertEquals(manifest.get("call_ids").asInt(), callIds.size());
        assertEquals(expectedIds, callIds);
        // the final ledger line names what its totals add up (each socket reads the whole file)
        java.util.regex.Matcher ledger = java.util.regex.Pattern.compile(
                "ledger: captured (\\d+) frames \\(by socket: sip (\\d+), rtcp (\\d+)\\), sent (\\d+) messages "
                + "\\(by transport: hepsocket (\\d+), console 0\\), unsent 0; balanced").matcher(agent.stderr());
        assertTrue(ledger.find(), agent.stderr());
        assertEquals(Long.parseLong(ledger.group(1)), Long.parseLong(ledger.group(2)) + Long.parseLong(ledger.group(3)));
        assertEquals(sent, Integer.parseInt(ledger.group(4)));
        assertEquals(sent, Integer.parseInt(ledger.group(5)), "hepsocket's sent = what hep-sink got");
    }

    /** Bad frames and non-SIP traffic: the agent exits 0, sends only SIP, and says what it skipped. */
    @Test
    void malformed_frames_are_skipped_and_counted() throws Exception {
        try (HepSink sink = HepSink.startUdp()) {
            Proc agent = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "-r", Env.corpus("malformed.pcap").toString(),
                    "-H", "udp:127.0.0.1:" + sink.udpPort));
            List<JsonNode> got = sink.stopAndRead();
            assertEquals(0, agent.exitCode(), agent.stderr());
            for (JsonNode m : got) {
                String p = m.get("payload").asText();
                assertTrue(p.startsWith("SIP/2.0 ") || p.matches("(?s)^[A-Z]+ \\S+ SIP/2\\.0\r\n.*"), "only SIP is sent: " + p);
                assertTrue(p.contains("Call-ID") || p.contains("\ni:"), "sent messages have a Call-ID");
            }
            // the valid OPTIONS, 200, MESSAGE and 200 (frames 1, 6, 13, 20) at least, and frame 12
            assertTrue(got.size() >= 4, "valid SIP delivered: " + got.size());
            String log = agent.stderr();
            assertTrue(log.matches("(?s).*\\d+ undecodable.*"), "reports undecodable frames: " + log);
            assertTrue(log.matches("(?s).*[1-9]\\d* skipped by the plan.*"), "reports skipped packets: " + log);
        }
    }

    @Test
    void rtcp_only_capture_sends_nothing_through_the_sip_plan() throws Exception {
        try (HepSink sink = HepSink.startUdp()) {
            Proc agent = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "-r", Env.corpus("rtcp-only.pcap").toString(),
                    "-H", "udp:127.0.0.1:" + sink.udpPort, "-p", "1-65535"));
            List<JsonNode> got = sink.stopAndRead();
            assertEquals(0, agent.exitCode(), agent.stderr());
            assertEquals(0, got.size(), "no HEP for packets that are not SIP");
            assertTrue(agent.stderr().contains("7 skipped by the plan"), agent.stderr());
        }
    }
}
