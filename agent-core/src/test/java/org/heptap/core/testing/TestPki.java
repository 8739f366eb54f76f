package org.heptap.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates for TLS tests, made with the real {@code openssl} in a folder of the test's:
 * <ul>
 *   <li>{@code ca.pem}/{@code ca.key}: the test CA;</li>
 *   <li>{@code server.pem}/{@code server.key}: 127.0.0.1 and localhost (subjectAltName), from the CA;</li>
 *   <li>{@code client.pem}/{@code client.key}: an agent's client certificate, from the CA;</li>
 *   <li>{@code other-ca.pem}, and {@code other-client.pem}/{@code other-client.key} from it: an
 *       unrelated CA and a client it vouches for (what a wrong-CA test needs);</li>
 *   <li>{@code client-pkcs1.key}: the client's key in the traditional PKCS#1 form
 *       ({@code BEGIN RSA PRIVATE KEY}), which heptap refuses.</li>
 * </ul>
 * Other keys are PKCS#8 PEM, unencrypted; everything is valid for two days.
 */
public final class TestPki {
    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** Makes every file above in {@code dir}. */
    public static TestPki create(Path dir) throws IOException, InterruptedException {
        TestPki p = new TestPki(dir);
        p.openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=heptap test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem");
        p.openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=someone else",
                "-keyout",
                "other-ca.key",
                "-out",
                "other-ca.pem");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        p.issue("server", "/CN=127.0.0.1", "ca", "san.ext");
        p.issue("client", "/CN=heptap test agent", "ca", null);
        p.issue("other-client", "/CN=heptap agent of someone else", "other-ca", null);
        p.openssl("rsa", "-in", "client.key", "-traditional", "-out", "client-pkcs1.key");
        return p;
    }

    /** A file of the set, e.g. {@code path("ca.pem")}. */
    public Path path(String name) {
        return dir.resolve(name);
    }

    private void issue(String name, String subject, String ca, String extensions)
            throws IOException, InterruptedException {
        openssl(
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                subject,
                "-keyout",
                name + ".key",
                "-out",
                name + ".csr");
        List<String> args = new ArrayList<>(List.of(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                ca + ".pem",
                "-CAkey",
                ca + ".key",
                "-CAcreateserial",
                "-days",
                "2",
                "-out",
                name + ".pem"));
        if (extensions != null) args.addAll(List.of("-extfile", extensions));
        openssl(args.toArray(String[]::new));
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("openssl " + List.of(args) + " failed: " + out);
    }
}
