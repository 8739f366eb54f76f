package org.heptap.core.capture;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>pcap4j opens, configures and activates the handle, installs the filter and maps its errors;
 * packets are read by {@link DirectPacketReader} (a direct {@code pcap_next_ex}, nothing allocated
 * per packet), or by pcap4j's own read when that cannot be bound.
 *
 * <p>One thread calls {@link #next}; {@link #close} and {@link #stats} may come from any thread.
 * close wakes a blocked read (pcap_breakloop), which then returns {@link #END}. Because the direct
 * read bypasses pcap4j's handle lock, this class makes sure pcap_close never runs while the reader
 * is inside pcap_next_ex: whichever of reader and closer is last to let go of the handle closes it.
 */
public final class LivePcapSource implements PacketSource {
    /** PCAP_ERROR_* codes from pcap.h that get their own operator message. */
    private static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;

    private static final int PCAP_ERROR_PERM_DENIED = -8;
    private static final int PCAP_ERROR_IFACE_NOT_UP = -9;
    private static final int PCAP_ERROR_PROMISC_PERM_DENIED = -11;

    /**
     * Settings of one capture socket (captagent's socket_pcap profile). The filter is chosen by
     * the link type the opened device turns out to have.
     */
    public record Options(
            String device,
            boolean promiscuous,
            int snaplen,
            int bufferBytes,
            int timeoutMillis,
            boolean immediate,
            LinkFilter filter) {
        public Options {
            if (device == null || device.isBlank()) throw new IllegalArgumentException("capture device must be named");
            if (snaplen <= 0) throw new IllegalArgumentException("snaplen must be positive, got " + snaplen);
            if (bufferBytes <= 0)
                throw new IllegalArgumentException("buffer size must be positive, got " + bufferBytes);
            if (timeoutMillis < 0)
                throw new IllegalArgumentException("read timeout must be >= 0 ms, got " + timeoutMillis);
            if (filter == null) filter = LinkFilter.NONE;
        }

        /**
         * Defaults: not promiscuous, snaplen 65535, 12 MiB kernel buffer (captagent's
         * ring-buffer default), 100 ms read timeout, no immediate mode, no filter.
         */
        public static Options forDevice(String device) {
            return new Options(device, false, 65535, 12 << 20, 100, false, LinkFilter.NONE);
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

        /** The same expression whatever the link type; null or empty for none. */
        public Options withFilter(String bpf) {
            return withFilter(LinkFilter.of(bpf));
        }

        public Options withFilter(LinkFilter bpf) {
            return new Options(device, promiscuous, snaplen, bufferBytes, timeoutMillis, immediate, bpf);
        }
    }

    /** How long close waits for a woken reader to close the handle (it still does, whenever its read returns). */
    private static final long CLOSE_WAIT_MILLIS = 2000;

    /** {@link #state}: IDLE, or the bits READING (the reader is inside libpcap) and CLOSED (close called). */
    private static final int IDLE = 0;

    private static final int READING = 1;
    private static final int CLOSED = 2;

    private static final Logger LOG = System.getLogger(LivePcapSource.class.getName());

    private final PcapHandle handle;
    private final String description;
    private final int linkType;
    /** The handle gives nanosecond time stamps (asked for at open; some libpcaps give microseconds only). */
    private final boolean nanos;
    /** Null: read through pcap4j. */
    private final DirectPacketReader direct;

    private final AtomicInteger state = new AtomicInteger(IDLE);
    /** Counted down once the handle is closed, by whichever thread closed it. */
    private final CountDownLatch released = new CountDownLatch(1);

    private volatile CaptureStats lastStats = new CaptureStats(0, 0, 0);

    LivePcapSource(PcapHandle handle, String description) {
        this(handle, description, true);
    }

    /** {@code directRead} false keeps pcap4j's per-packet read (tests and benchmarks compare both). */
    LivePcapSource(PcapHandle handle, String description, boolean directRead) {
        this.handle = handle;
        this.description = description;
        this.linkType = handle.getDlt().value();
        this.nanos = handle.getTimestampPrecision() == PcapHandle.TimestampPrecision.NANO;
        this.direct = directRead ? DirectPacketReader.attach(handle) : null;
    }

    /** Whether packets are read with the direct pcap_next_ex binding rather than pcap4j's read. */
    boolean readsDirect() {
        return direct != null;
    }

    /** Opens and activates the capture and installs the filter; errors are operator-ready. */
    public static LivePcapSource open(Options o) throws CaptureException {
        return open(o, true);
    }

    /** {@code directRead} as for the constructor. */
    static LivePcapSource open(Options o, boolean directRead) throws CaptureException {
        PcapHandle handle;
        try {
            try {
                // nanosecond time stamps where libpcap and the kernel give them (pcap files keep them)
                handle = builder(o)
                        .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                        .build();
            } catch (PcapNativeException e) {
                if (!String.valueOf(e.getMessage())
                        .toLowerCase(java.util.Locale.ROOT)
                        .contains("precision")) throw e;
                handle = builder(o).build(); // this libpcap or device has microseconds only
            }
        } catch (PcapNativeException e) {
            throw openError(o.device(), e);
        } catch (LinkageError e) {
            throw new CaptureException(
                    CaptureException.Reason.NO_LIBPCAP,
                    "cannot load libpcap for live capture (install the libpcap package, e.g. libpcap0.8 or libpcap): "
                            + e,
                    e);
        }
        int linkType = handle.getDlt().value();
        String filter = o.filter().forLinkType(linkType);
        if (!filter.isEmpty()) {
            try {
                applyFilter(handle, filter, o.device());
            } catch (CaptureException e) {
                handle.close();
                throw e;
            }
        }
        String desc = "interface " + o.device()
                + (filter.isEmpty() ? "" : ", filter \"" + filter + "\"")
                + ", snaplen " + o.snaplen() + ", link type " + LinkTypes.describe(linkType);
        return new LivePcapSource(handle, desc, directRead);
    }

    /**
     * Compiles and installs {@code filter}. A refused one is reported as the device and libpcap's
     * reason, with the filter apart in {@link CaptureException#detail()}: a generated filter runs
     * to hundreds of characters and would bury the reason.
     */
    static void applyFilter(PcapHandle handle, String filter, String device) throws CaptureException {
        try {
            BpfProgram program =
                    handle.compileFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            try {
                handle.setFilter(program);
            } finally {
                program.free();
            }
        } catch (PcapNativeException e) {
            throw new CaptureException(
                    CaptureException.Reason.BAD_FILTER,
                    "cannot capture on \"" + device + "\": libpcap refused the capture filter: "
                            + BpfFilter.libpcapMessage(e) + " (link type "
                            + LinkTypes.describe(handle.getDlt().value()) + ")",
                    "the refused filter on \"" + device + "\": " + filter,
                    e);
        } catch (NotOpenException e) {
            throw new CaptureException(CaptureException.Reason.OTHER, "capture on " + device + " was closed", e);
        }
    }

    private static PcapHandle.Builder builder(Options o) {
        return new PcapHandle.Builder(o.device())
                .snaplen(o.snaplen())
                .promiscuousMode(
                        o.promiscuous()
                                ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                                : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .bufferSize(o.bufferBytes())
                .timeoutMillis(o.timeoutMillis())
                .immediateMode(o.immediate());
    }

    static CaptureException openError(String device, PcapNativeException e) {
        Integer rc = e.getReturnCode();
        int code = rc == null ? 0 : rc;
        String libpcap = e.getMessage();
        switch (code) {
            case PCAP_ERROR_NO_SUCH_DEVICE:
                return new CaptureException(
                        CaptureException.Reason.NO_SUCH_DEVICE,
                        "capture interface \"" + device + "\" does not exist (libpcap: " + libpcap + "); available: "
                                + availableDevices(),
                        e);
            case PCAP_ERROR_PERM_DENIED:
            case PCAP_ERROR_PROMISC_PERM_DENIED:
                return new CaptureException(
                        CaptureException.Reason.PERMISSION_DENIED,
                        "no permission to capture on \"" + device + "\" (libpcap: " + libpcap + "). "
                                + "Run heptap as root, or grant CAP_NET_RAW and CAP_NET_ADMIN: with systemd set "
                                + "AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN in the unit, otherwise "
                                + "setcap cap_net_raw,cap_net_admin+eip on the java binary that runs heptap",
                        e);
            case PCAP_ERROR_IFACE_NOT_UP:
                return new CaptureException(
                        CaptureException.Reason.OTHER,
                        "capture interface \"" + device + "\" is down (libpcap: " + libpcap + ")",
                        e);
            default:
                return new CaptureException(
                        CaptureException.Reason.OTHER, "cannot capture on \"" + device + "\": " + libpcap, e);
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
        if (!state.compareAndSet(IDLE, READING)) {
            if ((state.get() & CLOSED) != 0) return END;
            throw new IllegalStateException("two threads read " + description + " at once");
        }
        int result;
        try {
            result = direct != null ? readDirect(frame) : readPcap4j(frame);
        } catch (IOException | RuntimeException e) {
            if (leaveRead()) throw e;
            return END; // the failure came from close() tearing the capture down
        } catch (Error e) {
            leaveRead();
            throw e;
        }
        return leaveRead() ? result : END;
    }

    /**
     * Marks the reader out of libpcap. False when close() came meanwhile: it left the handle to
     * this thread, which closes it now.
     */
    private boolean leaveRead() {
        if (state.compareAndSet(READING, IDLE)) return true;
        release();
        return false;
    }

    private int readDirect(Frame frame) throws IOException {
        int rc = direct.read(frame);
        switch (rc) {
            case 1:
                frame.linkType = linkType;
                return PACKET;
            case 0:
                return TIMEOUT;
            case -2:
                return END; // pcap_breakloop from close(), or the end of an offline handle
            default:
                throw new IOException("capture failed: " + description + ": " + libpcapError(rc));
        }
    }

    private String libpcapError(int rc) {
        try {
            return handle.getError();
        } catch (NotOpenException e) {
            return "libpcap error " + rc;
        }
    }

    private int readPcap4j(Frame frame) throws IOException {
        byte[] raw;
        try {
            raw = handle.getNextRawPacketEx();
        } catch (TimeoutException e) {
            return TIMEOUT;
        } catch (EOFException e) {
            return END; // pcap_breakloop from close(), or the end of an offline handle
        } catch (NotOpenException e) {
            return END;
        } catch (PcapNativeException e) {
            throw new IOException("capture failed: " + description + ": " + e.getMessage(), e);
        }
        // pcap4j made a fresh array for this packet; taking it over saves copying it again
        frame.view(raw, 0, raw.length);
        Integer wire = handle.getOriginalLength();
        frame.wireLength = wire == null ? raw.length : wire;
        Timestamp ts = handle.getTimestamp();
        long time = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
        if (nanos) frame.setTimeNanos(time);
        else frame.setTimeMicros(time / 1000);
        frame.linkType = linkType;
        return PACKET;
    }

    /**
     * libpcap's counters (received, dropped by the kernel buffer, dropped by the interface). Safe
     * from any thread while the capture runs: pcap4j's handle lock orders pcap_stats against
     * pcap_close, and the kernel answers it independently of the reader. Once the handle is
     * closed, the values read just before pcap_close.
     *
     * <p>Synchronized so that a reading is stored before the next one is taken: otherwise a poller
     * that read the counters, then lost the CPU, could store its older values over the final ones
     * {@link #release} read just before pcap_close, and the counters would go backwards at stop.
     */
    @Override
    public synchronized CaptureStats stats() {
        if (!handle.isOpen()) return lastStats;
        try {
            PcapStat s = handle.getStats();
            lastStats =
                    new CaptureStats(s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf());
        } catch (PcapNativeException | NotOpenException e) {
            // not available (e.g. an offline handle) or closed meanwhile: keep the last values
        }
        return lastStats;
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * Stops the capture; later reads return END. With no read in progress the handle is closed
     * here. Otherwise pcap_breakloop wakes the read and the reader closes the handle on its way
     * out of {@link #next}, while this waits for that up to {@value #CLOSE_WAIT_MILLIS} ms (current
     * libpcap wakes a blocked read at once, old versions only at the next packet or read timeout).
     */
    @Override
    public void close() {
        int s;
        do {
            s = state.get();
            if ((s & CLOSED) != 0) return;
        } while (!state.compareAndSet(s, s | CLOSED));
        if (s == IDLE) {
            release();
            return;
        }
        try {
            handle.breakLoop(); // under pcap4j's lock, so never after the reader's pcap_close
        } catch (NotOpenException e) {
            return; // the reader has already closed it
        }
        try {
            if (!released.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.log(
                        Level.WARNING,
                        "capture on " + description + " is still inside libpcap " + CLOSE_WAIT_MILLIS
                                + " ms after close; its handle is closed when that read returns");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the handle; runs exactly once, on the thread that let go of it last. */
    private void release() {
        stats(); // the kernel's counters go with the handle: keep the final ones
        handle.close();
        released.countDown();
    }
}
