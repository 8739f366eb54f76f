package org.heptap.sip;

import java.nio.charset.StandardCharsets;

/** Builds test messages: lines joined with CRLF, a blank line, then the body. */
final class Sip {
    private Sip() {}

    static byte[] msg(String... headerLines) {
        return msgWithBody("", headerLines);
    }

    static byte[] msgWithBody(String body, String... headerLines) {
        StringBuilder sb = new StringBuilder();
        for (String l : headerLines) sb.append(l).append("\r\n");
        sb.append("\r\n").append(body);
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static SipMessage parse(byte[] b) {
        SipMessage m = new SipMessage();
        new SipParser().parse(b, 0, b.length, m);
        return m;
    }

    static String sdp(String... lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l).append("\r\n");
        return sb.toString();
    }
}
