package org.heptap.core.log;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager closes every handler from its own shutdown hook, which runs alongside
 * heptap's: the lines that matter most on SIGTERM (what was flushed, what could not be sent) would
 * be lost. This manager ignores reset(), so handlers live until the JVM exits; heptap's handler
 * flushes each record, so nothing is left buffered. Installed by bin/heptap with
 * {@code -Djava.util.logging.manager=org.heptap.core.log.DaemonLogManager}.
 */
public final class DaemonLogManager extends LogManager {
    @Override
    public void reset() {
        // deliberately nothing: see the class comment
    }
}
