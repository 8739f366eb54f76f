package org.heptap.core.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which signals this process inherited as ignored, from Linux's {@code /proc/self/status}. A
 * signal ignored at exec stays ignored in the JVM: HotSpot keeps an ignored SIGHUP, SIGINT or
 * SIGTERM ignored, and {@code sun.misc.Signal.handle} then installs nothing and says nothing,
 * so an agent started under {@code nohup} would never see a SIGHUP reload.
 */
final class IgnoredSignals {
    static final int SIGHUP = 1;
    private static final Path STATUS = Path.of("/proc/self/status");

    private IgnoredSignals() {}

    /** True when this process ignores {@code signal}; false when it does not or cannot tell (not Linux). */
    static boolean ignored(int signal) {
        try {
            return ignored(Files.readString(STATUS, StandardCharsets.US_ASCII), signal);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** From a {@code /proc/PID/status} text: its {@code SigIgn} mask (hex, bit N-1 for signal N) has {@code signal}. */
    static boolean ignored(String status, int signal) {
        for (String line : status.split("\n")) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(
                        line.substring("SigIgn:".length()).trim(), 16);
                return (mask >>> (signal - 1) & 1) != 0;
            }
        }
        return false;
    }
}
