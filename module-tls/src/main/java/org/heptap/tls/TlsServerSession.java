package org.heptap.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.heptap.core.spi.ConnectionLayer;

/**
 * TLS on one accepted connection of a collector socket, driven by the socket's thread: the
 * engine's handshake and post-handshake messages are sent as they come up, its delegated tasks
 * (certificate checks, key exchange) run inline on that thread. A handshake that fails sends the
 * engine's alert to the peer and becomes a {@link ConnectionLayer.RejectedException} saying why
 * in the operator's terms.
 */
final class TlsServerSession implements ConnectionLayer.Session {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    /** Engine output on its way to the peer; sized to one record, grown if the engine asks. */
    private ByteBuffer toPeer;
    private boolean established;

    TlsServerSession(SSLEngine engine) {
        this.engine = engine;
        engine.setUseClientMode(false);
        this.toPeer = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    }

    @Override
    public ConnectionLayer.Status unwrap(ByteBuffer wire, ByteBuffer application, ConnectionLayer.Output output) throws IOException {
        try {
            while (true) {
                HandshakeStatus hs = engine.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK) {
                    runTasks();
                    continue;
                }
                if (hs == HandshakeStatus.NEED_WRAP) {
                    if (wrapOnce(NOTHING, output).getStatus() == SSLEngineResult.Status.CLOSED) return ConnectionLayer.Status.CLOSED;
                    continue;
                }
                SSLEngineResult r = engine.unwrap(wire, application);
                noteFinished(r);
                switch (r.getStatus()) {
                    case BUFFER_UNDERFLOW:
                        return ConnectionLayer.Status.NEED_INPUT;
                    case BUFFER_OVERFLOW:
                        return ConnectionLayer.Status.APPLICATION_FULL;
                    case CLOSED:
                        closeOutbound(output); // answer the peer's close_notify
                        return ConnectionLayer.Status.CLOSED;
                    default:
                        break;
                }
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0 && r.getHandshakeStatus() != HandshakeStatus.NEED_TASK
                        && r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                    return ConnectionLayer.Status.NEED_INPUT;
                }
            }
        } catch (SSLException e) {
            closeOutbound(output); // sends the alert the engine has for the peer, if it can
            throw new ConnectionLayer.RejectedException(TlsFailureReason.of(e), e);
        }
    }

    @Override
    public void wrap(ByteBuffer application, ConnectionLayer.Output output) throws IOException {
        while (application.hasRemaining()) {
            SSLEngineResult r = wrapOnce(application, output);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new IOException("TLS is closed");
        }
    }

    @Override
    public boolean established() {
        return established;
    }

    @Override
    public int applicationRecordSize() {
        return engine.getSession().getApplicationBufferSize();
    }

    @Override
    public int wireRecordSize() {
        return engine.getSession().getPacketBufferSize();
    }

    private void noteFinished(SSLEngineResult r) {
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) established = true;
    }

    private SSLEngineResult wrapOnce(ByteBuffer application, ConnectionLayer.Output output) throws IOException {
        while (true) {
            toPeer.clear();
            SSLEngineResult r = engine.wrap(application, toPeer);
            noteFinished(r);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                toPeer = ByteBuffer.allocate(Math.max(toPeer.capacity() * 2, engine.getSession().getPacketBufferSize()));
                continue;
            }
            toPeer.flip();
            if (toPeer.hasRemaining()) output.write(toPeer);
            return r;
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) task.run();
    }

    /** Best effort: the alert or close_notify the engine has for the peer. */
    private void closeOutbound(ConnectionLayer.Output output) {
        engine.closeOutbound();
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) wrapOnce(NOTHING, output);
        } catch (IOException | RuntimeException ignored) {
            // the peer is gone or does not read: the connection is closed anyway
        }
    }
}
