package org.heptap.core.decode;

/**
 * What a {@link PacketDecoder} does beyond taking one frame apart: reassemble IP fragments,
 * unwrap tunnels, drop duplicates. Each part holds bounded state; {@link #NONE} holds none (every
 * frame is decoded on its own, as a plain dissector would).
 *
 * @param defrag               reassemble IPv4 and IPv6 fragments
 * @param fragmentDatagrams    most datagrams being reassembled at once; the oldest is evicted
 * @param fragmentBytes        most bytes held by datagrams being reassembled; the oldest are evicted
 * @param fragmentTimeoutMicros a datagram not complete this long after its first fragment is dropped
 * @param decapsulate          decode the inner packet of IP-in-IP, GRE, ERSPAN, VXLAN and HP ERM
 * @param dedup                drop a packet identical to one seen within {@code dedupWindowMicros}
 * @param dedupWindowMicros    how far back a duplicate is looked for
 */
public record DecodeOptions(
        boolean defrag,
        int fragmentDatagrams,
        long fragmentBytes,
        long fragmentTimeoutMicros,
        boolean decapsulate,
        boolean dedup,
        long dedupWindowMicros) {

    /** Plain decoding: fragments are counted and dropped, tunnels are not entered, no dedup. */
    public static final DecodeOptions NONE = new DecodeOptions(false, 0, 0, 0, false, false, 0);

    /** The socket defaults: defrag and decapsulation on, dedup off. */
    public static final DecodeOptions DEFAULTS =
            new DecodeOptions(true, 1024, 8L << 20, 30_000_000L, true, false, 2_000_000L);
}
