package org.heptap.sip;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heptap.core.config.Suggest;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.ModuleMeters;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.ReplyChannel;

/**
 * Binds the SIP capture-plan functions (capture-plan-language.md §4.1). Arguments are checked
 * and converted once per call site; the returned calls read this thread's {@link SipSlot}.
 * Return values follow captagent: 1 true, -1 false, never 0 (which would stop the plan).
 */
final class SipFunctions {
    private static final System.Logger LOG = System.getLogger("org.heptap.sip");

    /** {@code sip_check} keywords, in captagent's order: the first one {@code what} starts with wins. */
    static final List<String> SIP_CHECKS = List.of(
            "method",
            "rmethod",
            "from_user_suffix",
            "to_user_suffix",
            "from_user_prefix",
            "to_user_prefix",
            "user_agent_prefix",
            "user_agent_suffix",
            "response");

    private static final int TRUE = 1;
    private static final int FALSE = -1;

    private final SipSettings settings;
    private final SipParser parser;
    private final SipReplyBuilder replies;
    private final ModuleMeters meters;
    private final SipParseListeners listeners;

    SipFunctions(SipSettings settings) {
        this(settings, new SipReplyBuilder(), ModuleMeters.NONE, new SipParseListeners());
    }

    /**
     * @param replies   builds send_reply()'s responses (shared with the collector's automatic 200 OK: same To-tags)
     * @param meters    where each socket's SIP requests and responses are counted for the metrics endpoint
     * @param listeners told of every message parse_sip parsed (the configuration's list)
     */
    SipFunctions(SipSettings settings, SipReplyBuilder replies, ModuleMeters meters, SipParseListeners listeners) {
        this.settings = settings;
        this.parser = settings.parser();
        this.replies = replies;
        this.meters = meters;
        this.listeners = listeners;
    }

    List<PlanFunction> all() {
        List<PlanFunction> fs = new ArrayList<>();
        fs.add(PlanFunction.of("parse_sip", 0, (a, c) -> parse(TRUE, c)));
        fs.add(PlanFunction.of("parse_full_sip", 0, (a, c) -> parse(TRUE, c)));
        fs.add(PlanFunction.of("light_parse_sip", 0, (a, c) -> {
            if (c.inCondition()) {
                c.warning(
                        "light_parse_sip() always returns -1 (as in captagent), so this condition is never true; use parse_sip()");
            }
            return parse(FALSE, c);
        }));
        fs.add(PlanFunction.of("sip_is_method", 0, (a, c) -> m -> {
            SipMessage s = SipSlot.parsed(m);
            return s != null && s.isRequest() ? TRUE : FALSE;
        }));
        fs.add(PlanFunction.of("sip_has_sdp", 0, (a, c) -> m -> {
            SipMessage s = SipSlot.parsed(m);
            return s != null && s.hasSdp() ? TRUE : FALSE;
        }));
        fs.add(PlanFunction.of("sip_check", 2, this::bindSipCheck));
        fs.add(PlanFunction.of("header_check", 2, this::bindHeaderCheck));
        fs.add(PlanFunction.of("header_regexp_match", 2, this::bindRegexpMatch));
        for (String name : List.of("send_reply", "send_rtcpxr_reply")) {
            fs.add(PlanFunction.of(name, 0, (a, c) -> bindReply(name, "200", "OK", c)));
            fs.add(PlanFunction.of(name, 2, (a, c) -> bindReply(name, a.get(0), a.get(1), c)));
        }
        return fs;
    }

    // ------------------------------------------------------------------ parse_sip & co

    /**
     * On success: protocol type 1 and the correlation id — the Call-ID, or for an RFC 6035
     * report the body's CallID — as a slice of the payload (no copy). The first parse function
     * of a plan run that parses the packet counts it (by method or status code) for the socket.
     */
    private BoundCall parse(int okResult, BindContext ctx) {
        SipTraffic traffic = new SipTraffic(meters, ctx.socketName());
        return m -> {
            SipSlot slot = SipSlot.of(m);
            boolean counted = slot.announcedFor(m);
            SipMessage s = slot.parse(parser, m, true);
            if (!s.isOk()) return FALSE;
            if (!counted) traffic.count(s);
            listeners.fire(m, s);
            m.setProtocolType(1);
            SipField id = s.has(SipField.RTCPXR_CALL_ID) ? SipField.RTCPXR_CALL_ID : SipField.CALL_ID;
            m.setCorrelationId(s.buffer(), s.offset(id), s.length(id));
            return okResult;
        };
    }

    // ------------------------------------------------------------------ sip_check

