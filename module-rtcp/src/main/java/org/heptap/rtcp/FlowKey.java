package org.heptap.rtcp;

import java.util.Arrays;

/**
 * A key of the {@link CorrelationTable}: an address and port (captagent's {@code "ip:port"}, but
 * on the address bytes, so IPv6 written differently in SDP and on the wire still matches), a
 * port alone (NAT matching), or an SSRC (learnt in NAT mode). Mutable so that lookups reuse one
 * probe instead of allocating; keys stored in the table are never changed.
 */
final class FlowKey {
    static final int ADDRESS = 0;
    static final int PORT = 1;
    static final int SSRC = 2;

    int kind;
    final byte[] addr = new byte[16];
    int addrLen;
    long value;
    private int hash;

    FlowKey set(int kind, byte[] a, int aLen, long value) {
        this.kind = kind;
        this.addrLen = aLen;
        if (aLen > 0) System.arraycopy(a, 0, addr, 0, aLen);
        this.value = value;
        int h = kind * 31 + Long.hashCode(value);
        for (int i = 0; i < aLen; i++) h = h * 31 + addr[i];
        this.hash = h;
        return this;
    }

    FlowKey copy() {
        return new FlowKey().set(kind, addr, addrLen, value);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowKey k)) return false;
        return k.hash == hash
                && k.kind == kind
                && k.value == value
                && k.addrLen == addrLen
                && Arrays.equals(addr, 0, addrLen, k.addr, 0, k.addrLen);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ADDRESS -> org.heptap.core.message.IpText.format(addr, addrLen == 16 ? 6 : 4) + ":" + value;
            case PORT -> "*:" + value;
            default -> "ssrc " + value;
        };
    }
}
