package org.heptap.pcap;

import org.heptap.core.capture.Frame;
import org.heptap.core.message.Message;

/**
 * One message waiting for the writer thread: a copy of its captured frame, or (when it has none)
 * of its addresses, ports and payload for {@link FrameSynthesizer}. Slots are pooled and reused,
 * so a send allocates nothing once its slot's buffer is large enough.
 */
final class QueuedRecord {
    /** A slot whose buffer grew beyond this gives it back when released, so rare giants do not pin memory. */
    static final int KEPT_CAPACITY = 1 << 16;

    /** The smallest buffer a slot takes on its first use (slots start empty: a large queue costs little until used). */
    private static final int INITIAL_CAPACITY = 2048;

    private static final byte[] EMPTY = new byte[0];

    byte[] data = EMPTY;
    int length;
    int wireLength;
    int linkType;
    long timestampNanos;
    boolean nanosecondTime;
    /** True when {@link #data} is a payload to wrap in synthesised headers, not a frame. */
    boolean synthesize;

    int ipVersion;
    int ipProtocol;
    final byte[] src = new byte[16];
    final byte[] dst = new byte[16];
    int srcPort;
    int dstPort;

    /** Copies what the file needs from {@code m}: the one copy a send makes. */
    void copyOf(Message m) {
        Frame f = m.frame();
        if (f != null) {
            fill(f.data, f.offset, f.length);
            // an unknown wire length (a corrupt source) is written as the captured one
            wireLength = f.wireLength >= f.length && f.wireLength != Integer.MAX_VALUE ? f.wireLength : f.length;
            linkType = f.linkType;
            timestampNanos = f.timestampNanos;
            nanosecondTime = f.nanosecondTime;
            synthesize = false;
            return;
        }
        fill(m.payload(), m.payloadOffset(), m.payloadLength());
        wireLength = m.payloadLength();
        linkType = FrameSynthesizer.LINK_TYPE;
        timestampNanos = m.timestampMicros() * 1000L;
        nanosecondTime = false;
        synthesize = true;
        ipVersion = m.ipVersion();
        ipProtocol = m.ipProtocol();
        System.arraycopy(m.srcAddr(), 0, src, 0, 16);
        System.arraycopy(m.dstAddr(), 0, dst, 0, 16);
        srcPort = m.srcPort();
        dstPort = m.dstPort();
    }

    private void fill(byte[] from, int offset, int n) {
        if (data.length < n) data = new byte[Math.max(INITIAL_CAPACITY, Math.max(n, data.length * 2))];
        System.arraycopy(from, offset, data, 0, n);
        length = n;
    }

    /** Back to the pool: an oversized buffer is let go. */
    void release() {
        if (data.length > KEPT_CAPACITY) data = EMPTY;
    }
}
