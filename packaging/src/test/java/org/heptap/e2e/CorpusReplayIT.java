package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays each plain SIP-over-UDP capture of the corpus through bin/heptap to the independent
 * hep-sink and checks what arrived against tshark's expectation with hep-compare.
 */
@Offline
class CorpusReplayIT {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sip-udp-v4.pcap",
                "sip-udp-v6.pcap",
                "sip-vlan.pcap",
                "sip-qinq.pcap",
                "sip-sll.pcap",
                "sip-sll2.pcap",
                "sip-udp-nsec.pcap",
                "sip-udp.pcapng",
                "sip-compact.pcap",
                "sip-methods.pcap",
                "aaa.pcap"
            })
    void every_sip_message_reaches_hep_sink(String capture) throws Exception {
        JsonNode manifest = Env.manifestEntry(capture);
        List<JsonNode> got;
        Proc agent;
        try (HepSink sink = HepSink.startUdp()) {
            agent = Proc.run(
                    Duration.ofSeconds(120),
                    List.of(
                            Env.heptap().toString(),
                            "-r",
                            Env.corpus(capture).toString(),
                            "-H",
                            "udp:127.0.0.1:" + sink.udpPort,
                            "--capture-id",
                            "2001",
                            "--password",
                            "myHep",
                            "--node-name",
                            "e2e-node"));
            got = sink.stopAndRead();
            assertEquals(0, agent.exitCode(), agent.stderr());

            Proc cmp = Proc.run(
                    Duration.ofSeconds(60),
                    List.of(
                            Env.tool("hep-compare").toString(),
                            sink.out.toString(),
                            Env.expected(capture).toString(),
                            "--capture-id",
                            "2001",
                            "--password",
                            "myHep"));
            assertEquals(0, cmp.exitCode(), "hep-compare: " + cmp.stdout() + cmp.stderr());
            assertTrue(cmp.stdout().startsWith("ok"), cmp.stdout());
        }

        // quick flags also capture RTCP and analyse RTP: aaa.pcap's one RTCP compound belongs to
        // a call (type 5), and so do its RTP streams (type 34 quality reports)
        for (JsonNode m : got) {
            int t = m.get("payloadType").asInt();
            assertTrue(t == 1 || t == 5 || t == 34, "only SIP, correlated RTCP and RTP reports: " + m);
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
        // the final ledger line names what its totals add up (each socket counts what its filter takes)
        java.util.regex.Matcher ledger = java.util.regex.Pattern.compile(
                        "ledger: captured (\\d+) frames \\(by socket: sip (\\d+), rtcp (\\d+), rtp (\\d+)\\), sent (\\d+) messages "
                                + "\\(by transport: hepsocket (\\d+), console 0\\), unsent 0; balanced")
                .matcher(agent.stderr());
        assertTrue(ledger.find(), agent.stderr());
        assertEquals(
                Long.parseLong(ledger.group(1)),
                Long.parseLong(ledger.group(2)) + Long.parseLong(ledger.group(3)) + Long.parseLong(ledger.group(4)));
        assertEquals(sent, Integer.parseInt(ledger.group(5)));
        assertEquals(sent, Integer.parseInt(ledger.group(6)), "hepsocket's sent = what hep-sink got");
    }

    /**
     * Bad frames and non-SIP traffic: the agent exits 0, sends exactly the SIP messages the stock
     * plan accepts, and says what it skipped. The expectation comes from tshark's view of the
     * capture (expected/malformed.pcap.jsonl, one line per SIP message tshark finds) and the
     * MANIFEST, with the stock plan's two tests: msg_check("size", "100") (more than 100 bytes)
     * and parse_sip() (a SIP message with a Call-ID); frames tshark flags with an expert error
     * (a broken IP/UDP/TCP header, MANIFEST expert_error_frames) carry no trustworthy datagram.
     */
    @Test
    void malformed_frames_are_skipped_and_counted() throws Exception {
        JsonNode manifest = Env.manifestEntry("malformed.pcap");
        Set<Integer> brokenHeaders = new TreeSet<>();
        manifest.get("expert_error_frames").forEach(n -> brokenHeaders.add(n.asInt()));
        List<String> want = new ArrayList<>();
        List<Integer> wantFrames = new ArrayList<>();
        for (String line : Files.readAllLines(Env.expected("malformed.pcap"))) {
            if (line.isBlank()) continue;
            JsonNode e = Env.JSON.readTree(line);
            int frame = e.get("frame").asInt();
            if (brokenHeaders.contains(frame)
                    || e.get("call_id").isNull()
                    || e.get("udp_payload_len").asInt() <= 100) continue;
            want.add(e.get("udp_payload_sha256").asText());
            wantFrames.add(frame);
        }
        // as the MANIFEST describes the frames: the valid OPTIONS/200 and MESSAGE/200 (1, 6, 13, 20),
        // the bad Content-Length (10), the headers without colon (11) and the non-UTF-8 bytes (12)
        assertEquals(List.of(1, 6, 10, 11, 12, 13, 20), wantFrames);
        // undecodable: the 10-byte frame (3, shorter than an Ethernet header) and the expert-error frames
        Set<Integer> undecodable = new TreeSet<>(brokenHeaders);
        undecodable.add(3);
        assertEquals(List.of(3, 4, 5, 14, 16, 17), List.copyOf(undecodable));
        // decoded: the rest but for the empty UDP datagram (7) and the unknown IPv6 next header (15)
        int decoded = manifest.get("frames").asInt() - undecodable.size() - 2;
        try (HepSink sink = HepSink.startUdp()) {
            Proc agent = Proc.run(
                    Duration.ofSeconds(60),
                    List.of(
                            Env.heptap().toString(),
                            "-r",
                            Env.corpus("malformed.pcap").toString(),
                            "-H",
                            "udp:127.0.0.1:" + sink.udpPort));
            List<JsonNode> got = sink.stopAndRead();
            String log = agent.stderr();
            assertEquals(0, agent.exitCode(), log);
            assertEquals(want, Env.payloadShas(got), "payloads delivered, in capture order\n" + log);
            String summary = "socket sip: " + manifest.get("frames").asInt() + " frames, " + decoded
                    + " packets decoded, " + undecodable.size() + " undecodable, " + want.size() + " sent, "
                    + (decoded - want.size()) + " skipped by the plan";
            assertTrue(log.contains(summary), "expected '" + summary + "' in:\n" + log);
        }
    }

    @Test
    void rtcp_only_capture_sends_nothing_through_the_sip_plan() throws Exception {
        try (HepSink sink = HepSink.startUdp()) {
            Proc agent = Proc.run(
                    Duration.ofSeconds(60),
                    List.of(
                            Env.heptap().toString(),
                            "-r",
                            Env.corpus("rtcp-only.pcap").toString(),
                            "-H",
                            "udp:127.0.0.1:" + sink.udpPort,
                            "-p",
                            "1-65535"));
            List<JsonNode> got = sink.stopAndRead();
            assertEquals(0, agent.exitCode(), agent.stderr());
            assertEquals(0, got.size(), "no HEP for packets that are not SIP");
            assertTrue(agent.stderr().contains("7 skipped by the plan"), agent.stderr());
        }
    }
}
