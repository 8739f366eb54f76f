package org.heptap.sip;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code modules.sip} configures, as read by {@link SipModule#configure}.
 *
 * @param parser                the parser (custom header, header table size)
 * @param regexps               named patterns for {@code header_regexp_match}, in file order
 * @param responseGtLtCompare   true: {@code sip_check("response_gt"/"response_lt", N)} compare
 *                              with &gt; / &lt;; false (default): equality, as captagent does
 */
public record SipSettings(SipParser parser, Map<String, Pattern> regexps, boolean responseGtLtCompare) {
    public static SipSettings defaults() {
        return new SipSettings(new SipParser(), Map.of(), false);
    }
}
