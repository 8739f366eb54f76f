package org.heptap.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses the connection address of an SDP line (text) into address bytes, so the correlation
 * table compares addresses, not spellings. Only literals: a host name in SDP (legal, rare) is
 * never resolved — that would put DNS on the capture path — and simply does not register.
 * Shared by the RTCP correlation table and the RTP stream table.
 */
public final class IpLiteral {
    private IpLiteral() {}

    /** Writes 4 or 16 bytes to {@code out} and returns that length; 0 when the text is not an IP literal. */
    public static int parse(byte[] b, int off, int len, byte[] out) {
        if (len <= 0) return 0;
        boolean colon = false;
        for (int i = off; i < off + len; i++) {
            if (b[i] == ':') {
                colon = true;
                break;
            }
        }
        return colon ? parse6(b, off, len, out) : parse4(b, off, len, out);
    }

    private static int parse4(byte[] b, int off, int len, byte[] out) {
        int part = 0;
        int value = -1;
        for (int i = off; i <= off + len; i++) {
            int c = i == off + len ? '.' : b[i];
            if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) return 0;
            } else if (c == '.') {
                if (value < 0 || part == 4) return 0;
                out[part++] = (byte) value;
                value = -1;
            } else {
                return 0;
            }
        }
        return part == 4 ? 4 : 0;
    }

    private static int parse6(byte[] b, int off, int len, byte[] out) {
        if (len > 45) return 0;
        StringBuilder sb = new StringBuilder(len);
        for (int i = off; i < off + len; i++) {
            char c = (char) (b[i] & 0xff);
            if (c == '%') break; // zone id: not part of the address
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) return 0;
            sb.append(c);
        }
        try {
            // a string with ':' is only ever parsed as a literal by InetAddress, never looked up
            byte[] a = InetAddress.getByName("[" + sb + "]").getAddress();
            System.arraycopy(a, 0, out, 0, a.length);
            return a.length;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return 0;
        }
    }
}
