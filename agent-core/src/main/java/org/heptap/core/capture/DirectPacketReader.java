package org.heptap.core.capture;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import org.pcap4j.core.PcapHandle;

/**
 * Reads packets of a pcap4j handle with a direct {@code pcap_next_ex} call, copying each one once
 * into the caller's {@link Frame} and allocating nothing per packet. pcap4j's own read creates two
 * finalizable JNA {@code Memory} blocks, a byte array, a {@code Timestamp} and a boxed length per
 * packet: several microseconds and about a kilobyte of garbage, which at 100k packets/s is the
 * difference between keeping up and kernel drops.
 *
 * <p>Not thread-safe: one reader, and the owner must keep the handle open for the duration of
 * {@link #read} (see {@link LivePcapSource}).
 */
final class DirectPacketReader {
    private static final Logger LOG = System.getLogger(DirectPacketReader.class.getName());

    /*
     * struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; }. On Linux
     * (LP64 and ILP32) and Windows (LLP64) both timeval fields are C longs, so the layout follows
     * Native.LONG_SIZE: 8+8+4+4 on x86_64/aarch64, 4+4+4+4 on 32-bit. macOS declares tv_usec an
     * int padded to 8. 32-bit distributions built with 64-bit time_t would need 8+8 here; none is
     * a target (pcap4j's own pcap_pkthdr mapping assumes the same).
     */
    private static final int TIME_FIELD = Native.LONG_SIZE;
    private static final boolean USEC_IS_INT = Platform.isMac();
    private static final int CAPLEN_OFFSET = 2 * TIME_FIELD;
    private static final int LEN_OFFSET = CAPLEN_OFFSET + 4;

    private final Pointer pcap;
    /** pcap_next_ex's out-parameters, reused: JNA would otherwise allocate native memory per call. */
    private final PointerByReference headerOut = new PointerByReference();

    private final PointerByReference dataOut = new PointerByReference();
    /** Re-aimed at each packet's header and bytes instead of a new Pointer per packet. */
    private final Pointer header = new Pointer(0);

    private final Pointer data = new Pointer(0);
    /** 1000 for a nanosecond-precision handle (tv_usec then holds ns), else 1. */
    private final long fractionPerMicro;

    private DirectPacketReader(Pointer pcap, boolean nanos) {
        this.pcap = pcap;
        this.fractionPerMicro = nanos ? 1000 : 1;
    }

    /**
     * A direct reader of {@code handle}'s pcap_t, or null when libpcap cannot be bound directly or
     * this pcap4j keeps its pcap_t elsewhere; the caller then reads through pcap4j, and the first
     * such fallback is logged.
     */
    static DirectPacketReader attach(PcapHandle handle) {
        Throwable why = LibpcapDirect.loadFailure();
        if (why == null) {
            try {
                return new DirectPacketReader(
                        pcapPointer(handle), handle.getTimestampPrecision() == PcapHandle.TimestampPrecision.NANO);
            } catch (ReflectiveOperationException | RuntimeException e) {
                why = e;
            }
        }
        // once per capture handle, i.e. per live socket at start (no process-wide "already said" flag)
        LOG.log(
                Level.WARNING,
                "live capture falls back to pcap4j's packet read (" + why + "); it costs several "
                        + "microseconds and about 1 KB of garbage per packet, so expect kernel drops at high packet rates");
        return null;
    }

    /** pcap4j 1.8 keeps the pcap_t in the private final field {@code PcapHandle.handle}. */
    private static Pointer pcapPointer(PcapHandle handle) throws ReflectiveOperationException {
        Field f = PcapHandle.class.getDeclaredField("handle");
        f.setAccessible(true);
        Object value = f.get(handle);
        if (!(value instanceof Pointer p) || Pointer.nativeValue(p) == 0) {
            throw new NoSuchFieldException("PcapHandle.handle holds " + value + ", not a pcap_t pointer");
        }
        return p;
    }

    /**
     * One {@code pcap_next_ex}: on 1 the frame holds the packet's bytes, lengths and µs timestamp
     * (link type is the caller's); 0, -1 and -2 are returned untouched for the caller to map.
     */
    int read(Frame frame) throws IOException {
        int rc = LibpcapDirect.pcap_next_ex(pcap, headerOut, dataOut);
        if (rc != 1) return rc;
        Pointer.nativeValue(header, address(headerOut));
        int caplen = header.getInt(CAPLEN_OFFSET);
        if (caplen < 0) {
            throw new IOException("libpcap returned a packet header with caplen " + Integer.toUnsignedString(caplen));
        }
        int wire = header.getInt(LEN_OFFSET);
        long seconds = TIME_FIELD == 8 ? header.getLong(0) : header.getInt(0);
        long fraction = TIME_FIELD == 8 && !USEC_IS_INT ? header.getLong(TIME_FIELD) : header.getInt(TIME_FIELD);
        frame.ensureCapacity(caplen);
        Pointer.nativeValue(data, address(dataOut));
        data.read(0, frame.data, 0, caplen);
        frame.length = caplen;
        frame.wireLength = wire < 0 ? Integer.MAX_VALUE : wire;
        if (fractionPerMicro == 1) frame.setTimeMicros(seconds * 1_000_000L + fraction);
        else frame.setTimeNanos(seconds * 1_000_000_000L + fraction);
        return rc;
    }

    /** The pointer pcap_next_ex stored, read as a number: getValue() would allocate a Pointer. */
    private static long address(PointerByReference out) {
        Pointer slot = out.getPointer();
        return Native.POINTER_SIZE == 8 ? slot.getLong(0) : slot.getInt(0) & 0xFFFF_FFFFL;
    }
}
