package org.heptap.rtp;

import java.nio.charset.StandardCharsets;

/**
 * Payload type → codec name and RTP clock rate for one media description: the static types of
 * RFC 3551 §6 plus the dynamic ones (96-127) an SDP {@code a=rtpmap} announced. Shared by the
 * streams of a call rather than copied into each, so a stream costs a reference, not a table.
 */
public final class PayloadTypes {
    /** Comfort noise (RFC 3389) and its old number: not voice, skipped by delta and jitter as Wireshark does. */
    static final int CN = 13;

    static final int CN_OLD = 19;
    static final int MAX_DYNAMIC = 16;

    private static final byte[] RTPMAP = "a=rtpmap:".getBytes(StandardCharsets.US_ASCII);
    private static final String[] STATIC_NAME = new String[96];
    private static final int[] STATIC_RATE = new int[96];

    static {
        def(0, "PCMU", 8000);
        def(3, "GSM", 8000);
        def(4, "G723", 8000);
        def(5, "DVI4", 8000);
        def(6, "DVI4", 16000);
        def(7, "LPC", 8000);
        def(8, "PCMA", 8000);
        def(9, "G722", 8000);
        def(10, "L16", 44100);
        def(11, "L16", 44100);
        def(12, "QCELP", 8000);
        def(13, "CN", 8000);
        def(14, "MPA", 90000);
        def(15, "G728", 8000);
        def(16, "DVI4", 11025);
        def(17, "DVI4", 22050);
        def(18, "G729", 8000);
        def(19, "CN", 8000);
        def(25, "CelB", 90000);
        def(26, "JPEG", 90000);
        def(28, "nv", 90000);
        def(31, "H261", 90000);
        def(32, "MPV", 90000);
        def(33, "MP2T", 90000);
        def(34, "H263", 90000);
    }

    private static void def(int pt, String name, int rate) {
        STATIC_NAME[pt] = name;
        STATIC_RATE[pt] = rate;
    }

    /** The static table alone: what a stream no SDP described is analysed with. */
    public static final PayloadTypes STATIC = new PayloadTypes();

    private final int[] dynPt = new int[MAX_DYNAMIC];
    private final int[] dynRate = new int[MAX_DYNAMIC];
    private final String[] dynName = new String[MAX_DYNAMIC];
    private int dynCount;
    /** Bit pt − 96: a dynamic type named telephone-event, so the per-packet test is a shift, not a string compare. */
    private int events;

    /** Adds or replaces a dynamic type; beyond {@link #MAX_DYNAMIC} entries the rest are ignored. */
    public PayloadTypes define(int pt, String name, int clockRate) {
        if (pt < 96 || pt > 127) return this;
        for (int i = 0; i < dynCount; i++) {
            if (dynPt[i] == pt) {
                dynName[i] = name;
                dynRate[i] = clockRate;
                markEvent(pt, name);
                return this;
            }
        }
        if (dynCount == MAX_DYNAMIC || this == STATIC) return this;
        dynPt[dynCount] = pt;
        dynName[dynCount] = name;
        dynRate[dynCount++] = clockRate;
        markEvent(pt, name);
        return this;
    }

    private void markEvent(int pt, String name) {
        int bit = 1 << (pt - 96);
        boolean event = name != null && name.regionMatches(true, 0, "telephone-event", 0, 15);
        events = event ? events | bit : events & ~bit;
    }

    /**
     * Reads every {@code a=rtpmap:PT NAME/RATE[/CHANNELS]} line of an SDP body (RFC 8866 §6.6).
     * Lines that do not parse are skipped: a bad rtpmap costs that type its jitter, not the call.
     */
    public static PayloadTypes fromSdp(byte[] b, int off, int len) {
        PayloadTypes t = new PayloadTypes();
        int end = off + len;
        int line = off;
        while (line < end) {
            int eol = line;
            while (eol < end && b[eol] != '\n' && b[eol] != '\r') eol++;
            t.rtpmap(b, line, eol);
            line = eol + 1;
        }
        return t;
    }

    private void rtpmap(byte[] b, int p, int end) {
        byte[] prefix = RTPMAP;
        if (end - p < prefix.length) return;
        for (int i = 0; i < prefix.length; i++) if (b[p + i] != prefix[i]) return;
        p += prefix.length;
        int pt = 0;
        int digits = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9' && digits < 4) {
            pt = pt * 10 + (b[p++] - '0');
            digits++;
        }
        if (digits == 0 || p >= end || b[p] != ' ') return;
        while (p < end && b[p] == ' ') p++;
        int nameStart = p;
        while (p < end && b[p] != '/') p++;
        if (p == nameStart || p >= end) return;
        String name = new String(b, nameStart, p - nameStart, StandardCharsets.US_ASCII).trim();
        p++;
        long rate = 0;
        int rateDigits = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9' && rateDigits < 9) {
            rate = rate * 10 + (b[p++] - '0');
            rateDigits++;
        }
        if (rateDigits == 0 || rate == 0) return;
        define(pt, name, (int) rate);
    }

    /** Codec name, or null when the type is unknown here. */
    public String name(int pt) {
        if (pt < 0 || pt > 127) return null;
        if (pt < 96) return STATIC_NAME[pt];
        for (int i = 0; i < dynCount; i++) if (dynPt[i] == pt) return dynName[i];
        return null;
    }

    /** RTP clock rate in Hz, or 0 when unknown (no jitter can be computed then). */
    public int clockRate(int pt) {
        if (pt < 0 || pt > 127) return 0;
        if (pt < 96) return STATIC_RATE[pt];
        for (int i = 0; i < dynCount; i++) if (dynPt[i] == pt) return dynRate[i];
        return 0;
    }

    /** RFC 4733 named events: their timestamp marks an event's start, not time, so they carry no jitter. */
    public boolean isTelephoneEvent(int pt) {
        return pt >= 96 && pt <= 127 && ((events >>> (pt - 96)) & 1) != 0;
    }

    static boolean isComfortNoise(int pt) {
        return pt == CN || pt == CN_OLD;
    }
}
