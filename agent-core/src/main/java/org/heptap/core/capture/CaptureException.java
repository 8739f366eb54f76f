package org.heptap.core.capture;

import java.io.IOException;

/**
 * A capture that could not be started, with a message written for the operator (what failed,
 * libpcap's own words, and what to do about it) and a reason the caller can act on.
 */
public final class CaptureException extends IOException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The interface does not exist; the message lists the ones that do. */
        NO_SUCH_DEVICE,
        /** Not root and no CAP_NET_RAW/CAP_NET_ADMIN; the message names the fix. */
        PERMISSION_DENIED,
        /** The BPF expression does not compile; the message quotes it and libpcap's error. */
        BAD_FILTER,
        /** libpcap could not be loaded at all. */
        NO_LIBPCAP,
        /** Anything else libpcap refused (interface down, bad buffer size, ...). */
        OTHER
    }

    private final Reason reason;
    private final String detail;

    public CaptureException(Reason reason, String message, Throwable cause) {
        this(reason, message, "", cause);
    }

    /**
     * {@code detail}: what the operator may need after the message, logged as a line of its own
     * (a generated filter runs to hundreds of characters and would bury libpcap's reason).
     */
    public CaptureException(Reason reason, String message, String detail, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.detail = detail == null ? "" : detail;
    }

    public Reason reason() {
        return reason;
    }

    /** A second line for the log, or empty. */
    public String detail() {
        return detail;
    }
}
