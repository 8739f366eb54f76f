package org.heptap.core.capture;

/**
 * One captured link-layer frame, filled in place by a {@link PacketSource}: the frame is the
 * {@link #length} bytes of {@link #data} from {@link #offset}, valid until the next call to
 * {@link PacketSource#next}. A source either copies the frame into the frame's own buffer
 * ({@link #ensureCapacity}, offset 0) or lends an array it already has ({@link #view}): a capture
 * file's read window, the array pcap4j made for a live packet. Lending saves the copy; the frame
 * is then read in place, so nobody may keep {@link #data} past the next frame.
 */
public final class Frame {
    /** The frame's own buffer, which copying sources fill. */
    private byte[] own = new byte[65536];
    /** The frame's bytes start at {@link #offset}: the frame's own buffer, or an array lent by the source. */
    public byte[] data = own;
    /** Where the frame starts in {@link #data}. */
    public int offset;
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

    /**
     * Makes {@link #data} the frame's own buffer, at least {@code n} bytes, for a source that copies
     * the frame in at offset 0.
     */
    public void ensureCapacity(int n) {
        if (own.length < n) own = new byte[Math.max(n, own.length * 2)];
        data = own;
        offset = 0;
    }

    /** The frame is {@code length} bytes of {@code array} from {@code from}, lent by the source until its next frame. */
    public void view(byte[] array, int from, int length) {
        if (from < 0 || length < 0 || from > array.length - length) {
            throw new IllegalArgumentException(
                    "frame of " + length + " bytes at " + from + " outside an array of " + array.length);
        }
        data = array;
        offset = from;
        this.length = length;
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
