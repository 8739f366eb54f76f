package org.heptap.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.heptap.core.config.BoundedFile;
import org.heptap.core.config.ConfigNode;

/**
 * The certificate and key files of a {@code tls:} section, checked when the configuration is read
 * (so {@code --check} and a reload see what the start would): each problem is reported at the key
 * that names the file, as {@code file:line: path.key: FILE: problem}. Both sides of TLS use it:
 * the transports' client identity and trust, and the collector sockets' listeners.
 */
final class PemFiles {
    /** A CA bundle of every public CA is about 200 KB; a larger file is not PEM meant for us. */
    static final long MAX_BYTES = 1 << 20;

    private PemFiles() {}

    /** The file named by {@code key}, or null (absent, or unusable and reported). */
    static Path file(ConfigNode tls, String key) {
        String v = tls.string(key, null);
        if (v == null || v.isBlank()) return null;
        Path p = Path.of(v);
        if (Files.isDirectory(p)) {
            tls.child(key).error(v + ": is a directory, not a PEM file");
            return null;
        }
        if (!Files.isReadable(p)) {
            // the agent runs as its own user: a root-only key is the usual cause
            tls.child(key)
                    .error(v
                            + (Files.exists(p)
                                    ? ": cannot be read by this user (check its owner and mode)"
                                    : ": no such readable file"));
            return null;
        }
        return p;
    }

    /** The certificates of a PEM file (the first returned), or null with the problem reported. */
    static X509Certificate certificates(ConfigNode tls, String key, Path file) {
        byte[] pem;
        try {
            pem = read(file);
        } catch (IOException e) {
            tls.child(key).error(file + ": " + e.getMessage());
            return null;
        }
        // what Netty loads later: PEM blocks only (a DER file would pass the JDK's parser here)
        if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            tls.child(key).error(file + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            return null;
        }
        try {
            Collection<? extends Certificate> all =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            if (!all.isEmpty()) return (X509Certificate) all.iterator().next();
            tls.child(key).error(file + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        } catch (GeneralSecurityException e) {
            tls.child(key).error(file + ": not a PEM certificate: " + e.getMessage());
        }
        return null;
    }

    /**
     * The key must be an unencrypted PKCS#8 PEM key and, when the certificate is known, belong to
     * it (a test signature verifies). Problems are reported at {@code key}.
     */
    static void checkKey(ConfigNode tls, String key, Path file, X509Certificate leaf) {
        PrivateKey pk;
        try {
            pk = privateKey(new String(read(file), StandardCharsets.US_ASCII), file);
        } catch (IOException | GeneralSecurityException e) {
            tls.child(key).error(file + ": " + e.getMessage());
            return;
        }
        if (leaf != null && !belongs(pk, leaf.getPublicKey())) {
            tls.child(key)
                    .error(file + ": is not the private key of the certificate in cert ("
                            + leaf.getSubjectX500Principal() + ")");
        }
    }

    private static byte[] read(Path file) throws IOException {
        try {
            return BoundedFile.read(file, MAX_BYTES, "a PEM file");
        } catch (BoundedFile.TooLargeException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot read: " + BoundedFile.reason(e), e);
        }
    }

    /** Parses an unencrypted PKCS#8 PEM key; anything else throws with what it is and how to convert it. */
    static PrivateKey privateKey(String pem, Path file) throws GeneralSecurityException {
        String convert = "convert it with openssl pkcs8 -topk8 -nocrypt -in " + file + " -out " + file + ".pk8";
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") && !pem.contains("ENCRYPTED")) {
                throw new GeneralSecurityException(
                        "is not a PKCS#8 private key (a PKCS#1 \"BEGIN RSA PRIVATE KEY\" file: " + convert + ")");
            }
            if (pem.contains("-----BEGIN EC PRIVATE KEY-----") && !pem.contains("ENCRYPTED")) {
                throw new GeneralSecurityException(
                        "is not a PKCS#8 private key (a SEC1 \"BEGIN EC PRIVATE KEY\" file: " + convert + ")");
            }
            if (pem.contains("ENCRYPTED")) {
                throw new GeneralSecurityException(
                        "the key is encrypted; heptap needs it unencrypted (PKCS#8): " + convert);
            }
            throw new GeneralSecurityException("holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(
                    "is not a PKCS#8 private key (the PEM block is not base64: " + e.getMessage() + ")");
        }
        List<String> tried = new ArrayList<>();
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                tried.add(algorithm);
            }
        }
        throw new GeneralSecurityException(
                "is not a PKCS#8 private key of a known algorithm (" + String.join(", ", tried) + ")");
    }

    private static boolean belongs(PrivateKey key, PublicKey pub) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] data = "heptap key check".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(data);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(pub);
            verify.update(data);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a different algorithm than the certificate's: not its key
        }
    }
}
