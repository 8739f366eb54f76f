package org.heptap.core.spi;

import java.util.Map;
import org.heptap.core.config.CollectorSettings;
import org.heptap.core.message.Message;

/**
 * What a collector socket receives when it is not the raw protocol itself but an envelope around
 * it (HEP from other agents: heptap as a relay). agent-core knows no protocol; the module that
 * knows the envelope exports a format ({@link HeptapModule#collectorFormats()}) and each collector
 * socket picks one by name ({@code format: hep}). The format decodes each received datagram or
 * framed stream record into the message the plan sees, with the addresses, ports, time and
 * payload the envelope carries, so the plan works as for captured traffic. On TCP its records
 * are framed by the module's {@link StreamFramer} of the same name (the socket's default).
 */
public interface CollectorFormat {
    /** Name a socket chooses it by ({@code format: hep}). */
    String name();

    /**
     * A decoder for one socket (used by that socket's thread only, so it may keep buffers),
     * bounded by the socket's limits (what one sender may make it inflate).
     */
    Decoder decoder(CollectorSettings settings);

    /** Decodes received records of one socket. */
    interface Decoder {
        /**
         * What {@link #decode} returns for a record it refused under the socket's limits rather
         * than failed to understand: it counted (see {@link #addCounters}) and logged it itself.
         * Compared by identity.
         */
        @SuppressWarnings("StringOperationCanBeSimplified")
        String REFUSED = new String("refused");

        /**
         * Fills {@code message} (already reset, with the sender's addresses and the arrival time)
         * from the record {@code buf[off, off + len)}. Returns null when it did, {@link #REFUSED},
         * else why the record was not understood (counted and logged by the socket, rate-limited).
         * The sender's address is the message's source until the decoder sets the envelope's.
         */
        String decode(byte[] buf, int off, int len, Message message);

        /** Adds the decoder's own counters (what it refused) to the socket's. */
        default void addCounters(Map<String, Long> counters) {}
    }
}
