package org.heptap.core.spi;

import java.io.IOException;
import org.heptap.core.control.Operations;

/** A configured {@link OperatorServiceProvider service}: started once the agent runs, closed when it stops. */
public interface OperatorService extends AutoCloseable {
    /**
     * Starts serving. Throws IOException with a message for the operator when it cannot (its
     * address is taken): the agent then does not run.
     */
    void start(Operations operations) throws IOException;

    /** One line for the start-up log: where it serves (no secrets). */
    String describe();

    /** Stops serving; safe to call when never started. */
    @Override
    void close();
}
