package org.heptap.core.pipeline;

import java.io.IOException;

/**
 * A transport could not start (a spool folder it cannot make, say): the agent cannot run, which a
 * replay must not report as a bad input file.
 */
public final class TransportStartException extends IOException {
    private static final long serialVersionUID = 1L;

    public TransportStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
