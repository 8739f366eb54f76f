package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.heptap.core.message.Message;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;

/**
 * Arbitrary bytes through the SIP parser, the SDP parser, every getter and the plan functions:
 * no exception, no hang. Without {@code JAZZER_FUZZ} this replays the seeds in
 * {@code SipParserFuzzTestInputs/parse/}; with {@code JAZZER_FUZZ=1} it fuzzes for
 * {@code -Dheptap.fuzz.seconds} (see module-sip/pom.xml).
 */
class SipParserFuzzTest {
    private static final SipParser DEFAULT = new SipParser();
    private static final SipParser SMALL = new SipParser(HeaderName.of("X-Custom"), 4);
    private static final SipReplyBuilder REPLIES = new SipReplyBuilder("heptap", 7L);
    private static final List<BoundCall> CALLS = calls();

    private final SipMessage sip = new SipMessage();
    private final Sdp sdp = new Sdp();
    private final Message message = new Message();

    private static List<BoundCall> calls() {
        SipModule module = new SipModule();
        FakeBindContext ctx = new FakeBindContext();
        List<PlanFunction> fs = module.functions();
        List<BoundCall> out = new ArrayList<>();
        for (PlanFunction f : fs) {
            List<String> args = switch (f.name()) {
                case "sip_check" -> List.of("from_user_suffix", "a");
                case "header_check" -> List.of("Via", "SIP/2.0");
                case "send_reply", "send_rtcpxr_reply" -> f.arity() == 0 ? List.of() : List.of("200", "OK");
                default -> f.arity() == 0 ? List.of() : null;
            };
            if (args != null) out.add(f.bind(args, ctx));
        }
        assertTrue(ctx.errors.isEmpty(), ctx.errors.toString());
        return out;
    }

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] data) {
        for (SipParser p : new SipParser[] {DEFAULT, SMALL}) {
            SipStatus s = p.parse(data, 0, data.length, sip);
            CorpusTest.readEverything(sip);
            if (s == SipStatus.OK && sip.isRequest()) {
                REPLIES.build(sip, 200, "OK");
            }
        }
        if (data.length > 2) DEFAULT.parse(data, 1, data.length - 2, sip);

        SdpParser.parse(data, 0, data.length, sdp);
        int boundary = Math.min(data.length, 1 + (data.length > 0 ? data[0] & 0x0f : 0));
        SdpParser.parseMultipart(data, 0, data.length, 0, boundary, sdp);
        SdpParser.parseMultipart(data, 0, data.length, 0, 0, sdp);

        message.reset();
        message.setPayload(data, 0, data.length);
        for (BoundCall c : CALLS) {
            int r = c.invoke(message);
            assertTrue(r == 1 || r == -1, "plan functions never return 0 here");
        }
    }
}
