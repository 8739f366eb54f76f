package org.heptap.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace of the test's own with only its loopback, up: an agent capturing on
 * {@code any} there sees the test's traffic and nobody else's, and may use the well-known ports
 * (5060, 9060) its shipped configuration names. Deleted by {@link #close()}.
 */
final class NetNs implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();

    final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** A new namespace with lo up; null when this machine cannot make one (not root). */
    static NetNs createOrNull() throws IOException, InterruptedException {
        String name = "heptap-it-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet();
        Proc add = Proc.run(Duration.ofSeconds(10), List.of("ip", "netns", "add", name));
        if (add.exitCode() != 0) return null;
        NetNs ns = new NetNs(name);
        Proc up = Proc.run(Duration.ofSeconds(10), ns.command(List.of("ip", "link", "set", "lo", "up")));
        if (up.exitCode() != 0) {
            ns.close();
            throw new AssertionError("cannot bring lo up in " + name + ": " + up.stderr());
        }
        return ns;
    }

    /** {@code command} run inside the namespace ({@code ip netns exec} execs it: same pid, signals reach it). */
    List<String> command(List<String> command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(command);
        return c;
    }

    @Override
    public void close() {
        try {
            Proc.run(Duration.ofSeconds(10), List.of("ip", "netns", "del", name));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot delete network namespace " + name, e);
        }
    }
}
