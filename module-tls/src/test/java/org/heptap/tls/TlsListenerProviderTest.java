package org.heptap.tls;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.heptap.core.spi.ConnectionLayer;
import org.heptap.core.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listening side's settings, the server context built from them, and handshakes through a session's handler in memory. */
class TlsListenerProviderTest {
    @TempDir
    static Path dir;

    static TestPki pki;
    private final Problems problems = new Problems();

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir);
    }

    private ConnectionLayer configure(String body) {
        String yaml = "sockets:\n  relay:\n    tls:\n" + body.indent(6);
        ConfigNode tls = ConfigNode.parse(new StringReader(yaml), "heptap.yaml", problems)
                .section("sockets")
                .section("relay")
                .section("tls");
        return new TlsListenerProvider().configure("relay", tls);
    }

    private String files(String... names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i += 2)
            sb.append(names[i]).append(": ").append(pki.path(names[i + 1])).append('\n');
        return sb.toString();
    }

    @Test
    void cert_and_key_give_a_server_on_tls13_and_12_that_asks_no_client_certificate() {
        TlsListener l = (TlsListener) configure(files("cert", "server.pem", "key", "server.key"));
        assertEquals(List.of(), problems.errors());
        assertTrue(l.context().isServer());
        SSLEngine e = l.context().newEngine(ByteBufAllocator.DEFAULT);
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), List.of(e.getEnabledProtocols()));
        assertFalse(e.getNeedClientAuth());
        assertFalse(e.getWantClientAuth());
        assertTrue(l.describe().contains("no client certificate asked"), l.describe());
    }

    @Test
    void a_client_ca_requires_a_client_certificate_unless_told_otherwise() {
        TlsListener required =
                (TlsListener) configure(files("cert", "server.pem", "key", "server.key", "client-ca", "ca.pem"));
        assertTrue(required.context().newEngine(ByteBufAllocator.DEFAULT).getNeedClientAuth());
        TlsListener optional = (TlsListener)
                configure(
                        files("cert", "server.pem", "key", "server.key", "client-ca", "ca.pem")
                                + "require-client-cert: false\nprotocols: [TLSv1.2]\nciphers: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]");
        assertEquals(List.of(), problems.errors());
        SSLEngine e = optional.context().newEngine(ByteBufAllocator.DEFAULT);
        assertTrue(e.getWantClientAuth());
        assertFalse(e.getNeedClientAuth());
        assertEquals(List.of("TLSv1.2"), List.of(e.getEnabledProtocols()));
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), List.of(e.getEnabledCipherSuites()));
        assertNotEquals(required, optional);
        assertEquals(
                required,
                configure(files("cert", "server.pem", "key", "server.key", "client-ca", "ca.pem")),
                "same settings: equal (reload)");
    }

    @Test
    void wrong_files_and_values_are_file_line_key_problems() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        assertNull(
                configure(
                        "cert: " + garbage
                                + "\nkey: /no/such/server.key\nprotocols: [TLSv1.2, SSLv3]\nrequire-client-cert: true\nciphers: [NO_SUCH_SUITE]"));
        List<String> e = problems.errors();
        assertEquals(5, e.size(), e.toString());
        assertTrue(
                e.contains("heptap.yaml:5: sockets.relay.tls.key: /no/such/server.key: no such readable file"),
                e.toString());
        assertTrue(
                e.stream()
                        .anyMatch(m -> m.startsWith("heptap.yaml:4: sockets.relay.tls.cert: " + garbage + ": ")
                                && (m.contains("not a PEM certificate") || m.contains("holds no PEM certificate"))),
                e.toString());
        assertTrue(
                e.stream()
                        .anyMatch(
                                m -> m.startsWith("heptap.yaml:6: sockets.relay.tls.protocols: SSLv3 is not allowed")),
                e.toString());
        assertTrue(e.stream().anyMatch(m -> m.contains("require-client-cert: true needs client-ca")), e.toString());
        assertTrue(e.stream().anyMatch(m -> m.contains("ciphers: NO_SUCH_SUITE is not a cipher suite")), e.toString());
    }

    @Test
    void cert_and_key_are_required_and_must_belong_together() {
        assertNull(configure("{}"));
        assertTrue(
                problems.errors().stream().anyMatch(m -> m.contains("tls: cert is required")),
                problems.errors().toString());
        assertTrue(
                problems.errors().stream().anyMatch(m -> m.contains("tls: key is required")),
                problems.errors().toString());
        Problems before = problems;
        assertNull(configure(files("cert", "server.pem", "key", "client.key")));
        assertTrue(
                before.errors().stream()
                        .anyMatch(m -> m.contains("sockets.relay.tls.key: " + pki.path("client.key")
                                + ": is not the private key of the certificate in cert (CN=127.0.0.1)")),
                problems.errors().toString());
    }

    // --- handshakes through a session's handler, client and server channels in memory ---

    /** What the tests saw when the server's handshake failed: the session's reason for the log line. */
    static final class RejectedException extends Exception {
        private static final long serialVersionUID = 1L;

        RejectedException(String reason) {
            super(reason);
        }
    }

    /**
     * Pumps bytes between a client channel and one holding the session's handler until the
     * server has the client's message (returned) or its handshake fails (the session's reason,
     * thrown): a client that fails sends its alert on, so the server's reading of it is what the
     * test sees.
     */
    private static String exchange(SslHandler client, ConnectionLayer.Session server, String clientSends)
            throws RejectedException {
        EmbeddedChannel serverSide = new EmbeddedChannel(server.handler());
        EmbeddedChannel clientSide = new EmbeddedChannel(client);
        StringBuilder received = new StringBuilder();
        boolean sent = false;
        try {
            for (int round = 0; round < 50 && received.length() < clientSends.length(); round++) {
                pump(clientSide, serverSide);
                pump(serverSide, clientSide);
                if (!sent && client.handshakeFuture().isSuccess()) {
                    clientSide.writeAndFlush(Unpooled.copiedBuffer(clientSends, StandardCharsets.US_ASCII));
                    sent = true;
                }
                for (ByteBuf b; (b = serverSide.readInbound()) != null; b.release())
                    received.append(b.toString(StandardCharsets.US_ASCII));
                if (server.established().cause() != null)
                    throw new RejectedException(
                            server.rejection(server.established().cause()));
            }
            return received.toString();
        } finally {
            close(clientSide);
            close(serverSide);
        }
    }

    private static void close(EmbeddedChannel ch) {
        try {
            ch.finishAndReleaseAll();
        } catch (Exception failed) {
            // what the channel failed with is what the test looked at
        }
    }

    /** What {@code from} has written goes into {@code to}; a failure there is seen through its handler's future. */
    private static void pump(EmbeddedChannel from, EmbeddedChannel to) {
        for (Object b; (b = from.readOutbound()) != null; ) {
            try {
                to.writeInbound(b);
            } catch (Exception failed) { // Netty rethrows the pipeline's exception, checked ones too
                // the handshake's failure: its future holds the cause
            }
        }
    }

    private static SslHandler client(String ca, String cert, String key) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(pki.path(ca).toFile());
        if (cert != null) b.keyManager(pki.path(cert).toFile(), pki.path(key).toFile());
        SslContext c = b.build();
        return c.newHandler(ByteBufAllocator.DEFAULT, "127.0.0.1", 9061);
    }

    @Test
    void a_client_with_the_right_certificate_gets_its_bytes_through() throws Exception {
        ConnectionLayer l = configure(files("cert", "server.pem", "key", "server.key", "client-ca", "ca.pem"));
        ConnectionLayer.Session s = l.open(ByteBufAllocator.DEFAULT, new InetSocketAddress("127.0.0.1", 40000));
        assertEquals("HEP3 bytes", exchange(client("ca.pem", "client.pem", "client.key"), s, "HEP3 bytes"));
        assertTrue(s.established().isSuccess());
    }

    @Test
    void a_client_without_certificate_or_from_another_ca_is_rejected_with_the_reason() throws Exception {
        ConnectionLayer l = configure(files("cert", "server.pem", "key", "server.key", "client-ca", "ca.pem"));
        RejectedException none = assertThrows(
                RejectedException.class,
                () -> exchange(
                        client("ca.pem", null, null),
                        l.open(ByteBufAllocator.DEFAULT, new InetSocketAddress("127.0.0.1", 40001)),
                        "x"));
        assertTrue(
                none.getMessage().startsWith("sent no client certificate (tls.require-client-cert is on"),
                none.getMessage());
        // a JDK client only offers a certificate from a CA the server names: this one sends none
        RejectedException other = assertThrows(
                RejectedException.class,
                () -> exchange(
                        client("ca.pem", "other-client.pem", "other-client.key"),
                        l.open(ByteBufAllocator.DEFAULT, new InetSocketAddress("127.0.0.1", 40002)),
                        "x"));
        assertEquals(none.getMessage(), other.getMessage());
    }

    @Test
    void a_client_that_does_not_trust_our_certificate_is_named_as_such() throws Exception {
        ConnectionLayer l = configure(files("cert", "server.pem", "key", "server.key"));
        ConnectionLayer.Session s = l.open(ByteBufAllocator.DEFAULT, new InetSocketAddress("127.0.0.1", 40003));
        RejectedException e =
                assertThrows(RejectedException.class, () -> exchange(client("other-ca.pem", null, null), s, "x"));
        assertTrue(e.getMessage().startsWith("it does not trust our certificate"), e.getMessage());
    }

    @Test
    void a_peer_that_does_not_speak_tls_is_rejected_at_once() throws Exception {
        ConnectionLayer l = configure(files("cert", "server.pem", "key", "server.key"));
        ConnectionLayer.Session s = l.open(ByteBufAllocator.DEFAULT, new InetSocketAddress("127.0.0.1", 40004));
        EmbeddedChannel server = new EmbeddedChannel(s.handler());
        // the start of a 768-byte HEP3 packet: taken for an SSLv2 record header (its length byte 3 for the
        // version), it would have the handshake wait for 2,120 bytes
        server.writeInbound(Unpooled.wrappedBuffer(new byte[] {'H', 'E', 'P', '3', 3, 0, 0, 1, 0, 1, 2}));
        assertTrue(s.established().isDone(), "decided on the first bytes");
        assertTrue(
                s.rejection(s.established().cause()).startsWith("it does not speak TLS"),
                s.rejection(s.established().cause()));
        assertFalse(server.isActive(), "closed");
        close(server);
    }
}
