package org.heptap.core.capture;

/**
 * One captured link-layer frame, filled in place by a {@link PacketSource}. The data buffer is
 * owned by the source, which copies each frame into it (growing it when needed) or, when live
 * capture falls back to pcap4j's read, replaces it with the array pcap4j made; either way its
 * contents are valid until the next call to
 * {@link PacketSource#next}, and only the first {@link #length} bytes belong to the frame.
 */
public final class Frame {
    /** Frame bytes start at offset 0. */
    public byte[] data = new byte[65536];
    /** Captured length (may be less than {@link #wireLength} when snaplen cut it). */
    public int length;
    /** Length of the frame on the wire. */
    public int wireLength;
    /** Capture time in microseconds since the epoch (nanosecond sources truncate). */
    public long timestampMicros;
    /** libpcap DLT/LINKTYPE value (1 Ethernet, 113 Linux SLL, 276 Linux SLL2, 101 raw IP, ...). */
    public int linkType;

    /** Makes sure {@link #data} holds at least {@code n} bytes. */
    public void ensureCapacity(int n) {
        if (data.length < n) data = new byte[Math.max(n, data.length * 2)];
    }
}
