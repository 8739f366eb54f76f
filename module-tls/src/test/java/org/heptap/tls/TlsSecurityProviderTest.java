package org.heptap.tls;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.heptap.core.spi.StreamSecurity;
import org.heptap.core.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSecurityProviderTest {
    private final Problems problems = new Problems();

    @TempDir
    Path dir;

    private TlsSettings read(String body) {
        String yaml = "tls:\n" + body.indent(2);
        return TlsSecurityProvider.read(ConfigNode.parse(new StringReader(yaml), "heptap.yaml", problems)
                .section("tls"));
    }

    @Test
    void safe_defaults_verify_with_the_system_trust_store_on_tls12_and_13() {
        TlsSettings s = read("{}");
        assertEquals(List.of(), problems.errors());
        assertTrue(s.verify());
        assertNull(s.ca());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), s.protocols());
        assertTrue(new TlsSecurity(s, null).describe().contains("trusting the system CAs"));
    }

    @Test
    void old_protocols_missing_files_and_half_a_client_identity_are_errors() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        assertNull(read("protocols: [TLSv1.1]\nca: /no/such/ca.pem\ncert: " + cert));
        List<String> e = problems.errors();
        assertEquals(4, e.size(), e.toString());
        assertTrue(e.stream().anyMatch(m -> m.contains("/no/such/ca.pem: no such readable file")));
        assertTrue(e.stream().anyMatch(m -> m.contains(cert + ": holds no PEM certificate")));
        assertTrue(e.stream().anyMatch(m -> m.contains("TLSv1.1 is not allowed")));
        assertTrue(e.stream().anyMatch(m -> m.contains("cert is set without key")));
    }

    @Test
    void verify_false_only_when_written() {
        TlsSettings s = read("verify: false");
        assertFalse(s.verify());
        assertTrue(new TlsSecurity(s, null).describe().contains("without verification"));
    }

    // --- the files themselves are checked when the configuration is read (--check), not at start ---

    private StreamSecurity configure(String body) {
        String yaml = "transports:\n  homer:\n    tls:\n" + body.indent(6);
        ConfigNode tls = ConfigNode.parse(new StringReader(yaml), "conf/heptap.yaml", problems)
                .section("transports")
                .section("homer")
                .section("tls");
        return new TlsSecurityProvider().configure("homer", tls);
    }

    private static TestPki pki(Path dir) throws Exception {
        return TestPki.create(Files.createDirectories(dir.resolve("pki")));
    }

    @Test
    void good_ca_cert_and_key_configure_a_client_context_at_once() throws Exception {
        TestPki pki = pki(dir);
        StreamSecurity s = configure(
                "ca: " + pki.path("ca.pem") + "\ncert: " + pki.path("client.pem") + "\nkey: " + pki.path("client.key"));
        assertEquals(List.of(), problems.errors());
        assertNotNull(s);
        s.start("homer", "127.0.0.1:9061"); // nothing left to load, nothing to fail
    }

    @Test
    void a_pkcs1_key_is_refused_with_the_command_that_converts_it() throws Exception {
        TestPki pki = pki(dir);
        Path key = pki.path("client-pkcs1.key");
        assertNull(configure("cert: " + pki.path("client.pem") + "\nkey: " + key));
        assertEquals(
                List.of("conf/heptap.yaml:5: transports.homer.tls.key: " + key
                        + ": is not a PKCS#8 private key (a PKCS#1 "
                        + "\"BEGIN RSA PRIVATE KEY\" file: convert it with openssl pkcs8 -topk8 -nocrypt -in " + key
                        + " -out " + key + ".pk8)"),
                problems.errors());
    }

    @Test
    void garbage_directories_and_missing_files_are_file_line_key_problems() throws Exception {
        TestPki pki = pki(dir);
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not PEM at all\n");
        Path folder = Files.createDirectories(dir.resolve("certs"));
        assertNull(configure("ca: " + folder + "\ncert: " + garbage + "\nkey: " + garbage));
        assertEquals(
                List.of(
                        "conf/heptap.yaml:4: transports.homer.tls.ca: " + folder + ": is a directory, not a PEM file",
                        "conf/heptap.yaml:5: transports.homer.tls.cert: " + garbage
                                + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                        "conf/heptap.yaml:6: transports.homer.tls.key: " + garbage
                                + ": holds no PEM private key (-----BEGIN PRIVATE KEY-----)"),
                problems.errors());

        Problems second = new Problems();
        String yaml = "transports:\n  homer:\n    tls:\n      ca: " + garbage + "\n      cert: "
                + pki.path("client.pem") + "\n      key: " + folder + "\n";
        ConfigNode tls = ConfigNode.parse(new StringReader(yaml), "conf/heptap.yaml", second)
                .section("transports")
                .section("homer")
                .section("tls");
        assertNull(new TlsSecurityProvider().configure("homer", tls));
        assertEquals(
                List.of(
                        "conf/heptap.yaml:4: transports.homer.tls.ca: " + garbage
                                + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                        "conf/heptap.yaml:6: transports.homer.tls.key: " + folder + ": is a directory, not a PEM file"),
                second.errors());
    }

    @Test
    void a_key_of_another_certificate_is_refused() throws Exception {
        TestPki pki = pki(dir);
        assertNull(configure("cert: " + pki.path("client.pem") + "\nkey: " + pki.path("server.key")));
        assertEquals(
                List.of("conf/heptap.yaml:5: transports.homer.tls.key: " + pki.path("server.key")
                        + ": is not the private key of the certificate in cert (CN=heptap test agent)"),
                problems.errors());
    }
}
