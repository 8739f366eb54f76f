package org.heptap.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.heptap.core.decode.DecodeOptions;
import org.heptap.core.decode.tcp.TcpOptions;
import org.heptap.core.discard.SocketDiscards;
import org.heptap.core.spi.CaptureFilterClause;

/**
 * One capture socket profile ({@code sockets.<name>}): where packets come from and which plan
 * they run through.
 *
 * @param transportFilter {@code udp}, {@code tcp} or {@code all}: which L4 protocols are captured
 * @param filter          extra BPF expression ANDed with the generated one (may be empty)
 * @param plan            capture plan file, resolved against {@code agent.capture-plans}
 * @param planLine        line of the {@code capture-plan} key, for errors about the file itself
 * @param filterClauses   modules' clauses the socket turned on: BPF and-ed with its ports (live capture),
 *                        their decoded-packet tests in a replay
 * @param decode          fragment reassembly, decapsulation and duplicate suppression
 * @param tcp             TCP stream reassembly and framing (collector: framing of its TCP
 *                        connections)
 * @param collector       null for a capture socket ({@code type: pcap}); the listening side of
 *                        a {@code type: collector} socket, which runs only live
 * @param discards        addresses and module lists (e.g. a module's message kinds) dropped before the plan
 */
public record SocketSettings(
        String name,
        String device,
        boolean promiscuous,
        int snaplen,
        long bufferSize,
        boolean immediate,
        Duration readTimeout,
        List<PortRange> ports,
        String transportFilter,
        String filter,
        Path plan,
        String planDisplay,
        String file,
        int planLine,
        List<CaptureFilterClause> filterClauses,
        DecodeOptions decode,
        TcpOptions tcp,
        CollectorSettings collector,
        SocketDiscards discards) {

    /** A capture socket ({@code type: pcap}). */
    public SocketSettings(
            String name,
            String device,
            boolean promiscuous,
            int snaplen,
            long bufferSize,
            boolean immediate,
            Duration readTimeout,
            List<PortRange> ports,
            String transportFilter,
            String filter,
            Path plan,
            String planDisplay,
            String file,
            int planLine,
            List<CaptureFilterClause> filterClauses,
            DecodeOptions decode,
            TcpOptions tcp,
            SocketDiscards discards) {
        this(
                name,
                device,
                promiscuous,
                snaplen,
                bufferSize,
                immediate,
                readTimeout,
                ports,
                transportFilter,
                filter,
                plan,
                planDisplay,
                file,
                planLine,
                filterClauses,
                decode,
                tcp,
                null,
                discards);
    }

    /** True for a {@code type: collector} socket: it listens rather than captures. */
    public boolean isCollector() {
        return collector != null;
    }

    public boolean admitsPort(int src, int dst) {
        // indexed: a for-each allocates an iterator per packet where the JIT cannot remove it (C1)
        for (int i = 0, n = ports.size(); i < n; i++) {
            PortRange r = ports.get(i);
            if (r.contains(src) || r.contains(dst)) return true;
        }
        return false;
    }

    public boolean admitsProtocol(int ipProtocol) {
        return switch (transportFilter) {
            case "udp" -> ipProtocol == 17;
            case "tcp" -> ipProtocol == 6;
            default -> ipProtocol == 17 || ipProtocol == 6 || ipProtocol == 132;
        };
    }
}
