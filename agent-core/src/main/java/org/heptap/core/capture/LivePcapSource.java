package org.heptap.core.capture;

import java.io.EOFException;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;

/**
 * Live capture from a network interface (or {@code any}) through pcap4j and the system libpcap.
 *
 * <p>One thread calls {@link #next}; {@link #close} may come from any thread and wakes a blocked
 * read (pcap_breakloop), which then returns {@link #END}.
 *
 * <p>Per packet, pcap4j 1.8.2's {@code getNextRawPacketEx} allocates the frame's byte array, a
 * {@code Timestamp}, a boxed length and two JNA {@code PointerByReference}s; the latter are native
 * {@code Memory} blocks, each registered in JNA's global weak map and (JNA 5.3) finalizable, and
 * they dominate the cost: microseconds per packet, against a tenth of one for the pure Java file
 * reader. {@code loop}/{@code dispatch} with a {@code RawPacketListener} allocate somewhat less,
 * but push packets into a callback (a new JNA callback per call) instead of filling the caller's
 * frame, which does not fit {@link PacketSource}. No pcap4j call fills a caller's buffer, so
 * this source takes over the array pcap4j already made instead of copying it again; removing the
 * rest needs a direct JNA mapping of {@code pcap_next_ex}.
 */
public final class LivePcapSource implements PacketSource {
    /** PCAP_ERROR_* codes from pcap.h that get their own operator message. */
    private static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;
    private static final int PCAP_ERROR_PERM_DENIED = -8;
    private static final int PCAP_ERROR_IFACE_NOT_UP = -9;
    private static final int PCAP_ERROR_PROMISC_PERM_DENIED = -11;

    /** Settings of one capture socket (captagent's socket_pcap profile). */
    public record Options(String device, boolean promiscuous, int snaplen, int bufferBytes,
                          int timeoutMillis, boolean immediate, String filter) {
        public Options {
            if (device == null || device.isBlank()) throw new IllegalArgumentException("capture device must be named");
            if (snaplen <= 0) throw new IllegalArgumentException("snaplen must be positive, got " + snaplen);
            if (bufferBytes <= 0) throw new IllegalArgumentException("buffer size must be positive, got " + bufferBytes);
            if (timeoutMillis < 0) throw new IllegalArgumentException("read timeout must be >= 0 ms, got " + timeoutMillis);
            if (filter == null) filter = "";
        }

        /**
         * Defaults: not promiscuous, snaplen 65535, 12 MiB kernel buffer (captagent's
         * ring-buffer default), 100 ms read timeout, no immediate mode, no filter.
         */
        public static Options forDevice(String device) {
            return new Options(device, false, 65535, 12 << 20, 100, false, "");
        }

        public Options withPromiscuous(boolean on) {
            return new Options(device, on, snaplen, bufferBytes, timeoutMillis, immediate, filter);
        }

        public Options withSnaplen(int bytes) {
            return new Options(device, promiscuous, bytes, bufferBytes, timeoutMillis, immediate, filter);
        }

        public Options withBufferBytes(int bytes) {
            return new Options(device, promiscuous, snaplen, bytes, timeoutMillis, immediate, filter);
        }

        /** 0 = block until a packet arrives (close still wakes the reader). */
        public Options withTimeoutMillis(int millis) {
            return new Options(device, promiscuous, snaplen, bufferBytes, millis, immediate, filter);
        }

        public Options withImmediate(boolean on) {
            return new Options(device, promiscuous, snaplen, bufferBytes, timeoutMillis, on, filter);
        }

        public Options withFilter(String bpf) {
            return new Options(device, promiscuous, snaplen, bufferBytes, timeoutMillis, immediate, bpf);
        }
    }

    private final PcapHandle handle;
    private final String description;
    private final int linkType;
    private volatile boolean closed;
    private volatile CaptureStats lastStats = new CaptureStats(0, 0, 0);

    LivePcapSource(PcapHandle handle, String description) {
        this.handle = handle;
        this.description = description;
        this.linkType = handle.getDlt().value();
    }

    /** Opens and activates the capture and installs the filter; errors are operator-ready. */
    public static LivePcapSource open(Options o) throws CaptureException {
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(o.device())
                    .snaplen(o.snaplen())
                    .promiscuousMode(o.promiscuous()
                            ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                            : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .bufferSize(o.bufferBytes())
                    .timeoutMillis(o.timeoutMillis())
                    .immediateMode(o.immediate())
                    .build();
        } catch (PcapNativeException e) {
            throw openError(o.device(), e);
        } catch (LinkageError e) {
            throw new CaptureException(CaptureException.Reason.NO_LIBPCAP,
                    "cannot load libpcap for live capture (install the libpcap package, e.g. libpcap0.8 or libpcap): "
                            + e, e);
        }
        if (!o.filter().isEmpty()) {
            try {
                applyFilter(handle, o.filter(), o.device());
            } catch (CaptureException e) {
                handle.close();
                throw e;
            }
        }
        String desc = "interface " + o.device()
                + (o.filter().isEmpty() ? "" : ", filter \"" + o.filter() + "\"")
                + ", snaplen " + o.snaplen() + ", link type " + LinkTypes.describe(handle.getDlt().value());
        return new LivePcapSource(handle, desc);
    }

