package org.heptap.core.capture;

import java.io.IOException;

/**
 * A capture that could not be started, with a message written for the operator (what failed,
 * libpcap's own words, and what to do about it) and a reason the caller can act on.
 */
public final class CaptureException extends IOException {
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

    public CaptureException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
