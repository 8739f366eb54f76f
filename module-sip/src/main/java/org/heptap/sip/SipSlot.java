package org.heptap.sip;

import java.nio.charset.StandardCharsets;
import org.heptap.core.message.Message;

/**
 * The parsed SIP message of the packet a plan is running for: the per-packet state that
 * {@code parse_sip()} fills and {@code sip_check()}, {@code sip_has_sdp()},
 * {@code header_check()} (and other modules, e.g. RTCP correlation reading
 * {@link SipMessage#sdp()}) read.
 *
 * <p>Where it lives, and how validity is decided: a plan runs on the thread that captured the
 * packet, start to end, and a {@link Message} object is owned by one pipeline thread and reused
 * for each of its packets. The slot is therefore attached to the message object
 * ({@link Message#attachment(int)}): every call of one plan run finds the same state without
 * locks or a thread-local look-up (which costs a native call per look-up before the optimizing
 * JIT has compiled it). The slot is valid for a packet iff it was filled at the same
 * {@link Message#sequence()}; anything else (a new packet) reads as "nothing parsed". Being
 * reachable from the message alone is also what lets another module use it through
 * {@link #parsed(Message)} without an SPI change.
 */
public final class SipSlot {
    private static final int KEY = Message.newAttachmentKey();

    private final SipMessage sip = new SipMessage();
    private final Latin1View view = new Latin1View();
    private Message owner;
    private long sequence = -1;
    private byte[] parsedBuf;
    private int parsedOff;
    private int parsedLen;
    private SipParser parsedWith;
    /** True once a parse function of the plan (not an on-demand header look-up) ran. */
    private boolean announced;

    private SipSlot() {}

    /** The slot kept with this message object (made on first use). */
    public static SipSlot of(Message message) {
        Object s = message.attachment(KEY);
        if (s == null) {
            s = new SipSlot();
            message.attach(KEY, s);
        }
        return (SipSlot) s;
    }

    /**
     * The SIP message that {@code parse_sip()} / {@code parse_full_sip()} /
     * {@code light_parse_sip()} successfully parsed for this packet on this thread, or null
     * (nothing parsed yet, parse failed, or the slot belongs to another packet). This is what a
     * later module uses to read the SDP of the current packet:
     * <pre>{@code
     * SipMessage sip = SipSlot.parsed(message);
     * if (sip != null && sip.hasSdp()) {
     *     Sdp sdp = sip.sdp();
     *     for (int i = 0; i < sdp.mediaCount(); i++) { sdp.rtcpAddress(i); sdp.rtcpPort(i); ... }
     * }
     * }</pre>
     */
    public static SipMessage parsed(Message message) {
        Object s = message.attachment(KEY);
        return s == null ? null : ((SipSlot) s).planned(message);
    }

    /** Like {@link #parsed(Message)}, on this slot. */
    public SipMessage planned(Message message) {
        return announced && isFor(message) && sip.isOk() ? sip : null;
    }

    /**
     * Parses the message's payload unless this slot already holds the parse of the same payload
     * for the same packet. {@code announce} marks it as done by a plan parse function.
     */
    SipMessage parse(SipParser parser, Message message, boolean announce) {
        if (!isFor(message)
                || parsedWith != parser
                || parsedBuf != message.payload()
                || parsedOff != message.payloadOffset()
                || parsedLen != message.payloadLength()) {
            parser.parse(message.payload(), message.payloadOffset(), message.payloadLength(), sip);
            owner = message;
            sequence = message.sequence();
            parsedBuf = message.payload();
            parsedOff = message.payloadOffset();
            parsedLen = message.payloadLength();
            parsedWith = parser;
            announced = false;
        }
        if (announce) announced = true;
        return sip;
    }

    /** True when a plan parse function already ran for this packet (its first run counts the message). */
    boolean announcedFor(Message message) {
        return announced && isFor(message);
    }

    /** The message if any parse of this packet has run (on demand or by the plan), else null. */
    SipMessage any(Message message) {
        return isFor(message) ? sip : null;
    }

    /** A reusable char view of bytes for regular expressions. */
    Latin1View view(byte[] b, int off, int len) {
        return view.reset(b, off, len);
    }

    private boolean isFor(Message message) {
        return owner == message && sequence == message.sequence();
    }

    /**
     * Bytes seen as ISO-8859-1 characters, so java.util.regex can match a payload slice without
     * decoding or copying it. Non-ASCII UTF-8 shows up as its individual bytes.
     */
    static final class Latin1View implements CharSequence {
        private byte[] b = new byte[0];
        private int off;
        private int len;

        Latin1View reset(byte[] b, int off, int len) {
            this.b = b;
            this.off = off;
            this.len = len;
            return this;
        }

        @Override
        public int length() {
            return len;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= len) throw new IndexOutOfBoundsException(index);
            return (char) (b[off + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            if (start < 0 || end > len || start > end) throw new IndexOutOfBoundsException();
            return new Latin1View().reset(b, off + start, end - start);
        }

        @Override
        public String toString() {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }
}