    /** Compiles and installs {@code filter}; a bad expression names itself and libpcap's complaint. */
    static void applyFilter(PcapHandle handle, String filter, String device) throws CaptureException {
        try {
            BpfProgram program = handle.compileFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE,
                    PcapHandle.PCAP_NETMASK_UNKNOWN);
            try {
                handle.setFilter(program);
            } finally {
                program.free();
            }
        } catch (PcapNativeException e) {
            throw new CaptureException(CaptureException.Reason.BAD_FILTER,
                    "invalid capture filter \"" + filter + "\" on " + device + ": " + BpfFilter.libpcapMessage(e), e);
        } catch (NotOpenException e) {
            throw new CaptureException(CaptureException.Reason.OTHER, "capture on " + device + " was closed", e);
        }
    }

    static CaptureException openError(String device, PcapNativeException e) {
        Integer rc = e.getReturnCode();
        int code = rc == null ? 0 : rc;
        String libpcap = e.getMessage();
        switch (code) {
            case PCAP_ERROR_NO_SUCH_DEVICE:
                return new CaptureException(CaptureException.Reason.NO_SUCH_DEVICE,
                        "capture interface \"" + device + "\" does not exist (libpcap: " + libpcap
                                + "); available: " + availableDevices(), e);
            case PCAP_ERROR_PERM_DENIED:
            case PCAP_ERROR_PROMISC_PERM_DENIED:
                return new CaptureException(CaptureException.Reason.PERMISSION_DENIED,
                        "no permission to capture on \"" + device + "\" (libpcap: " + libpcap + "). "
                                + "Run heptap as root, or grant CAP_NET_RAW and CAP_NET_ADMIN: with systemd set "
                                + "AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN in the unit, otherwise "
                                + "setcap cap_net_raw,cap_net_admin+eip on the java binary that runs heptap", e);
            case PCAP_ERROR_IFACE_NOT_UP:
                return new CaptureException(CaptureException.Reason.OTHER,
                        "capture interface \"" + device + "\" is down (libpcap: " + libpcap + ")", e);
            default:
                return new CaptureException(CaptureException.Reason.OTHER,
                        "cannot capture on \"" + device + "\": " + libpcap, e);
        }
    }

    private static String availableDevices() {
        try {
            List<String> names = new ArrayList<>();
            for (PcapNetworkInterface nif : Pcaps.findAllDevs()) names.add(nif.getName());
            return names.isEmpty() ? "none visible" : String.join(", ", names);
        } catch (PcapNativeException | RuntimeException e) {
            return "(cannot list interfaces: " + e.getMessage() + ")";
        }
    }

    @Override
    public int next(Frame frame) throws IOException {
        if (closed) return END;
        byte[] raw;
        try {
            raw = handle.getNextRawPacketEx();
        } catch (TimeoutException e) {
            return TIMEOUT;
        } catch (EOFException e) {
            return END; // pcap_breakloop from close(), or the end of an offline handle
        } catch (NotOpenException e) {
            return END; // closed by another thread between two reads
        } catch (PcapNativeException e) {
            if (closed) return END;
            throw new IOException("capture failed: " + description + ": " + e.getMessage(), e);
        }
        // pcap4j made a fresh array for this packet; taking it over saves copying it again
        frame.data = raw;
        frame.length = raw.length;
        Integer wire = handle.getOriginalLength();
        frame.wireLength = wire == null ? raw.length : wire;
        Timestamp ts = handle.getTimestamp();
        frame.timestampMicros = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000L + ts.getNanos() / 1000;
        frame.linkType = linkType;
        return PACKET;
    }

    /**
     * libpcap's counters (received, dropped by the kernel buffer, dropped by the interface). May be
     * called from a metrics thread while the capture thread reads (pcap4j's handle lock admits
     * both); after close, the last values read.
     */
    @Override
    public CaptureStats stats() {
        if (closed) return lastStats;
        try {
            PcapStat s = handle.getStats();
            lastStats = new CaptureStats(s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf());
        } catch (PcapNativeException | NotOpenException e) {
            // not available (e.g. an offline handle) or closed meanwhile: keep the last values
        }
        return lastStats;
    }

    @Override
    public String describe() { return description; }

    /**
     * Stops the capture. A read blocked in libpcap is woken by pcap_breakloop and returns END;
     * pcap4j's handle lock makes the final pcap_close wait until that read has left libpcap.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        stats();
        closed = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException ignored) {
            // already closed
        }
        handle.close();
    }
}
