package org.heptap.rtcp;

import org.heptap.core.message.Message;

/**
 * The parse of the current packet's payload as RTCP, kept with the message object (as module-sip's
 * SipSlot): {@code is_rtcp_exist} needs the SSRCs for NAT matching and {@code parse_rtcp_to_json}
 * the whole compound, and the datagram is validated once for both.
 */
final class RtcpSlot {
    private static final int KEY = Message.newAttachmentKey();

    final RtcpCompound compound = new RtcpCompound();
    private RtcpResult result = RtcpResult.EMPTY;
    private Message owner;
    private long sequence = -1;
    private boolean rejectionCounted;
    private byte[] buf;
    private int off;
    private int len;

    /** The slot kept with this message object (made on first use). */
    static RtcpSlot of(Message message) {
        Object s = message.attachment(KEY);
        if (s == null) {
            s = new RtcpSlot();
            message.attach(KEY, s);
        }
        return (RtcpSlot) s;
    }

    /** Parses the message's payload unless this packet's payload was already parsed. */
    RtcpResult parse(Message m) {
        if (owner != m
                || sequence != m.sequence()
                || buf != m.payload()
                || off != m.payloadOffset()
                || len != m.payloadLength()) {
            owner = m;
            sequence = m.sequence();
            buf = m.payload();
            off = m.payloadOffset();
            len = m.payloadLength();
            result = RtcpParser.parse(buf, off, len, compound);
            rejectionCounted = false;
        }
        return result;
    }

    /** True the first time it is asked for a rejected packet: a rejection is counted once. */
    boolean countRejection() {
        if (result == RtcpResult.OK || rejectionCounted) return false;
        rejectionCounted = true;
        return true;
    }
}
