package org.heptap.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReportWritersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void vq_report_values_are_the_reports_text() throws Exception {
        String body = "VQSessionReport: CallTerm\r\nCallID: 6dg37f1890463@example.org\r\n"
                + "LocalAddr: IP=192.0.2.10 PORT=40000 SSRC=0x1a2b3c4d\r\nLocalMetrics:\r\n"
                + "PacketLoss: NLR=1.5 JDR=0.5\r\nDelay: RTD=40 ESD=60 SOWD=20 IAJ=4 MAJ=12\r\n"
                + "QualityEst: RLQ=90 RCQ=88 EXTRI=127 MOSLQ=4.2 MOSCQ=4.1 QoEEstAlg=P.564\r\n"
                + "RemoteMetrics:\r\nQualityEst: MOSLQ=4.4 MOSCQ=4.3\r\n"
                + "DialogID: 6dg37f1890463@example.org;to-tag=bt1;from-tag=at1\r\n";
        VqReportWriter w = new VqReportWriter();
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        assertTrue(w.write(b, 0, b.length) > 0);
        JsonNode d = JSON.readTree(w.text());
        assertEquals("VQSessionReport", d.get("report").asText());
        assertEquals("CallTerm", d.get("report_subtype").asText());
        assertEquals("6dg37f1890463@example.org", d.get("CallID").asText());
        assertEquals(40000, d.get("LocalAddr").get("PORT").asInt());
        assertEquals("0x1a2b3c4d", d.get("LocalAddr").get("SSRC").asText());
        assertEquals("1.5", d.get("LocalMetrics").get("PacketLoss").get("NLR").asText());
        assertEquals("4.2", d.get("LocalMetrics").get("QualityEst").get("MOSLQ").asText());
        assertEquals(4, d.get("LocalMetrics").get("Delay").get("IAJ").asInt());
        assertEquals(
                "4.3", d.get("RemoteMetrics").get("QualityEst").get("MOSCQ").asText());
        assertEquals(
                "6dg37f1890463@example.org;to-tag=bt1;from-tag=at1",
                d.get("DialogID").asText());
        assertEquals(0, w.write(b("not a report\r\n"), 0, 14));
    }

    @Test
    void x_rtp_stat_and_rx_tx_stat_headers_become_reports_with_direction() throws Exception {
        RtpStatWriter w = new RtpStatWriter();
        byte[] x = b("PS=6040;OS=966400;PR=6032;OR=965120;PL=3;JI=12;LA=40;DU=121;EN=PCMU;DE=PCMU");
        assertTrue(w.write("X-RTP-Stat", x, 0, x.length, "BYE", "192.0.2.10:5060") > 0);
        JsonNode d = JSON.readTree(w.text());
        assertEquals("both", d.get("direction").asText());
        assertEquals(6040, d.get("packets_sent").asInt());
        assertEquals(6032, d.get("packets_received").asInt());
        assertEquals(3, d.get("packets_lost").asInt());
        assertEquals(12, d.get("jitter").asInt());
        assertEquals(40, d.get("latency").asInt());
        assertEquals(121, d.get("duration").asInt());
        assertEquals("PCMU", d.get("codec_encoder").asText());

        byte[] rx = b(
                "Dur=121,Pkt=6032,Oct=965120,SSRC=0x5e6f7081,Lost=3,LostPct=0.05,Jitter=12,Latency=40,Underun=0,Overrun=1");
        assertTrue(w.write("RTP-RxStat", rx, 0, rx.length, "BYE", "192.0.2.10:5060") > 0);
        d = JSON.readTree(w.text());
        assertEquals("rx", d.get("direction").asText());
        assertEquals(6032, d.get("packets_received").asInt());
        assertEquals(1, d.get("fields").get("Overrun").asInt());
        assertEquals(new String(rx, StandardCharsets.US_ASCII), d.get("raw").asText());

        byte[] tx = b("Dur=121,Pkt=6040,Oct=966400,SSRC=0x1a2b3c4d,Status=0");
        w.write("RTP-TxStat", tx, 0, tx.length, "BYE", "192.0.2.10:5060");
        d = JSON.readTree(w.text());
        assertEquals("tx", d.get("direction").asText());
        assertEquals(6040, d.get("packets_sent").asInt());
        assertEquals(0, w.write("X-RTP-Stat", b("garbage"), 0, 7, "BYE", "x"));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
