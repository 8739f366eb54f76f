package org.heptap.core.spi;

import java.util.function.Predicate;
import org.heptap.core.message.Message;

/**
 * A clause a module adds to a capture socket's kernel filter when the socket turns it on with a
 * boolean key of its own (e.g. a module whose packets have a recognisable first bytes lets a
 * socket that watches a wide port range keep only packets of that shape). agent-core builds
 * the filter and knows no protocol; the module knows the shape.
 *
 * <p>A file replay has no kernel filter: it decodes each frame once and asks {@link #admits} of
 * the decoded packet instead, so a socket sees in a replay what it would see live.
 */
public interface CaptureFilterClause {
    /** The socket key that turns the clause on ({@code KEY: true}); off by default. */
    String socketKey();

    /** A BPF expression (pcap-filter syntax) the socket's other conditions are and-ed with. */
    String bpf();

    /**
     * The same test on a decoded packet (its IP protocol and transport payload), for a replay;
     * it must agree with {@link #bpf()} on what a capture would see. Runs per packet: no
     * allocation, never throws. The default admits everything (a clause without a replay test).
     */
    default boolean admits(Message decoded) {
        return true;
    }

    static CaptureFilterClause of(String socketKey, String bpf) {
        return of(socketKey, bpf, m -> true);
    }

    /** A clause with its replay test ({@link #admits}). */
    static CaptureFilterClause of(String socketKey, String bpf, Predicate<Message> replayTest) {
        return new CaptureFilterClause() {
            @Override
            public String socketKey() {
                return socketKey;
            }

            @Override
            public String bpf() {
                return bpf;
            }

            @Override
            public boolean admits(Message decoded) {
                return replayTest.test(decoded);
            }
        };
    }
}
