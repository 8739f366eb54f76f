package org.heptap.core.decode;

/** What the decoder made of one frame. Every frame gets exactly one result, and each is counted. */
public enum DecodeResult {
    /** A UDP or TCP payload went to the sink. */
    DELIVERED,
    /** Valid packet without payload: empty UDP datagram, bare TCP segment (SYN, ACK, FIN), IPv6 no-next-header. */
    NO_PAYLOAD,
    /** The link layer carries something other than IPv4/IPv6 (ARP, LLDP, ...). */
    NOT_IP,
    /** A link type the decoder does not know. */
    UNSUPPORTED_LINK,
    /** IP carries something other than UDP or TCP (ICMP, ESP, GRE, unknown IPv6 next header, ...). */
    UNSUPPORTED_PROTOCOL,
    /**
     * An IP fragment: held for reassembly (the frame that completes a datagram gets the result of
     * decoding it), dropped by the reassembler (counted there), or seen with reassembly off.
     */
    FRAGMENT,
    /** The same packet was seen moments ago (duplicate suppression is on). */
    DUPLICATE,
    /** Tunnels or reassembled datagrams nested deeper than the decoder follows. */
    NESTED_TOO_DEEP,
    /** The capture stopped inside a header (short frame or snaplen); nothing to deliver. */
    TRUNCATED,
    /**
     * A header contradicts itself or its enclosing header (IHL &lt; 5, UDP length &lt; 8, ...); on a
     * collector socket, a record its format does not understand ({@code collector-undecodable}).
     */
    MALFORMED,
    /**
     * A collector socket's format refused the record under the socket's limits (a compressed
     * payload past its sender's inflate budget: {@code collector-inflate-refused}).
     */
    REFUSED
}
