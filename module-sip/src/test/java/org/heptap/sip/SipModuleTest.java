package org.heptap.sip;

import static org.heptap.sip.Sip.msg;
import static org.heptap.sip.Sip.msgWithBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.heptap.core.message.Message;
import org.heptap.core.plan.FunctionRegistry;
import org.heptap.core.plan.PlanCompiler;
import org.heptap.core.plan.TransportResolver;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.PlanFunction;
import org.junit.jupiter.api.Test;

class SipModuleTest {
    private static final AgentContext AGENT = new AgentContext(2001, "test", true);

    private static final String SDP = Sip.sdp("v=0", "c=IN IP4 192.0.2.10", "m=audio 40000 RTP/AVP 0");

    private static final byte[] INVITE = msgWithBody(
            SDP,
            "INVITE sip:bob@example.org SIP/2.0",
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1",
            "From: \"Alice\" <sip:alice.smith@example.org>;tag=a1",
            "To: <sip:+4930123@example.org>",
            "Call-ID: call-1@192.0.2.10",
            "CSeq: 1 INVITE",
            "User-Agent: AlphaPhone/2.1.0",
            "X-Customer: gold-42",
            "X-RTP-Stat: PS=6040;OS=966400",
            "Content-Type: application/sdp");

    private static final byte[] RINGING = msg(
            "SIP/2.0 180 Ringing",
            "Call-ID: call-1@192.0.2.10",
            "CSeq: 1 INVITE",
            "From: <sip:alice.smith@example.org>;tag=a1",
            "To: <sip:+4930123@example.org>;tag=b1",
            "Server: GW 7.4");

    private final Problems problems = new Problems();
    private final Message message = new Message();

    private SipModule module(String yaml) {
        ConfigNode root = ConfigNode.parse(new StringReader(yaml), "heptap.yml", problems);
        SipModule m = new SipModule();
        m.configure(root.section("modules").section("sip"), AGENT);
        return m;
    }

    private static BoundCall bind(HeptapModule module, FakeBindContext ctx, String name, String... args) {
        for (PlanFunction f : module.functions()) {
            if (f.name().equals(name) && f.arity() == args.length) return f.bind(List.of(args), ctx);
        }
        throw new AssertionError("no function " + name + "/" + args.length);
    }

    private BoundCall bind(HeptapModule module, String name, String... args) {
        FakeBindContext ctx = new FakeBindContext();
        BoundCall c = bind(module, ctx, name, args);
        assertEquals(List.of(), ctx.errors);
        assertNotNull(c);
        return c;
    }

    private Message packet(byte[] payload) {
        message.reset();
        message.setPayload(payload, 0, payload.length);
        return message;
    }

    @Test
    void found_by_service_loader() {
        List<String> names = new ArrayList<>();
        for (HeptapModule m : ServiceLoader.load(HeptapModule.class)) names.add(m.name());
        assertTrue(names.contains("sip"), names.toString());
    }

    @Test
    void exports_the_captagent_functions() {
        List<String> fs = new ArrayList<>();
        for (PlanFunction f : new SipModule().functions()) fs.add(f.name() + "/" + f.arity());
        assertEquals(
                List.of(
                        "parse_sip/0",
                        "parse_full_sip/0",
                        "light_parse_sip/0",
                        "sip_is_method/0",
                        "sip_has_sdp/0",
                        "sip_check/2",
                        "header_check/2",
                        "header_regexp_match/2",
                        "send_reply/0",
                        "send_reply/2",
                        "send_rtcpxr_reply/0",
                        "send_rtcpxr_reply/2"),
                fs);
    }

    @Test
    void parse_sip_sets_protocol_type_and_call_id_as_correlation_slice() {
        SipModule sip = module("");
        BoundCall parse = bind(sip, "parse_sip");
        Message m = packet(INVITE);
        assertEquals(1, parse.invoke(m));
        assertEquals(1, m.protocolType());
        assertSame(INVITE, m.correlationBuffer());
        assertEquals("call-1@192.0.2.10", m.correlationIdString());
        SipMessage parsed = SipSlot.parsed(m);
        assertNotNull(parsed);
        assertTrue(parsed.hasSdp());
        assertEquals(40001, parsed.sdp().rtcpPort(0));
    }

