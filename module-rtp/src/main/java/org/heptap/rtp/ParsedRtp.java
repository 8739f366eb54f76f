package org.heptap.rtp;

import org.heptap.core.message.Message;

/**
 * A message's payload parsed as RTP once per packet, however many plan calls ask: the stock plan
 * asks {@code is_rtp()} and then {@code analyse_rtp()} of every packet. Kept with the message
 * object (its pipeline thread's alone) and valid for the packet and payload it was parsed from.
 */
final class ParsedRtp {
    private static final int KEY = Message.newAttachmentKey();

    final RtpHeader header = new RtpHeader();
    private RtpResult result;
    private long sequence = Long.MIN_VALUE;
    private byte[] payload;
    private int offset;
    private int length;

    private ParsedRtp() {}

    /** {@code m}'s payload parsed (now, or earlier for the same packet and payload). */
    static ParsedRtp of(Message m) {
        ParsedRtp p = (ParsedRtp) m.attachment(KEY);
        if (p == null) {
            p = new ParsedRtp();
            m.attach(KEY, p);
        }
        byte[] b = m.payload();
        int off = m.payloadOffset();
        int len = m.payloadLength();
        if (p.sequence != m.sequence() || p.payload != b || p.offset != off || p.length != len) {
            p.result = RtpHeaderParser.parse(b, off, len, p.header);
            p.sequence = m.sequence();
            p.payload = b;
            p.offset = off;
            p.length = len;
        }
        return p;
    }

    boolean isRtp() {
        return result == RtpResult.RTP;
    }
}
