package org.heptap.transport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;
import org.heptap.core.testing.StreamReceiver;

/** A real TCP HEP3 collector for tests: splits the stream at each packet's length field. */
final class TcpReceiver extends StreamReceiver {
    /** The HEP3 packets received so far. */
    final List<byte[]> packets = records;

    TcpReceiver(int port) throws IOException {
        super(port, TcpReceiver::hep3);
    }

    boolean awaitPackets(int n, long millis) throws InterruptedException {
        return awaitRecords(n, millis);
    }

    /** HEP3 framing: bytes 4-5 of each packet give its whole length. */
    private static void hep3(InputStream stream, Consumer<byte[]> packet) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] head = new byte[6];
        while (true) {
            in.readFully(head); // EOFException when the peer closes
            int len = ((head[4] & 0xff) << 8) | (head[5] & 0xff);
            byte[] p = new byte[len];
            System.arraycopy(head, 0, p, 0, 6);
            in.readFully(p, 6, len - 6);
            packet.accept(p);
        }
    }
}
