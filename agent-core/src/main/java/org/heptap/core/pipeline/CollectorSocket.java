package org.heptap.core.pipeline;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.heptap.core.config.CollectorSettings;
import org.heptap.core.config.SocketSettings;
import org.heptap.core.decode.DecodeResult;
import org.heptap.core.log.LogRateLimiter;
import org.heptap.core.message.Message;
import org.heptap.core.spi.AutoResponder;
import org.heptap.core.spi.CollectorFormat;
import org.heptap.core.spi.ConnectionLayer;
import org.heptap.core.spi.ReplyChannel;
import org.heptap.core.spi.StreamFramer;

/**
 * The listening side of a {@code type: collector} socket: every UDP datagram, and every message
 * framed out of a TCP connection by the socket's stream framer, becomes one {@link Message} that
 * runs through the socket's plan on this socket's own thread (one selector serves all its
 * addresses and connections, so the pipeline keeps its one-thread ownership). Each message
 * carries a {@link ReplyChannel} back to its sender; after the plan, the socket's
 * {@link AutoResponder} answers what the plan left unanswered ({@code reply: true}).
 *
 * <p>Addresses of the message: source = the sender, destination = the address the collector
 * received it on (TCP: the connection's local address; UDP: the listen address, which is the
 * wildcard when listening on 0.0.0.0 or ::). captagent reverses them (source = its listen
 * address); heptap keeps the real direction so HOMER draws the PUBLISH going from the phone to
 * the collector.
 *
 * <p>Bounds: one 64 KiB datagram buffer; TCP connections at most {@code max-connections}, and
 * at most {@code max-connections-per-source} from one address (more are closed at once, counted,
 * logged rate-limited), each buffering at most {@code tcp-max-message} unframed bytes (beyond,
 * the connection is closed, counted); a connection that has delivered no complete message
 * {@code tcp-first-message-timeout} after it was accepted is closed (an idle or garbage-sending
 * peer cannot hold a place for long), idle ones after {@code tcp-idle-timeout}. Bytes the framer
 * skips between messages are counted. UDP listen addresses get a {@code receive-buffer} of their
 * own; what the kernel drops on them when it is full is read from {@code /proc} into the
 * socket's kernel counters ({@link UdpDropCounter}).
 *
 * <p>A listen entry {@code <scheme>:HOST:PORT} puts a module's {@link ConnectionLayer} (TLS)
 * between its connections and the framer: received bytes are unwrapped into the connection's
 * buffer (the one copy), replies wrapped. A peer the layer rejects (handshake failure) is
 * counted and logged, rate-limited, in one line naming it and the reason; its connection is
 * closed and the socket serves on.
 */
final class CollectorSocket implements Closeable {
    private static final Logger LOG = Logger.getLogger(CollectorSocket.class.getName());
    /** Datagrams handled per readiness before looking at the other channels (fairness). */
    private static final int DATAGRAMS_PER_TURN = 64;
    /** Rejected peers logged per window; beyond, counted and summed up in the next line. */
    private static final int REJECTIONS_LOGGED_PER_WINDOW = 5;
    private static final long REJECTION_LOG_WINDOW_NANOS = 60_000_000_000L;
    /** How often the kernel's drop counters are read while serving (they are read at stop too). */
    private static final long DROP_READ_INTERVAL_NANOS = 5_000_000_000L;

    private final SocketPipeline pipeline;
    private final CollectorSettings settings;
    private final StreamFramer framer;
    private final AutoResponder responder;
    /** Decodes the envelope of what is received (HEP); null when it is the payload itself. */
    private final CollectorFormat.Decoder decoder;
    private final int maxMessage;
    private final long idleNanos;
    private final Selector selector;
    private final List<Closeable> listeners = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final ConnectionLimiter perSource;
    private final long firstMessageNanos;
    /** One per UDP listen address the kernel's table shows (Linux). */
    private final List<UdpDropCounter> dropCounters = new ArrayList<>();
    /** TLS peers rejected and TCP connections refused or closed for a limit: lines logged per minute. */
    private final LogRateLimiter rejectionLog = new LogRateLimiter(REJECTIONS_LOGGED_PER_WINDOW, REJECTION_LOG_WINDOW_NANOS, System.nanoTime());
    private final LogRateLimiter refusalLog = new LogRateLimiter(REJECTIONS_LOGGED_PER_WINDOW, REJECTION_LOG_WINDOW_NANOS, System.nanoTime());
    private final byte[] datagram = new byte[65536];
    private final ByteBuffer datagramBuffer = ByteBuffer.wrap(datagram);
    private final StreamFramer.Span span = new StreamFramer.Span();
    private final Reply reply = new Reply();

