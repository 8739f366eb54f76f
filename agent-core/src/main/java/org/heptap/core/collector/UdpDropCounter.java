package org.heptap.core.collector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The datagrams the kernel dropped on one UDP socket of this process because its receive buffer
 * was full: the {@code drops} column of {@code /proc/net/udp} (or {@code udp6}). Java NIO offers
 * no SO_RXQ_OVFL, so the counter is read from there: the socket's line is found once by its
 * local port among the sockets this process holds ({@code /proc/self/fd}), then by its inode.
 * Linux only; elsewhere {@link #of} finds nothing. Thread-safe: every read stands alone.
 */
final class UdpDropCounter {
    private static final Path[] TABLES = {Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")};
    /** Columns of a table line: sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops. */
    private static final int LOCAL = 1;

    private static final int INODE = 9;
    private static final int DROPS = 12;

    private final Path table;
    private final String inode;
    private volatile long last;

    private UdpDropCounter(Path table, String inode) {
        this.table = table;
        this.inode = inode;
    }

    /** The counter of the socket bound to {@code local} in this process, or null when none is found. */
    static UdpDropCounter of(InetSocketAddress local) {
        Set<String> own = ownSocketInodes();
        for (Path t : TABLES) {
            try {
                String inode = findInode(Files.readAllLines(t), local, own);
                if (inode != null) return new UdpDropCounter(t, inode);
            } catch (IOException | RuntimeException e) {
                // no such table here (not Linux, no IPv6): look in the next
            }
        }
        return null;
    }

    /** Reads the counter now; once the socket is closed (or the table cannot be read), the last value read. */
    long read() {
        try {
            Long d = drops(Files.readAllLines(table), inode);
            if (d != null && d > last) last = d;
        } catch (IOException | RuntimeException e) {
            // keep the last value
        }
        return last;
    }

    /** The value last read. */
    long last() {
        return last;
    }

    /** The drops column of the line of socket {@code inode}, or null when it is not there. */
    static Long drops(List<String> lines, String inode) {
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length > DROPS && f[INODE].equals(inode)) return Long.parseLong(f[DROPS]);
        }
        return null;
    }

    /**
     * The inode of the socket bound to {@code local} among {@code own}: its port must match, and
     * when several of this process's sockets share the port, its address too.
     */
    static String findInode(List<String> lines, InetSocketAddress local, Set<String> own) {
        String port = String.format(":%04X", local.getPort());
        String address = procAddress(local);
        String byPort = null;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length <= DROPS || !f[LOCAL].endsWith(port) || !own.contains(f[INODE])) continue;
            if (f[LOCAL].equalsIgnoreCase(address + port)) return f[INODE];
            if (byPort == null) byPort = f[INODE];
        }
        return byPort;
    }

    /** An address as the kernel prints it in the table: each 32-bit word in host byte order. */
    static String procAddress(InetSocketAddress a) {
        byte[] b = a.getAddress().getAddress();
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < b.length; w += 4) {
            for (int i = 0; i < 4; i++) sb.append(String.format("%02X", b[w + (little ? 3 - i : i)] & 0xff));
        }
        return sb.toString();
    }

    private static Set<String> ownSocketInodes() {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException | UnsupportedOperationException e) {
                    // closed meanwhile, or not a link
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing is ours
        }
        return inodes;
    }
}
