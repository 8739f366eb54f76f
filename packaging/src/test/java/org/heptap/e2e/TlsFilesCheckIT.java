package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.heptap.core.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transport's TLS files are checked by {@code --check}, as the listeners' are: a PKCS#1 key,
 * garbage or a directory is {@code file:line: key: problem} (or names the quick flag) and exit 1,
 * where the check used to say "ok" and the start died with an IllegalStateException.
 */
class TlsFilesCheckIT {
    @TempDir
    static Path dir;

    static TestPki pki;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
    }

    private static String pkcs1Problem(Path key) {
        return key
                + ": is not a PKCS#8 private key (a PKCS#1 \"BEGIN RSA PRIVATE KEY\" file: convert it with openssl pkcs8 -topk8 -nocrypt -in "
                + key + " -out " + key + ".pk8)";
    }

    @Test
    void a_pkcs1_key_and_a_garbage_ca_of_a_transport_fail_the_check_with_file_line_key() throws Exception {
        Path key = pki.path("client-pkcs1.key");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "no certificate here\n");
        Path yaml = Files.writeString(dir.resolve("heptap.yaml"), """
                agent:
                  capture-plans: %s
                sockets:
                  sip:
                    device: lo
                    capture-plan: sip_capture_plan.cfg
                transports:
                  hepsocket:
                    type: hep
                    proto: tls
                    host: 127.0.0.1
                    port: %d
                    tls:
                      ca: %s
                      cert: %s
                      key: %s
                  console:
                    type: console
                """.formatted(
                Env.home().resolve("conf/captureplans"), Env.freeTcpPort(), garbage, pki.path("client.pem"), key));
        Proc p = Proc.run(
                Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--config", yaml.toString(), "--check"));
        String out = p.stdout() + p.stderr();
        assertEquals(1, p.exitCode(), out);
        assertTrue(
                out.contains(yaml + ":14: transports.hepsocket.tls.ca: " + garbage
                        + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)\n"),
                out);
        assertTrue(out.contains(yaml + ":16: transports.hepsocket.tls.key: " + pkcs1Problem(key) + "\n"), out);
        assertFalse(out.contains("Exception") || out.contains("\tat "), out);
    }

    @Test
    void quick_flags_name_the_flag_whose_file_is_wrong() throws Exception {
        Path key = pki.path("client-pkcs1.key");
        Proc p = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        Env.heptap().toString(),
                        "-i",
                        "lo",
                        "-m",
                        "sip",
                        "-H",
                        "tls:127.0.0.1:" + Env.freeTcpPort(),
                        "--tls-ca",
                        dir.toString(),
                        "--tls-cert",
                        pki.path("client.pem").toString(),
                        "--tls-key",
                        key.toString(),
                        "--check"));
        String out = p.stdout() + p.stderr();
        assertEquals(1, p.exitCode(), out);
        assertTrue(out.contains("--tls-ca: " + dir + ": is a directory, not a PEM file\n"), out);
        assertTrue(out.contains("--tls-key: " + pkcs1Problem(key) + "\n"), out);
        assertFalse(out.contains("(command line)") || out.contains("Exception") || out.contains("\tat "), out);
    }
}
