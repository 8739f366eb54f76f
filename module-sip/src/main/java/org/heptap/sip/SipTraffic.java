package org.heptap.sip;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.heptap.core.spi.ModuleMeters;

/**
 * SIP requests by method and responses by status code of one socket, for the metrics endpoint
 * ({@code heptap_sip_requests_total{socket,method}}, {@code heptap_sip_responses_total{socket,code}}).
 * Every counter is made when the plan is bound, so counting a message is a few byte comparisons
 * and one {@link LongAdder#increment()}: known methods have a counter each and the rest share
 * "other"; common status codes have one each, the rest count by class ("4xx").
 */
final class SipTraffic {
    static final String REQUESTS = "heptap.sip.requests";
    static final String RESPONSES = "heptap.sip.responses";
    /** RFC 3261 and the extensions in common use. */
    static final String[] METHODS = {
        "INVITE",
        "ACK",
        "BYE",
        "CANCEL",
        "REGISTER",
        "OPTIONS",
        "PRACK",
        "SUBSCRIBE",
        "NOTIFY",
        "PUBLISH",
        "INFO",
        "REFER",
        "MESSAGE",
        "UPDATE"
    };
    /** Status codes counted one by one; any other valid code is counted by its class. */
    static final int[] CODES = {
        100, 180, 181, 182, 183, 199, 200, 202, 204, 300, 301, 302, 305, 380, 400, 401, 402, 403, 404, 405, 406, 407,
        408, 410, 413, 415, 420, 422, 423, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489, 491, 493, 500, 501, 502,
        503, 504, 505, 513, 580, 600, 603, 604, 606, 607, 608
    };

    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];

    static {
        for (int i = 0; i < METHODS.length; i++) METHOD_BYTES[i] = METHODS[i].getBytes(StandardCharsets.US_ASCII);
    }

    private final LongAdder[] requests = new LongAdder[METHODS.length];
    private final LongAdder otherRequests;
    /** By status code 100-699: the code's own counter, or its class's. */
    private final LongAdder[] responses = new LongAdder[700];

    private final LongAdder otherResponses;

    /** The counters of socket {@code socket} ({@code meters} gives the same ones to every plan compile). */
    SipTraffic(ModuleMeters meters, String socket) {
        String reqHelp =
                "SIP requests the socket's plan parsed (parse_sip and co), by method; unknown methods count as other";
        for (int i = 0; i < METHODS.length; i++)
            requests[i] = meters.counter(REQUESTS, reqHelp, "socket", socket, "method", METHODS[i]);
        otherRequests = meters.counter(REQUESTS, reqHelp, "socket", socket, "method", "other");
        String respHelp =
                "SIP responses the socket's plan parsed (parse_sip and co), by status code; uncommon codes count by class (4xx)";
        for (int c = 1; c <= 6; c++) {
            LongAdder cls = meters.counter(RESPONSES, respHelp, "socket", socket, "code", c + "xx");
            for (int i = c * 100; i < c * 100 + 100; i++) responses[i] = cls;
        }
        for (int code : CODES)
            responses[code] = meters.counter(RESPONSES, respHelp, "socket", socket, "code", Integer.toString(code));
        otherResponses = meters.counter(RESPONSES, respHelp, "socket", socket, "code", "other");
    }

    /** Counts one parsed message (hot path: no allocation). */
    void count(SipMessage s) {
        if (s.isRequest()) {
            requests(s).increment();
        } else if (s.isResponse()) {
            int code = s.statusCode();
            (code >= 100 && code < 700 ? responses[code] : otherResponses).increment();
        }
    }

    private LongAdder requests(SipMessage s) {
        byte[] b = s.buffer();
        int off = s.offset(SipField.METHOD);
        int len = s.length(SipField.METHOD);
        for (int i = 0; i < METHOD_BYTES.length; i++) {
            byte[] m = METHOD_BYTES[i];
            if (m.length != len) continue;
            int j = 0;
            while (j < len && b[off + j] == m[j]) j++;
            if (j == len) return requests[i];
        }
        return otherRequests;
    }
}
