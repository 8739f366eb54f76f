package org.heptap.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the web server listens: {@code HOST:PORT}, {@code [IPv6]:PORT}, or a bare {@code PORT},
 * which means loopback ({@code 127.0.0.1}) so nothing is exposed unless the operator says so.
 */
record ListenAddress(String host, int port, boolean loopback) {
    static final String EXAMPLE = "127.0.0.1:8090";

    /** The address, or IllegalArgumentException saying what is wrong with {@code text}. */
    static ListenAddress parse(String text) {
        String t = text.trim();
        String host = "127.0.0.1";
        String port = t;
        int colon = t.lastIndexOf(':');
        if (colon >= 0) {
            host = t.substring(0, colon);
            port = t.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) throw new IllegalArgumentException("names no host (e.g. " + EXAMPLE + ")");
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not HOST:PORT or PORT (e.g. " + EXAMPLE + ")");
        }
        if (p < 1 || p > 65535) throw new IllegalArgumentException("port " + p + " is not a port (1-65535)");
        try {
            InetAddress a = InetAddress.getByName(host);
            return new ListenAddress(host, p, a.isLoopbackAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host " + host + " is not an address of this machine's");
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
