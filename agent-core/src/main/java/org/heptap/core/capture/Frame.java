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
    /**
     * Capture time in nanoseconds since the epoch: exact when {@link #nanosecondTime}, else
     * {@link #timestampMicros} times 1000. Set both through {@link #setTimeMicros} or
     * {@link #setTimeNanos}, which keep them consistent.
     */
    public long timestampNanos;
    /**
     * True when the source resolved the time finer than a microsecond (a nanosecond pcap, a
     * pcapng interface with if_tsresol above 6, a live handle opened with nanosecond precision):
     * a pcap writer then keeps the nanoseconds.
     */
    public boolean nanosecondTime;
    /** libpcap DLT/LINKTYPE value (1 Ethernet, 113 Linux SLL, 276 Linux SLL2, 101 raw IP, ...). */
    public int linkType;

    /** Makes sure {@link #data} holds at least {@code n} bytes. */
    public void ensureCapacity(int n) {
        if (data.length < n) data = new byte[Math.max(n, data.length * 2)];
    }

    /** Sets a microsecond capture time (the nanoseconds are derived, {@link #nanosecondTime} false). */
    public void setTimeMicros(long micros) {
        timestampMicros = micros;
        timestampNanos = micros * 1000L;
        nanosecondTime = false;
    }

    /**
     * Sets a nanosecond capture time; the microseconds are truncated, never rounded (a rounded
     * value could move a packet into the next second, and tshark truncates too).
     */
    public void setTimeNanos(long nanos) {
        timestampNanos = nanos;
        timestampMicros = Math.floorDiv(nanos, 1000L);
        nanosecondTime = true;
    }
}
