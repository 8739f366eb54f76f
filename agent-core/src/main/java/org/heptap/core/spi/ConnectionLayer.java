package org.heptap.core.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A layer between an accepted TCP connection of a collector socket and the socket's stream framer
 * (TLS: the module that knows it decrypts what the peer sends and encrypts the replies).
 * agent-core knows no such protocol: a listen entry {@code <scheme>:HOST:PORT} asks for the layer
 * of that scheme, which a module configures from the socket's {@code <scheme>:} section
 * ({@link ConnectionLayerProvider}). One instance serves one socket; its sessions are opened and
 * used by that socket's thread only.
 *
 * <p>Layers are compared on reload ({@code equals}): two configured alike must be equal.
 */
public interface ConnectionLayer {
    /** The listen scheme it serves, e.g. {@code tls}. */
    String scheme();

    /** One phrase for the socket's start-up line, e.g. what certificate it presents. */
    String describe();

    /** The layer's state for one new connection from {@code peer}. */
    Session open(InetSocketAddress peer);

    /** What {@link Session#unwrap} stopped at. */
    enum Status {
        /** Everything it was given is used or waits for more bytes from the peer. */
        NEED_INPUT,
        /** The application buffer has no room for the next record: drain it (frame) and call again. */
        APPLICATION_FULL,
        /** The peer closed the layer (TLS close_notify): no more application bytes will come. */
        CLOSED
    }

    /** Where a session's bytes for the peer go (handshake, alerts, encrypted replies). */
    interface Output {
        /** Sends (or queues, bounded) everything remaining in {@code wire}. */
        void write(ByteBuffer wire) throws IOException;
    }

    /** One connection's layer state. */
    interface Session {
        /**
         * Turns bytes received from the peer ({@code wire}, ready for reading; what it cannot use
         * yet stays there) into application bytes appended to {@code application}. Bytes the
         * layer must answer with (handshake) go to {@code toPeer}.
         *
         * @throws RejectedException when the peer fails the layer's checks (handshake failure)
         * @throws IOException       when the bytes for the peer cannot be sent
         */
        Status unwrap(ByteBuffer wire, ByteBuffer application, Output toPeer) throws IOException;

        /** Sends application bytes (a reply) to the peer through the layer. */
        void wrap(ByteBuffer application, Output toPeer) throws IOException;

        /** True once the layer's handshake is complete (application bytes can flow). */
        boolean established();

        /** Room {@code application} should have free so that one more record fits. */
        int applicationRecordSize();

        /** Room for bytes received from the peer that gives one whole record. */
        int wireRecordSize();
    }

    /** A peer failed the layer's checks; the message says why, for one log line naming the peer. */
    final class RejectedException extends IOException {
        public RejectedException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