    @Test
    void parse_sip_fails_on_non_sip_and_missing_call_id() {
        BoundCall parse = bind(module(""), "parse_sip");
        assertEquals(-1, parse.invoke(packet(Sip.bytes("\r\n\r\n"))));
        assertEquals(0, message.protocolType());
        assertEquals(-1, parse.invoke(packet(msg("OPTIONS sip:b@x SIP/2.0", "CSeq: 1 OPTIONS"))));
        assertFalse(message.hasCorrelationId());
        assertNull(SipSlot.parsed(message));
        assertEquals(-1, parse.invoke(packet(new byte[0])));
    }

    @Test
    void rtcpxr_report_call_id_becomes_the_correlation_id() {
        String body = "VQSessionReport: CallTerm\r\nCallID: 6dg37f1890463@example.org\r\n";
        byte[] publish = msgWithBody(
                body,
                "PUBLISH sip:c@x SIP/2.0",
                "Call-ID: pub-1@x",
                "CSeq: 1 PUBLISH",
                "Content-Type: application/vq-rtcpxr");
        SipModule sip = module("");
        Message m = packet(publish);
        assertEquals(1, bind(sip, "parse_full_sip").invoke(m));
        assertEquals("6dg37f1890463@example.org", m.correlationIdString());
        assertEquals(1, bind(sip, "sip_check", "method", "PUBLISH").invoke(m));
    }

    @Test
    void light_parse_sip_returns_minus_one_but_fills_fields() {
        SipModule sip = module("");
        FakeBindContext ctx = new FakeBindContext();
        ctx.inCondition = true;
        BoundCall light = bind(sip, ctx, "light_parse_sip");
        assertEquals(1, ctx.warnings.size());
        Message m = packet(INVITE);
        assertEquals(-1, light.invoke(m));
        assertEquals(1, m.protocolType());
        assertEquals(1, bind(sip, "sip_is_method").invoke(m));
    }

    @Test
    void light_parse_sip_in_a_compiled_plan_warns_once() {
        FunctionRegistry functions = new FunctionRegistry();
        functions.registerAll(module("").functions());
        Problems plan = new Problems();
        new PlanCompiler(functions, TransportResolver.none())
                .compile("capture[pcap] {\n  if (light_parse_sip()) { drop; }\n}\n", "p.cfg", "sip", plan);
        assertEquals(
                List.of("p.cfg:2:7: warning: light_parse_sip() always returns -1 (as in captagent), so this condition"
                        + " is never true; use parse_sip()"),
                plan.warnings());
    }

    @Test
    void predicates_see_nothing_before_a_parse_and_after_the_next_packet() {
        SipModule sip = module("");
        BoundCall isMethod = bind(sip, "sip_is_method");
        BoundCall hasSdp = bind(sip, "sip_has_sdp");
        BoundCall ua = bind(sip, "header_check", "User-Agent", "Alpha");
        BoundCall parse = bind(sip, "parse_sip");
        Message m = packet(INVITE);
        assertEquals(-1, isMethod.invoke(m));
        assertEquals(-1, ua.invoke(m));
        parse.invoke(m);
        assertEquals(1, isMethod.invoke(m));
        assertEquals(1, hasSdp.invoke(m));
        assertEquals(1, ua.invoke(m));
        packet(INVITE); // next packet, same bytes: state must not carry over
        assertEquals(-1, isMethod.invoke(m));
        assertEquals(-1, hasSdp.invoke(m));
        Message other = new Message(); // another socket's message on this thread
        other.reset();
        other.setPayload(INVITE, 0, INVITE.length);
        parse.invoke(m);
        assertEquals(-1, isMethod.invoke(other));
    }

