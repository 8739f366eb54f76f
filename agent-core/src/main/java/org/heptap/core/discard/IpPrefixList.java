package org.heptap.core.discard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.heptap.core.message.Message;
import org.heptap.core.spi.MessageFilter;

/**
 * Addresses and CIDR prefixes, IPv4 and IPv6 ({@code 10.0.0.1}, {@code 192.0.2.0/24},
 * {@code 2001:db8::/32}): a message matches when its source or destination lies in one of them
 * (the {@code -diip} of other capture agents). Immutable; matching allocates nothing.
 */
public final class IpPrefixList implements MessageFilter {
    private static final Pattern LITERAL =
            Pattern.compile("(?:[0-9]{1,3}\\.){3}[0-9]{1,3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    public static final IpPrefixList EMPTY = new IpPrefixList(new byte[0][], new int[0]);

    /** Network bytes (4 or 16) and prefix length of each entry, host bits cleared. */
    private final byte[][] networks;

    private final int[] prefixBits;

    private IpPrefixList(byte[][] networks, int[] prefixBits) {
        this.networks = networks;
        this.prefixBits = prefixBits;
    }

    /** Thrown by {@link #parse} with an operator-facing reason naming the bad entry. */
    public static final class InvalidPrefixException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidPrefixException(String message) {
            super(message);
        }
    }

    /**
     * Parses the entries; each may itself be a comma-separated list. A plain address is a /32
     * (/128) prefix. Host names are refused: a discard list must not depend on DNS.
     */
    public static IpPrefixList parse(List<String> entries) throws InvalidPrefixException {
        List<byte[]> nets = new ArrayList<>();
        List<Integer> bits = new ArrayList<>();
        for (String entry : entries) {
            for (String raw : entry.split(",")) {
                String t = raw.trim();
                if (t.isEmpty()) continue;
                int slash = t.indexOf('/');
                String addr = slash < 0 ? t : t.substring(0, slash);
                if (!LITERAL.matcher(addr).matches())
                    throw new InvalidPrefixException(t + " is not an IPv4 or IPv6 address");
                byte[] b;
                try {
                    b = InetAddress.getByName(addr).getAddress();
                } catch (UnknownHostException | SecurityException e) {
                    throw new InvalidPrefixException(t + " is not an IPv4 or IPv6 address");
                }
                int max = b.length * 8;
                int len = max;
                if (slash >= 0) {
                    try {
                        len = Integer.parseInt(t.substring(slash + 1));
                    } catch (NumberFormatException e) {
                        len = -1;
                    }
                    if (len < 0 || len > max) throw new InvalidPrefixException(t + ": prefix length must be 0-" + max);
                }
                clearHostBits(b, len);
                nets.add(b);
                bits.add(len);
            }
        }
        int[] p = new int[bits.size()];
        for (int i = 0; i < p.length; i++) p[i] = bits.get(i);
        return new IpPrefixList(nets.toArray(new byte[0][]), p);
    }

    private static void clearHostBits(byte[] b, int len) {
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, len - i * 8));
            b[i] &= (byte) (0xff00 >>> keep);
        }
    }

    public boolean isEmpty() {
        return networks.length == 0;
    }

    public int size() {
        return networks.length;
    }

    @Override
    public boolean matches(Message m) {
        int n = m.addrLength();
        return contains(m.srcAddr(), n) || contains(m.dstAddr(), n);
    }

    /** Whether the first {@code length} bytes of {@code addr} (4 or 16) lie in one of the prefixes. */
    public boolean contains(byte[] addr, int length) {
        for (int i = 0; i < networks.length; i++) {
            byte[] net = networks[i];
            if (net.length == length && inPrefix(addr, net, prefixBits[i])) return true;
        }
        return false;
    }

    private static boolean inPrefix(byte[] addr, byte[] net, int bits) {
        int whole = bits >>> 3;
        for (int i = 0; i < whole; i++) if (addr[i] != net[i]) return false;
        int rest = bits & 7;
        if (rest == 0) return true;
        int mask = 0xff00 >>> rest & 0xff;
        return (addr[whole] & mask) == (net[whole] & 0xff);
    }
}
