package org.heptap.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.heptap.core.message.Message;
import org.junit.jupiter.api.Test;

class RtcpDetectionTest {
    private static Message carrying(String hex) {
        byte[] b = CorpusRtcp.hex(hex);
        Message m = new Message();
        m.setPayload(b, 0, b.length);
        return m;
    }

    @Test
    void is_rtcp_admits_every_rtcp_packet_type_a_report_may_start_with() {
        for (int pt = 200; pt <= 207; pt++) {
            assertEquals(1, RtcpFunctions.isRtcp(carrying(String.format("81 %02x 00 01 00 00 00 01", pt))), "PT " + pt);
        }
        assertEquals(-3, RtcpFunctions.isRtcp(carrying("80 c7 00 01")), "PT 199");
        assertEquals(-3, RtcpFunctions.isRtcp(carrying("80 d0 00 01")), "PT 208");
        assertEquals(-3, RtcpFunctions.isRtcp(carrying("80 00 00 01")), "RTP PT 0");
        assertEquals(-2, RtcpFunctions.isRtcp(carrying("40 c8 00 01")), "version 1");
    }

    @Test
    void xr_voip_metrics_give_the_message_mos_and_r_factor_numbers() {
        RtcpCompound c = new RtcpCompound();
        byte[] b = CorpusRtcp.hex(RtcpParserTest.XR_VOIP);
        assertEquals(RtcpResult.OK, RtcpParser.parse(b, 0, b.length, c));
        Message m = new Message();
        RtcpFunctions.attachQuality(c, m);
        assertEquals(2, m.numberCount());
        assertEquals(0x20, m.numberKey(0));
        assertEquals(430, m.numberValue(0));
        assertEquals(0x21, m.numberKey(1));
        assertEquals(93, m.numberValue(1));

        byte[] sr = CorpusRtcp.hex(RtcpParserTest.WORKED_EXAMPLE);
        RtcpParser.parse(sr, 0, sr.length, c);
        m.reset();
        RtcpFunctions.attachQuality(c, m);
        assertEquals(0, m.numberCount(), "no VoIP-metrics block, no numbers");
    }
}