    // counters: written by the socket's thread only, read racily (monotonic)
    private long datagrams;
    private long streamMessages;
    private long connectionsAccepted;
    private long connectionsRefused;
    private long connectionsRefusedPerSource;
    private long connectionsFirstMessageTimeout;
    private long streamBytesSkipped;
    private long connectionsOversize;
    private long connectionsIdleClosed;
    private long replies;
    private long autoReplies;
    private long repliesRefused;
    private long replyFailures;
    private long undecodable;
    private long lastUndecodableLog;
    /** Per connection layer (by scheme): handshakes completed and peers rejected. */
    private final Map<String, long[]> layerCounts = new LinkedHashMap<>();

    private CollectorSocket(SocketPipeline pipeline, StreamFramer framer, AutoResponder responder, CollectorFormat format) throws IOException {
        this.pipeline = pipeline;
        SocketSettings s = pipeline.settings();
        this.settings = s.collector();
        this.decoder = format != null ? format.decoder(settings) : null;
        this.perSource = new ConnectionLimiter(settings.limits().maxConnectionsPerSource());
        this.firstMessageNanos = settings.limits().firstMessageTimeoutNanos();
        this.framer = framer;
        this.responder = settings.reply() ? responder : null;
        this.maxMessage = s.tcp().maxMessage();
        this.idleNanos = s.tcp().idleTimeoutMicros() * 1000;
        this.selector = Selector.open();
    }