    @Test
    void parse_state_is_per_thread() throws Exception {
        SipModule sip = module("");
        BoundCall parse = bind(sip, "parse_sip");
        BoundCall isMethod = bind(sip, "sip_is_method");
        Message m = packet(INVITE);
        parse.invoke(m);
        AtomicReference<Integer> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Message r = new Message();
            r.reset();
            r.setPayload(RINGING, 0, RINGING.length);
            parse.invoke(r);
            seen.set(isMethod.invoke(r));
        });
        t.start();
        t.join();
        assertEquals(-1, seen.get());
        assertEquals(1, isMethod.invoke(m));
    }

    @Test
    void sip_check_fields() {
        SipModule sip = module("");
        Message m = packet(INVITE);
        bind(sip, "parse_sip").invoke(m);
        assertEquals(1, bind(sip, "sip_check", "method", "INV").invoke(m));
        assertEquals(1, bind(sip, "sip_check", "methodX", "INVITE").invoke(m)); // keyword prefix, as captagent
        assertEquals(-1, bind(sip, "sip_check", "method", "BYE").invoke(m));
        assertEquals(1, bind(sip, "sip_check", "rmethod", "INVITE").invoke(m));
        assertEquals(1, bind(sip, "sip_check", "from_user_prefix", "alice").invoke(m));
        assertEquals(1, bind(sip, "sip_check", "from_user_suffix", ".smith").invoke(m));
        assertEquals(-1, bind(sip, "sip_check", "from_user_suffix", "alice").invoke(m));
        assertEquals(1, bind(sip, "sip_check", "to_user_prefix", "+49").invoke(m));
        assertEquals(1, bind(sip, "sip_check", "to_user_suffix", "123").invoke(m));
        assertEquals(
                1, bind(sip, "sip_check", "user_agent_prefix", "AlphaPhone").invoke(m));
        assertEquals(1, bind(sip, "sip_check", "user_agent_suffix", "2.1.0").invoke(m));
        assertEquals(-1, bind(sip, "sip_check", "response", "200").invoke(m));

        Message r = packet(RINGING);
        bind(sip, "parse_sip").invoke(r);
        assertEquals(-1, bind(sip, "sip_check", "method", "INVITE").invoke(r));
        assertEquals(1, bind(sip, "sip_check", "rmethod", "INVITE").invoke(r));
        assertEquals(1, bind(sip, "sip_check", "response", "180").invoke(r));
        assertEquals(-1, bind(sip, "sip_check", "user_agent_prefix", "").invoke(r)); // missing never matches
    }

    @Test
    void response_gt_lt_are_equality_unless_configured() {
        Message r = packet(RINGING);
        SipModule compat = module("");
        bind(compat, "parse_sip").invoke(r);
        FakeBindContext ctx = new FakeBindContext();
        BoundCall gt = bind(compat, ctx, "sip_check", "response_gt", "100");
        assertEquals(1, ctx.warnings.size());
        assertTrue(ctx.warnings.get(0).contains("response-gt-lt-compare"));
        assertEquals(-1, gt.invoke(r));
        assertEquals(1, bind(compat, "sip_check", "response_lt", "180").invoke(r));

        SipModule compare = module("modules:\n  sip:\n    response-gt-lt-compare: true\n");
        assertEquals(1, bind(compare, "sip_check", "response_gt", "100").invoke(r));
        assertEquals(-1, bind(compare, "sip_check", "response_lt", "180").invoke(r));
        assertEquals(1, bind(compare, "sip_check", "response_lt", "200").invoke(r));
    }

    @Test
    void sip_check_bind_errors() {
        SipModule sip = module("");
        FakeBindContext ctx = new FakeBindContext();
        assertNull(bind(sip, ctx, "sip_check", "user_agent", "x"));
        assertNull(bind(sip, ctx, "sip_check", "rmetod", "x"));
        assertNull(bind(sip, ctx, "sip_check", "response", "abc"));
        assertEquals(3, ctx.errors.size(), ctx.errors.toString());
        assertTrue(ctx.errors.get(1).contains("did you mean rmethod?"), ctx.errors.get(1));
        assertTrue(ctx.errors.get(0).contains("user_agent_prefix"));
    }

    @Test
    void header_check_variants() {
        SipModule sip = module("modules:\n  sip:\n    custom-header: X-Customer\n");
        Message m = packet(INVITE);
        BoundCall custom = bind(sip, "header_check", "custom", "gold");
        BoundCall stat = bind(sip, "header_check", "X-RTP-Stat", "PS=6040");
        BoundCall callId = bind(sip, "header_check", "i", "call-1");
        assertEquals(1, stat.invoke(m)); // generic headers do not need parse_sip
        assertEquals(1, callId.invoke(m)); // compact forms are expanded
        assertEquals(-1, custom.invoke(m)); // parsed fields do
        bind(sip, "parse_sip").invoke(m);
        assertEquals(1, custom.invoke(m));
        assertEquals(1, bind(sip, "header_check", "useragent", "Alpha").invoke(m));
        assertEquals(-1, bind(sip, "header_check", "x-rtp-stat", "OS").invoke(m));
        assertEquals(-1, bind(sip, "header_check", "X-Missing", "").invoke(m));

        FakeBindContext ctx = new FakeBindContext();
        assertNull(bind(sip, ctx, "header_check", "Bad Name", "x"));
        assertEquals(1, ctx.errors.size());
        FakeBindContext noCustom = new FakeBindContext();
        assertNotNull(bind(module(""), noCustom, "header_check", "custom", "x"));
        assertEquals(1, noCustom.warnings.size());
    }

    @Test
    void header_regexp_match_uses_the_configured_pattern() {
        SipModule sip = module(
                "modules:\n  sip:\n    custom-header: X-Customer\n    regexps:\n"
                        + "      alpha: \"^alphaphone/2\\\\.\"\n      gold: \"gold-[0-9]+$\"\n      sdp: \"m=audio 4000[0-9]\"\n");
        assertEquals(List.of(), problems.errors());
        Message m = packet(INVITE);
        bind(sip, "parse_sip").invoke(m);
        assertEquals(1, bind(sip, "header_regexp_match", "User-Agent", "alpha").invoke(m)); // case-insensitive
        assertEquals(1, bind(sip, "header_regexp_match", "custom", "gold").invoke(m));
        assertEquals(1, bind(sip, "header_regexp_match", "X-Customer", "gold").invoke(m));
        assertEquals(-1, bind(sip, "header_regexp_match", "To", "gold").invoke(m));
        assertEquals(1, bind(sip, "header_regexp_match", "body", "sdp").invoke(m));
        assertEquals(-1, bind(sip, "header_regexp_match", "raw", "alpha").invoke(m)); // ^ anchors at the payload start
        assertEquals(-1, bind(sip, "header_regexp_match", "raw", "sdp").invoke(packet(RINGING)));
    }

    @Test
    void header_regexp_match_unknown_name_is_a_bind_error() {
        SipModule sip = module("modules:\n  sip:\n    regexps:\n      snom_regexp: snom\n      polycom: poly\n");
        FakeBindContext ctx = new FakeBindContext();
        assertNull(bind(sip, ctx, "header_regexp_match", "User-Agent", "snom_regex"));
        assertEquals(1, ctx.errors.size());
        String e = ctx.errors.get(0);
        assertTrue(e.contains("did you mean snom_regexp?") && e.contains("snom_regexp, polycom"), e);
        FakeBindContext none = new FakeBindContext();
        assertNull(bind(module(""), none, "header_regexp_match", "User-Agent", "x"));
        assertTrue(none.errors.get(0).contains("defines none"));
    }

    @Test
    void send_reply_validates_and_returns_one() {
        SipModule sip = module("");
        Message m = packet(INVITE);
        assertEquals(1, bind(sip, "send_reply").invoke(m));
        assertEquals(1, bind(sip, "send_reply", "503", "Server internal error").invoke(m));
        assertEquals(1, bind(sip, "send_rtcpxr_reply", "200", "OK").invoke(m));
        assertEquals(1, bind(sip, "send_rtcpxr_reply").invoke(m));
        FakeBindContext ctx = new FakeBindContext();
        assertNull(bind(sip, ctx, "send_reply", "20x", "OK"));
        assertNull(bind(sip, ctx, "send_reply", "200", "OK\nX: y"));
        assertEquals(2, ctx.errors.size());
    }

    @Test
    void configuration_errors_name_file_line_and_key() {
        module(
                "modules:\n  sip:\n    custom-header: \"X Bad\"\n    max-headers: 3\n    regexps:\n      broken: \"a(b\"\n"
                        + "    regexp: {}\n");
        List<String> errors = problems.errors();
        assertEquals(4, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("heptap.yml:3: modules.sip.custom-header: "), errors.get(0));
        assertTrue(errors.get(1).startsWith("heptap.yml:4: modules.sip.max-headers: 3 is out of range"), errors.get(1));
        assertTrue(
                errors.get(2).startsWith("heptap.yml:6: modules.sip.regexps.broken: invalid regular expression"),
                errors.get(2));
        assertTrue(
                errors.get(3).startsWith("heptap.yml:7: modules.sip.regexp: unknown key (did you mean regexps?)"),
                errors.get(3));
    }

    @Test
    void configured_settings() {
        SipModule sip = module("modules:\n  sip:\n    custom-header: X-Customer\n    max-headers: 16\n");
        assertEquals(List.of(), problems.errors());
        assertEquals("X-Customer", sip.settings().parser().customHeader().name());
        assertEquals(16, sip.settings().parser().maxHeaders());
        assertEquals("sip", sip.name());
    }
}
