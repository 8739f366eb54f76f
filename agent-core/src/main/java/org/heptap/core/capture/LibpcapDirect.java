package org.heptap.core.capture;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The one libpcap call on the per-packet path, bound with JNA direct mapping: a {@code static
 * native} method costs a plain JNI call, where an interface-mapped call (pcap4j's) goes through a
 * proxy, reflection and argument boxing. Everything else (open, filter, stats, breakloop, close)
 * stays with pcap4j, whose handle lock orders those calls against {@code pcap_close}.
 */
final class LibpcapDirect {
    /** Why the binding failed, or null when {@link #pcap_next_ex} can be called. */
    private static final Throwable LOAD_FAILURE;

    static {
        Throwable failure = null;
        try {
            // the library instance pcap4j registered its own mappings on (same name, same default),
            // so the pcap_t it hands out belongs to the libpcap this binds
            String name = System.getProperty("org.pcap4j.core.pcapLibName", Platform.isWindows() ? "wpcap" : "pcap");
            Native.register(LibpcapDirect.class, NativeLibrary.getInstance(name));
        } catch (LinkageError | RuntimeException e) {
            failure = e;
        }
        LOAD_FAILURE = failure;
    }

    private LibpcapDirect() {}

    /** Null when the binding works, otherwise why it does not (for the operator's log). */
    static Throwable loadFailure() {
        return LOAD_FAILURE;
    }

    /**
     * {@code int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **hdr, const u_char **data)}: 1 a
     * packet (both pointers valid until the next call on {@code p}), 0 read timeout, -1 error
     * ({@code pcap_geterr}), -2 end of file or {@code pcap_breakloop}.
     */
    static native int pcap_next_ex(Pointer p, PointerByReference header, PointerByReference data);
}