    /** Binds every listen address of the socket; on failure closes what it bound and says which address failed. */
    static CollectorSocket open(SocketPipeline pipeline, StreamFramer framer, AutoResponder responder, CollectorFormat format)
            throws IOException {
        CollectorSocket c = new CollectorSocket(pipeline, framer, responder, format);
        for (CollectorSettings.Listen l : c.settings.listen()) {
            try {
                InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(l.host()), l.port());
                if (l.tcp()) {
                    ConnectionLayer layer = l.layer() != null ? c.settings.layers().get(l.layer()) : null;
                    if (l.layer() != null && layer == null) {
                        throw new IOException("no " + l.layer() + " layer configured for it");
                    }
                    if (layer != null) c.layerCounts.putIfAbsent(layer.scheme(), new long[2]);
                    ServerSocketChannel ch = ServerSocketChannel.open();
                    c.listeners.add(ch);
                    ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    ch.bind(at, 128);
                    ch.configureBlocking(false);
                    ch.register(c.selector, SelectionKey.OP_ACCEPT, layer);
                } else {
                    DatagramChannel ch = DatagramChannel.open(at.getAddress() instanceof Inet4Address
                            ? java.net.StandardProtocolFamily.INET : java.net.StandardProtocolFamily.INET6);
                    c.listeners.add(ch);
                    c.askReceiveBuffer(ch, l);
                    ch.bind(at);
                    ch.configureBlocking(false);
                    ch.register(c.selector, SelectionKey.OP_READ, at);
                    UdpDropCounter drops = UdpDropCounter.of((InetSocketAddress) ch.getLocalAddress());
                    if (drops != null) c.dropCounters.add(drops);
                    else LOG.fine("socket " + pipeline.settings().name() + ": " + l + ": no /proc/net/udp line: kernel drops not counted");
                }
            } catch (IOException e) {
                c.close();
                throw new IOException("socket " + pipeline.settings().name() + ": cannot listen on " + l + ": " + e.getMessage()
                        + " (in use by another process? a port below 1024 needs privileges)", e);
            }
        }
        return c;
    }

    /**
     * Asks for the socket's {@code receive-buffer} (bursts wait there while the plan runs) and
     * says so when the kernel gives less: Linux caps it at {@code net.core.rmem_max} (and reports
     * twice what it grants, its bookkeeping included).
     */
    private void askReceiveBuffer(DatagramChannel ch, CollectorSettings.Listen l) throws IOException {
        int asked = settings.limits().receiveBuffer();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, asked);
        int got = ch.getOption(StandardSocketOptions.SO_RCVBUF);
        if (got < asked) {
            LOG.warning("socket " + pipeline.settings().name() + ": " + l + ": the kernel gave a receive buffer of " + got
                    + " bytes, not the " + asked + " asked (receive-buffer); raise net.core.rmem_max (sysctl -w net.core.rmem_max="
                    + asked + ") or bursts are dropped (kernel-dropped)");
        }
    }

    /** What the socket listens on, for the start-up log line. */
    String describe() {
        return "collector listening on " + settings.listen().toString().replace("[", "").replace("]", "")
                + (decoder != null ? " for " + settings.format() : "")
                + settings.layers().values().stream().map(l -> ", " + l.scheme() + " " + l.describe()).reduce("", String::concat)
                + (responder != null ? ", auto-reply by " + responder.name() : ", no auto-reply");
    }

    /** Serves until {@code stopping} turns true (checked at least every 200 ms) or the selector is closed. */
    void run(BooleanSupplier stopping) throws IOException {
        long lastSweep = System.nanoTime();
        long lastDropRead = lastSweep;
        long dropsLogged = 0;
        while (!stopping.getAsBoolean() && selector.isOpen()) {
            selector.select(200);
            if (!selector.isOpen()) break;
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                if (!k.isValid()) continue;
                try {
                    if (k.channel() instanceof DatagramChannel ch) {
                        readDatagrams(ch, (InetSocketAddress) k.attachment());
                    } else if (k.isAcceptable()) {
                        accept((ServerSocketChannel) k.channel(), (ConnectionLayer) k.attachment());
                    } else if (k.attachment() instanceof Connection c) {
                        if (k.isValid() && k.isWritable()) c.flush();
                        if (k.isValid() && k.isReadable()) c.read();
                    }
                } catch (IOException e) {
                    if (k.attachment() instanceof Connection c) c.close();
                    else LOG.warning("socket " + pipeline.settings().name() + ": " + e.getMessage());
                }
            }
            long now = System.nanoTime();
            if (now - lastSweep > 1_000_000_000L) {
                lastSweep = now;
                closeIdle(now);
            }
            if (now - lastDropRead > DROP_READ_INTERVAL_NANOS) {
                lastDropRead = now;
                long d = refreshKernelStats();
                if (d > dropsLogged) {
                    LOG.warning("socket " + pipeline.settings().name() + ": the kernel dropped " + (d - dropsLogged)
                            + " datagrams in the last " + DROP_READ_INTERVAL_NANOS / 1_000_000_000L + " s (" + d
                            + " in all, kernel-dropped): the receive buffer was full; raise receive-buffer or give the host more CPU");
                    dropsLogged = d;
                }
            }
        }
    }

    private void readDatagrams(DatagramChannel ch, InetSocketAddress local) throws IOException {
        for (int i = 0; i < DATAGRAMS_PER_TURN; i++) {
            datagramBuffer.clear();
            SocketAddress from = ch.receive(datagramBuffer);
            if (from == null) return;
            datagrams++;
            InetSocketAddress peer = (InetSocketAddress) from;
            reply.toDatagram(ch, peer);
            deliver(Message.IP_PROTO_UDP, peer, local, datagram, 0, datagramBuffer.position());
        }
    }

    private void accept(ServerSocketChannel server, ConnectionLayer layer) throws IOException {
        SocketChannel ch = server.accept();
        if (ch == null) return;
        InetSocketAddress peer = (InetSocketAddress) ch.getRemoteAddress();
        if (connections.size() >= settings.maxConnections()) {
            connectionsRefused++;
            ch.close();
            logRefusal(peer, "refused: " + settings.maxConnections() + " connections are open (max-connections)", connectionsRefused);
            return;
        }
        if (!perSource.tryOpen(peer.getAddress())) {
            connectionsRefusedPerSource++;
            ch.close();
            logRefusal(peer, "refused: " + perSource.perSource() + " connections from its address are open (max-connections-per-source)",
                    connectionsRefusedPerSource);
            return;
        }
        try {
            ch.configureBlocking(false);
            Connection c = new Connection(ch, peer, layer);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            connections.add(c);
            connectionsAccepted++;
        } catch (IOException | RuntimeException e) {
            perSource.closed(peer.getAddress());
            ch.close();
            throw e;
        }
    }

    /** A connection refused or closed for a limit: logged in one line unless many came lately. */
    private void logRefusal(InetSocketAddress peer, String what, long soFar) {
        long notLogged = refusalLog.tryAcquire(System.nanoTime());
        if (notLogged < 0) return;
        LOG.warning("socket " + pipeline.settings().name() + ": connection from " + hostPort(peer) + " " + what + " (" + soFar
                + " so far" + (notLogged > 0 ? "; " + notLogged + " earlier lines not logged" : "") + "; at most "
                + REJECTIONS_LOGGED_PER_WINDOW + " lines a minute)");
    }

    private void closeIdle(long now) {
        for (int i = connections.size() - 1; i >= 0; i--) {
            Connection c = connections.get(i);
            if (c.messages == 0 && now - c.accepted > firstMessageNanos) {
                connectionsFirstMessageTimeout++;
                if (c.session != null && !c.session.established()) {
                    rejected(c.layer.scheme(), c.peer, "did not complete the handshake within tcp-first-message-timeout");
                } else {
                    logRefusal(c.peer, "closed: no complete message within " + firstMessageNanos / 1_000_000 + " ms (tcp-first-message-timeout)",
                            connectionsFirstMessageTimeout);
                }
                c.close();
            } else if (now - c.lastActive > idleNanos) {
                connectionsIdleClosed++;
                if (c.session != null && !c.session.established()) {
                    rejected(c.layer.scheme(), c.peer, "did not complete the handshake within tcp-idle-timeout");
                }
                c.close();
            }
        }
    }

    /** One received message through the plan, then the automatic reply if it got none. */
    private void deliver(int proto, InetSocketAddress peer, InetSocketAddress local, byte[] buf, int off, int len) {
        Message m = pipeline.message();
        m.reset();
        java.time.Instant now = java.time.Instant.now(); // received, not captured: the time of arrival
        m.setTimestampMicros(now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
        m.setIpProtocol(proto);
        byte[] src = peer.getAddress().getAddress();
        byte[] dst = local.getAddress().getAddress();
        if (dst.length != src.length) dst = new byte[src.length]; // v4 peer on a v6 wildcard: unspecified
        m.setAddresses(src.length == 16 ? 6 : 4, src, 0, dst, 0);
        m.setPorts(peer.getPort(), local.getPort());
        m.setPayload(buf, off, len);
        m.setProtocolType(settings.protocolType());
        if (decoder != null) {
            String problem = decoder.decode(buf, off, len, m);
            if (problem == CollectorFormat.Decoder.REFUSED) {
                pipeline.collectedUndecoded(DecodeResult.REFUSED); // the format counted and logged it
                return;
            }
            if (problem != null) {
                pipeline.collectedUndecoded(DecodeResult.MALFORMED);
                undecodable++;
                long t = System.nanoTime();
                if (t - lastUndecodableLog > 10_000_000_000L || lastUndecodableLog == 0) {
                    lastUndecodableLog = t;
                    LOG.warning("socket " + pipeline.settings().name() + ": " + len + " bytes from " + peer + " are not "
                            + settings.format() + ": " + problem + " (" + undecodable + " so far; logged at most every 10 s)");
                }
                return;
            }
        }
        m.setReplyChannel(reply);
        pipeline.planCollected(m);
        if (responder != null && !reply.hasReplied()) {
            m.setPayload(buf, off, len); // the plan may have replaced it (report JSON)
            byte[] r = responder.respond(m);
            if (r != null && reply.send(r, 0, r.length, true)) autoReplies++;
        }
        m.setReplyChannel(null);
    }

    /** Adds this socket's counters (for the final log line and metrics). */
    void addCounters(Map<String, Long> c) {
        c.put("collector-datagrams", datagrams);
        c.put("collector-stream-messages", streamMessages);
        c.put("collector-connections", connectionsAccepted);
        c.put("collector-connections-refused", connectionsRefused);
        c.put("collector-connections-refused-per-source", connectionsRefusedPerSource);
        c.put("collector-connections-first-message-timeout", connectionsFirstMessageTimeout);
        c.put("collector-stream-bytes-skipped", streamBytesSkipped);
        c.put("collector-connections-oversize", connectionsOversize);
        c.put("collector-connections-idle-closed", connectionsIdleClosed);
        c.put("collector-replies", replies);
        c.put("collector-auto-replies", autoReplies);
        c.put("collector-replies-refused", repliesRefused);
        c.put("collector-reply-failures", replyFailures);
        if (decoder != null) {
            c.put("collector-undecodable", undecodable);
            decoder.addCounters(c);
        }
        layerCounts.forEach((scheme, n) -> {
            c.put("collector-" + scheme + "-handshakes", n[0]);
            c.put("collector-" + scheme + "-handshake-failures", n[1]);
        });
    }

    /** A peer the connection layer refused: counted; logged in one line unless many came lately. */
    private void rejected(String scheme, InetSocketAddress peer, String reason) {
        long[] n = layerCounts.get(scheme);
        n[1]++;
        long notLoggedCount = rejectionLog.tryAcquire(System.nanoTime());
        if (notLoggedCount < 0) return;
        String notLogged = notLoggedCount > 0 ? "; " + notLoggedCount + " earlier ones not logged" : "";
        LOG.warning("socket " + pipeline.settings().name() + ": " + scheme + " from " + hostPort(peer) + " rejected: " + reason
                + " (" + n[1] + " so far" + notLogged + "; at most " + REJECTIONS_LOGGED_PER_WINDOW + " lines a minute)");
    }

    private static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        addCounters(c);
        return c;
    }

    /**
     * Reads the kernel's drop counters of the UDP listen addresses now and records them as the
     * socket's kernel counters: received = what the socket delivered + what the kernel dropped.
     * Any thread; returns the drops.
     */
    long refreshKernelStats() {
        long d = 0;
        for (UdpDropCounter c : dropCounters) d += c.read();
        pipeline.recordCollectorKernelDrops(d);
        return d;
    }

    /** Whether this collector serves {@code p}. */
    boolean serves(SocketPipeline p) {
        return pipeline == p;
    }

    @Override
    public void close() {
        refreshKernelStats(); // the kernel's counters go with the sockets: read them first
        for (Connection c : new ArrayList<>(connections)) c.close();
        for (Closeable l : listeners) {
            try {
                l.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with it
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Wakes the serving thread (stop). */
    void wakeup() {
        selector.wakeup();
    }

    /** The reply channel of the message being planned: one instance, re-aimed per message. */
    private final class Reply implements ReplyChannel {
        private DatagramChannel udp;
        private InetSocketAddress peer;
        private Connection tcp;
        private boolean replied;

        void toDatagram(DatagramChannel ch, InetSocketAddress to) {
            udp = ch;
            peer = to;
            tcp = null;
            replied = false;
        }

        void toConnection(Connection c) {
            udp = null;
            peer = null;
            tcp = c;
            replied = false;
        }

        @Override
        public boolean hasReplied() {
            return replied;
        }

        @Override
        public boolean send(byte[] buf, int off, int len, boolean isFinal) {
            if (isFinal && replied) {
                repliesRefused++;
                return false;
            }
            boolean ok;
            try {
                if (udp != null) {
                    ok = udp.send(ByteBuffer.wrap(buf, off, len), peer) == len;
                } else {
                    ok = tcp != null && tcp.write(buf, off, len);
                }
            } catch (IOException e) {
                ok = false;
            }
            if (!ok) {
                replyFailures++;
                return false;
            }
            if (isFinal) replied = true;
            replies++;
            return true;
        }
    }

    /**
     * One accepted TCP connection: unframed bytes in, unsent response bytes out; with a connection
     * layer also the received bytes it has not unwrapped yet.
     */
    private final class Connection implements ConnectionLayer.Output {
        final SocketChannel ch;
        final InetSocketAddress peer;
        final InetSocketAddress local;
        final ConnectionLayer layer;
        final ConnectionLayer.Session session;
        SelectionKey key;
        byte[] in = new byte[4096];
        /** A view of {@code in}, re-made only when {@code in} grows: no wrapper per read. */
        ByteBuffer inView = ByteBuffer.wrap(in);
        int inLength;
        /** Layer only: received, not yet unwrapped (write mode between reads). */
        ByteBuffer wire;
        ByteBuffer out;
        final long accepted = System.nanoTime();
        long lastActive = accepted;
        /** Complete messages framed so far (0: not yet shown to speak the protocol). */
        long messages;
        boolean closed;

        Connection(SocketChannel ch, InetSocketAddress peer, ConnectionLayer layer) throws IOException {
            this.ch = ch;
            this.peer = peer;
            this.local = (InetSocketAddress) ch.getLocalAddress();
            this.layer = layer;
            this.session = layer != null ? layer.open(peer) : null;
        }

        void read() throws IOException {
            if (session != null) {
                readThroughLayer();
                return;
            }
            if (inLength == in.length) {
                if (in.length >= maxMessage) {
                    // the framer found no message end within the bound: not our protocol, or abuse
                    connectionsOversize++;
                    close();
                    return;
                }
                grow(Math.min(maxMessage, in.length * 2));
            }
            int n = ch.read(free());
            if (n < 0) {
                close();
                return;
            }
            lastActive = System.nanoTime();
            inLength += n;
            frame();
        }

        /** Unwraps what the peer sent into {@code in}, record by record, framing as it goes. */
        private void readThroughLayer() throws IOException {
            if (wire == null) wire = ByteBuffer.allocate(session.wireRecordSize());
            int n = ch.read(wire);
            if (n < 0) {
                if (!session.established()) rejected(layer.scheme(), peer, "the peer closed the connection during the handshake");
                close();
                return;
            }
            lastActive = System.nanoTime();
            wire.flip();
            try {
                while (!closed) {
                    if (!roomFor(session.applicationRecordSize())) return;
                    boolean wasEstablished = session.established();
                    ByteBuffer application = free();
                    ConnectionLayer.Status status = session.unwrap(wire, application, this);
                    inLength = application.position();
                    if (!wasEstablished && session.established()) layerCounts.get(layer.scheme())[0]++;
                    frame();
                    if (status == ConnectionLayer.Status.CLOSED) close();
                    if (status != ConnectionLayer.Status.APPLICATION_FULL) break;
                }
            } catch (ConnectionLayer.RejectedException e) {
                rejected(layer.scheme(), peer, e.getMessage());
                close();
            } finally {
                wire.compact();
            }
        }

        /**
         * Makes {@code need} bytes of room after the unframed ones; false (connection closed,
         * counted) when the framer found no message end within {@code tcp-max-message}.
         */
        private boolean roomFor(int need) {
            if (in.length - inLength >= need) return true;
            if (inLength >= maxMessage) {
                connectionsOversize++;
                close();
                return false;
            }
            grow(Math.max(Math.min(maxMessage, in.length * 2), inLength + need));
            return true;
        }

        private void grow(int size) {
            in = java.util.Arrays.copyOf(in, size);
            inView = ByteBuffer.wrap(in);
        }

        /** {@code in} after the unframed bytes, to read or unwrap into. */
        private ByteBuffer free() {
            inView.limit(in.length).position(inLength);
            return inView;
        }

        /** Hands every complete message in {@code in} to the plan and keeps the rest at the start. */
        private void frame() {
            int off = 0;
            while (off < inLength && !closed) {
                int used = framer.next(in, off, inLength - off, span);
                if (used <= 0) break;
                if (span.length > 0) {
                    streamMessages++;
                    messages++;
                    reply.toConnection(this);
                    deliver(Message.IP_PROTO_TCP, peer, local, in, span.offset, span.length);
                } else {
                    streamBytesSkipped += used; // keep-alives, or garbage skipped to find the next message
                }
                off += used;
            }
            if (closed) return;
            System.arraycopy(in, off, in, 0, inLength - off);
            inLength -= off;
        }

        /** Sends a reply: through the layer when there is one. */
        boolean write(byte[] buf, int off, int len) throws IOException {
            if (closed) return false;
            if (session == null) return send(ByteBuffer.wrap(buf, off, len));
            session.wrap(ByteBuffer.wrap(buf, off, len), this);
            return true;
        }

        /** What the connection layer sends to the peer (handshake, wrapped replies). */
        @Override
        public void write(ByteBuffer wire) throws IOException {
            if (!send(wire)) throw new IOException("the peer does not read what is sent to it");
        }

        /** Writes now what the socket takes, keeps the rest (bounded) for when it is writable. */
        private boolean send(ByteBuffer b) throws IOException {
            if (closed) return false;
            int len = b.remaining();
            if (out == null) {
                ch.write(b);
                if (!b.hasRemaining()) return true;
                out = ByteBuffer.allocate(b.remaining()).put(b).flip();
            } else {
                if (out.remaining() + len > maxMessage) return false;
                ByteBuffer more = ByteBuffer.allocate(out.remaining() + len).put(out).put(b).flip();
                out = more;
            }
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            return true;
        }

        void flush() throws IOException {
            if (out == null) return;
            ch.write(out);
            if (!out.hasRemaining()) {
                out = null;
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        void close() {
            if (closed) return;
            closed = true;
            connections.remove(this);
            perSource.closed(peer.getAddress());
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
