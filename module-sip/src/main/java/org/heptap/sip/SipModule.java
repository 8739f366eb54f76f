package org.heptap.sip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.AutoResponder;
import org.heptap.core.spi.ConfigDefault;
import org.heptap.core.spi.DiscardList;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.MessageFieldWriter;
import org.heptap.core.spi.ModuleMeters;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.StreamFramer;

/**
 * SIP parsing for capture plans: {@code parse_sip}, {@code sip_check}, {@code header_check}...
 *
 * <p>Settings ({@code modules.sip}):
 * <pre>
 * modules:
 *   sip:
 *     # Header copied for header_check("custom", ...) / header_regexp_match("custom", ...).
 *     # Any header name; extracted from every message (captagent: INVITEs only).
 *     custom-header: X-Customer-Id
 *     # Named patterns for header_regexp_match(header, name): Java regular expressions,
 *     # matched case-insensitively anywhere in the value (find, not full match).
 *     regexps:
 *       snom: "^snom[0-9]+"
 *       polycom: "polycom|poly"
 *     # Headers remembered per message for header look-ups (8-4096, default 128); more are
 *     # still parsed for the known fields but not searchable by header_check.
 *     max-headers: 128
 *     # false (default, as captagent): sip_check("response_gt"/"response_lt", N) tests
 *     # equality. true: they compare with > and <.
 *     response-gt-lt-compare: false
 * </pre>
 */
public final class SipModule implements HeptapModule {
    /** SIP's usual ports: what a capture socket watches unless it names its own. */
    public static final String PORTS = "5060-5090";

    private SipSettings settings = SipSettings.defaults();
    private ModuleMeters meters = ModuleMeters.NONE;
    /** The configuration's parse listeners (other modules' hooks on parse_sip). */
    private SipParseListeners listeners = new SipParseListeners();
    /** One per module instance, so send_reply() and the automatic 200 OK give a dialog the same To-tag. */
    private final SipReplyBuilder replies = new SipReplyBuilder();

    @Override
    public String name() {
        return "sip";
    }

    @Override
    public void configure(ConfigNode section, AgentContext agent) {
        HeaderName custom = null;
        ConfigNode c = section.child("custom-header");
        if (c != null && !c.isNull()) {
            String v = c.text();
            if (v != null) {
                v = v.trim();
                if (HeaderName.isValid(v)) custom = HeaderName.of(v);
                else c.error("\"" + v + "\" is not a header name (letters, digits and -.!%*_+`'~ only)");
            }
        }
        int maxHeaders =
                (int) section.integer("max-headers", SipMessage.DEFAULT_MAX_HEADERS, 8, SipParser.MAX_HEADERS_LIMIT);
        Map<String, Pattern> regexps = new LinkedHashMap<>();
        ConfigNode r = section.child("regexps");
        if (r != null && !r.isNull()) {
            if (!r.isMapping()) {
                r.error("must be a mapping of name: regular expression");
            } else {
                for (Map.Entry<String, ConfigNode> e : r.children().entrySet()) {
                    String pattern = e.getValue().text();
                    if (pattern == null) continue;
                    try {
                        regexps.put(e.getKey(), Pattern.compile(pattern, Pattern.CASE_INSENSITIVE));
                    } catch (PatternSyntaxException ex) {
                        e.getValue()
                                .error("invalid regular expression: " + ex.getDescription()
                                        + (ex.getIndex() >= 0 ? " at position " + ex.getIndex() : ""));
                    }
                }
            }
        }
        meters = agent.meters();
        listeners = SipParseListeners.of(agent);
        boolean compare = section.bool("response-gt-lt-compare", false);
        section.finish();
        settings = new SipSettings(new SipParser(custom, maxHeaders), Collections.unmodifiableMap(regexps), compare);
    }

    /** The configured settings (defaults until {@link #configure} ran). */
    public SipSettings settings() {
        return settings;
    }

    @Override
    public List<PlanFunction> functions() {
        return new SipFunctions(settings, replies, meters, listeners).all();
    }

    @Override
    public List<AutoResponder> autoResponders() {
        return List.of(new SipPublishResponder(settings.parser(), replies));
    }

    @Override
    public List<StreamFramer> streamFramers() {
        return List.of(new SipStreamFramer());
    }

    /** The sip_* keys of send_json documents, for packets the plan parsed as SIP. */
    @Override
    public List<MessageFieldWriter> messageFields() {
        return List.of(new SipMessageFields());
    }

    /** {@code discard-methods} on a socket: SIP requests of these methods and their responses. */
    @Override
    public List<DiscardList> discardLists() {
        return List.of(new SipMethodDiscard());
    }

    /** SIP's well-known ports, the framer of SIP over TCP, and the 200 OK responder of collectors. */
    @Override
    public java.util.Map<ConfigDefault, String> configDefaults() {
        return java.util.Map.of(
                ConfigDefault.PORT_RANGE, PORTS, ConfigDefault.STREAM_FRAMER, "sip", ConfigDefault.RESPONDER, "sip");
    }

    /** captagent functions for protocols carried beside SIP that heptap does not decode. */
    @Override
    public java.util.Set<String> declinedFunctions() {
        return java.util.Set.of("parse_diameter_to_json", "parse_isup", "parse_isup_to_json", "tzsp_payload_extract");
    }
}
