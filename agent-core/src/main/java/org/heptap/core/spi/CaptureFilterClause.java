package org.heptap.core.spi;

/**
 * A clause a module adds to a capture socket's kernel filter when the socket turns it on with a
 * boolean key of its own (e.g. a module whose packets have a recognisable first bytes lets a
 * socket that watches a wide port range keep only packets of that shape). agent-core builds
 * the filter and knows no protocol; the module knows the shape.
 */
public interface CaptureFilterClause {
    /** The socket key that turns the clause on ({@code KEY: true}); off by default. */
    String socketKey();

    /** A BPF expression (pcap-filter syntax) the socket's other conditions are and-ed with. */
    String bpf();

    static CaptureFilterClause of(String socketKey, String bpf) {
        return new CaptureFilterClause() {
            @Override
            public String socketKey() {
                return socketKey;
            }

            @Override
            public String bpf() {
                return bpf;
            }
        };
    }
}
