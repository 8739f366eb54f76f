package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.heptap.core.message.Message;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The per-packet path (parse, SDP, plan predicates) must not allocate. */
class AllocationTest {
    private static final String SDP = Sip.sdp(
            "v=0",
            "c=IN IP4 192.0.2.10",
            "m=audio 40000 RTP/AVP 0",
            "a=rtcp:40011",
            "m=video 40002 RTP/AVP 96",
            "a=rtcp-mux");
    private static final byte[] INVITE = Sip.msgWithBody(
            SDP,
            "INVITE sip:bob@example.org SIP/2.0",
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1",
            "f: \"Alice\" <sip:alice@example.org>;tag=a1",
            "To: <sip:bob@example.org>",
            "i: call-1@192.0.2.10",
            "CSeq: 1 INVITE",
            "User-Agent: AlphaPhone/2.1.0",
            "Subject: folded",
            "  value",
            "X-Other: 1",
            "Content-Type: application/sdp");

    @Test
    void parsing_and_plan_calls_allocate_nothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;

        SipModule module = new SipModule();
        FakeBindContext ctx = new FakeBindContext();
        BoundCall parse = null;
        BoundCall[] checks = new BoundCall[4];
        for (PlanFunction f : module.functions()) {
            switch (f.name() + "/" + f.arity()) {
                case "parse_sip/0" -> parse = f.bind(List.of(), ctx);
                case "sip_check/2" -> checks[0] = f.bind(List.of("user_agent_prefix", "Alpha"), ctx);
                case "sip_has_sdp/0" -> checks[1] = f.bind(List.of(), ctx);
                case "header_check/2" -> checks[2] = f.bind(List.of("X-Other", "1"), ctx);
                case "sip_is_method/0" -> checks[3] = f.bind(List.of(), ctx);
                default -> {}
            }
        }
        Message m = new Message();
        SipParser parser = new SipParser();
        SipMessage sip = new SipMessage();
        int sum = run(parse, checks, m, parser, sip); // first use: ThreadLocal, header table
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) sum += run(parse, checks, m, parser, sip);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertEquals(1001 * 6, sum);
        assertTrue(allocated < 1000, "allocated " + allocated + " bytes for 1000 packets");
    }

    private static int run(BoundCall parse, BoundCall[] checks, Message m, SipParser parser, SipMessage sip) {
        m.reset();
        m.setPayload(INVITE, 0, INVITE.length);
        int sum = parse.invoke(m);
        for (BoundCall c : checks) sum += c.invoke(m);
        parser.parse(INVITE, 0, INVITE.length, sip);
        return sum + (sip.sdp().rtcpPort(1) == 40002 ? 1 : 0);
    }
}