    private BoundCall bindSipCheck(List<String> args, BindContext ctx) {
        String what = args.get(0);
        byte[] value = args.get(1).getBytes(StandardCharsets.UTF_8);
        String keyword = null;
        for (String k : SIP_CHECKS) {
            if (what.startsWith(k)) {
                keyword = k;
                break;
            }
        }
        if (keyword == null) {
            ctx.error("sip_check: unknown field \"" + what + "\"" + Suggest.hint(what, SIP_CHECKS) + "; known: "
                    + String.join(", ", SIP_CHECKS) + ", response_gt, response_lt");
            return null;
        }
        return switch (keyword) {
            case "method" ->
                m -> {
                    SipMessage s = SipSlot.parsed(m);
                    return s != null && s.isRequest() && s.startsWith(SipField.METHOD, value) ? TRUE : FALSE;
                };
            case "rmethod" -> prefix(SipField.CSEQ_METHOD, value);
            case "from_user_suffix" -> suffix(SipField.FROM_USER, value);
            case "to_user_suffix" -> suffix(SipField.TO_USER, value);
            case "from_user_prefix" -> prefix(SipField.FROM_USER, value);
            case "to_user_prefix" -> prefix(SipField.TO_USER, value);
            case "user_agent_prefix" -> prefix(SipField.USER_AGENT, value);
            case "user_agent_suffix" -> suffix(SipField.USER_AGENT, value);
            default -> bindResponse(what, args.get(1), ctx);
        };
    }

    private static BoundCall prefix(SipField f, byte[] value) {
        return m -> {
            SipMessage s = SipSlot.parsed(m);
            return s != null && s.startsWith(f, value) ? TRUE : FALSE;
        };
    }

    private static BoundCall suffix(SipField f, byte[] value) {
        return m -> {
            SipMessage s = SipSlot.parsed(m);
            return s != null && s.endsWith(f, value) ? TRUE : FALSE;
        };
    }

    private BoundCall bindResponse(String what, String value, BindContext ctx) {
        int code;
        try {
            code = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            code = -1;
        }
        if (code < 100 || code > 699) {
            ctx.error(
                    "sip_check(\"" + what + "\", \"" + value + "\"): " + value + " is not a SIP status code (100-699)");
            return null;
        }
        int want = code;
        boolean gt = what.startsWith("response_gt");
        boolean lt = what.startsWith("response_lt");
        if ((gt || lt) && !settings.responseGtLtCompare()) {
            ctx.warning("sip_check(\"" + what
                    + "\") tests for equality, as in captagent; set modules.sip.response-gt-lt-compare: true to compare with "
                    + (gt ? ">" : "<"));
            gt = false;
            lt = false;
        }
        if (gt)
            return m -> {
                SipMessage s = SipSlot.parsed(m);
                return s != null && s.isResponse() && s.statusCode() > want ? TRUE : FALSE;
            };
        if (lt)
            return m -> {
                SipMessage s = SipSlot.parsed(m);
                return s != null && s.isResponse() && s.statusCode() < want ? TRUE : FALSE;
            };
        return m -> {
            SipMessage s = SipSlot.parsed(m);
            return s != null && s.statusCode() == want ? TRUE : FALSE;
        };
    }

    // ------------------------------------------------------------------ header_check / header_regexp_match

    /** What a {@code header_check}/{@code header_regexp_match} name argument selects. */
    private sealed interface Subject permits Parsed, Header, Raw {}

    /** A field filled by a plan parse function (User-Agent, custom). */
    private record Parsed(SipField field) implements Subject {}

    /** Any header, looked up in the header table (parsing on demand). */
    private record Header(HeaderName name) implements Subject {}

    /** The whole payload. */
    private record Raw() implements Subject {}

    private Subject subject(String fn, String name, boolean allowRaw, BindContext ctx) {
        if (name.startsWith("User-Agent") || name.startsWith("useragent")) return new Parsed(SipField.USER_AGENT);
        if (name.startsWith("custom")) {
            if (parser.customHeader() == null) {
                ctx.warning(
                        fn + "(\"" + name + "\", ...): modules.sip.custom-header is not set, so this is never true");
            }
            return new Parsed(SipField.CUSTOM);
        }
        if (allowRaw && (name.equals("body") || name.equals("raw"))) return new Raw();
        if (!HeaderName.isValid(name)) {
            ctx.error(fn + ": \"" + name + "\" is not a header name");
            return null;
        }
        return new Header(HeaderName.of(name));
    }

