/**
 * Bench-only shim (not part of heptap): a java.util.logging LogManager whose reset() does nothing
 * once the JVM is shutting down. JUL's own shutdown hook resets the LogManager, which removes the
 * handlers, so records logged from another shutdown hook (heptap's final counters after SIGTERM)
 * are lost. bench/live.sh puts this class on the boot class path and names it in
 * -Djava.util.logging.manager so that the counters (pcap stats included) reach stderr.
 * Built by live.sh into target/bench/keeplogs/.
 */
public class KeepLogsAtExit extends java.util.logging.LogManager {
    private volatile boolean shuttingDown;

    public KeepLogsAtExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shuttingDown = true, "keep-logs"));
    }

    @Override
    public void reset() {
        if (shuttingDown || isShutdownThread()) return;
        super.reset();
    }

    private static boolean isShutdownThread() {
        // JUL's cleaner hook runs in a thread of class LogManager$Cleaner
        return Thread.currentThread().getClass().getName().startsWith("java.util.logging.LogManager$");
    }
}