    private BoundCall bindHeaderCheck(List<String> args, BindContext ctx) {
        Subject subject = subject("header_check", args.get(0), false, ctx);
        if (subject == null) return null;
        byte[] value = args.get(1).getBytes(StandardCharsets.UTF_8);
        if (subject instanceof Parsed p) {
            SipField f = p.field();
            return m -> {
                SipMessage s = SipSlot.parsed(m);
                return s != null && s.startsWith(f, value) ? TRUE : FALSE;
            };
        }
        HeaderName name = ((Header) subject).name();
        return m -> {
            SipMessage s = SipSlot.of(m).parse(parser, m, false);
            int i = s.findHeader(name, 0);
            if (i < 0) return FALSE;
            return startsWith(s.buffer(), s.headerValueOffset(i), s.headerValueLength(i), value) ? TRUE : FALSE;
        };
    }

    private BoundCall bindRegexpMatch(List<String> args, BindContext ctx) {
        String regexpName = args.get(1);
        Pattern pattern = settings.regexps().get(regexpName);
        if (pattern == null) {
            if (settings.regexps().isEmpty()) {
                ctx.error("header_regexp_match: no regular expression named \"" + regexpName
                        + "\": modules.sip.regexps defines none");
            } else {
                ctx.error("header_regexp_match: no regular expression named \"" + regexpName + "\""
                        + Suggest.hint(regexpName, settings.regexps().keySet())
                        + "; modules.sip.regexps defines: "
                        + String.join(", ", settings.regexps().keySet()));
            }
            return null;
        }
        Subject subject = subject("header_regexp_match", args.get(0), true, ctx);
        if (subject == null) return null;
        // Matchers are not thread-safe and allocating one per packet is avoidable: one per thread.
        ThreadLocal<Matcher> matchers = ThreadLocal.withInitial(() -> pattern.matcher(""));
        if (subject instanceof Raw) {
            return m -> {
                SipSlot slot = SipSlot.of(m);
                return find(matchers, slot.view(m.payload(), m.payloadOffset(), m.payloadLength()));
            };
        }
        if (subject instanceof Parsed p) {
            SipField f = p.field();
            return m -> {
                SipSlot slot = SipSlot.of(m);
                SipMessage s = slot.planned(m);
                if (s == null || !s.has(f)) return FALSE;
                return find(matchers, slot.view(s.buffer(), s.offset(f), s.length(f)));
            };
        }
        HeaderName name = ((Header) subject).name();
        return m -> {
            SipSlot slot = SipSlot.of(m);
            SipMessage s = slot.parse(parser, m, false);
            int i = s.findHeader(name, 0);
            if (i < 0 || s.headerValueLength(i) == 0) return FALSE;
            return find(matchers, slot.view(s.buffer(), s.headerValueOffset(i), s.headerValueLength(i)));
        };
    }

    private static int find(ThreadLocal<Matcher> matchers, CharSequence subject) {
        Matcher matcher = matchers.get().reset(subject);
        boolean found = matcher.find();
        matcher.reset(""); // do not keep the packet's bytes reachable
        return found ? TRUE : FALSE;
    }

    static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len == 0 || prefix.length > len) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ send_reply

    /**
     * Answers the sender of the current message through its {@link ReplyChannel} (only messages a
     * collector socket received have one; for captured packets the call does nothing and says
     * so once at debug level). The request is the plan's parse of it, or parsed here if the plan
     * did not. A second final response to the same message is refused by the channel (one final
     * response per request). Returns 1 like captagent, even when nothing could be sent: a plan
     * cannot do anything better with a failure, and the socket counts it.
     */
    private BoundCall bindReply(String fn, String codeText, String reason, BindContext ctx) {
        int code;
        try {
            code = Integer.parseInt(codeText.trim());
        } catch (NumberFormatException e) {
            code = -1;
        }
        if (code < 100 || code > 699) {
            ctx.error(fn + ": \"" + codeText + "\" is not a SIP status code (100-699)");
            return null;
        }
        if (!SipReplyBuilder.isValidReason(reason)) {
            ctx.error(fn + ": the reason phrase must not contain line breaks or control characters");
            return null;
        }
        String socket = ctx.socketName();
        boolean isFinal = code >= 200;
        int status = code;
        boolean[] logged = {false};
        return m -> {
            ReplyChannel channel = m.replyChannel();
            if (channel == null) {
                if (!logged[0] && LOG.isLoggable(Level.DEBUG)) {
                    logged[0] = true;
                    LOG.log(
                            Level.DEBUG,
                            "{0}: socket \"{1}\" has no reply channel (only a collector socket has one); reply not sent",
                            fn,
                            socket);
                }
                return TRUE;
            }
            if (isFinal && channel.hasReplied()) return TRUE; // one final response per request
            SipMessage request = SipSlot.parsed(m);
            if (request == null) request = SipSlot.of(m).parse(parser, m, false);
            byte[] response = replies.build(request, status, reason);
            if (response != null) channel.send(response, 0, response.length, isFinal);
            return TRUE;
        };
    }
}
