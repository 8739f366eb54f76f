package org.heptap.core.config;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A password kept as a salted PBKDF2-HMAC-SHA256 hash (the JDK's {@code PBKDF2WithHmacSHA256},
 * NIST SP 800-132), written {@code pbkdf2-sha256:ITERATIONS:SALT:HASH} with salt and hash in
 * base64, so a configuration file holds no password. {@code heptap --hash-password} makes one.
 */
public final class PasswordHash {
    public static final String SCHEME = "pbkdf2-sha256";
    /** Slow enough to make guessing costly, cheap enough for the agent to check (a check is throttled). */
    public static final int DEFAULT_ITERATIONS = 100_000;
    /** Below this a hash is refused: it would be cheap to guess. */
    static final int MIN_ITERATIONS = 10_000;
    /** Above this one check would cost the agent seconds of CPU. */
    static final int MAX_ITERATIONS = 10_000_000;

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes {@code password} with a fresh random salt. */
    public static PasswordHash of(char[] password, int iterations) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, 32));
    }

    /**
     * Reads {@code pbkdf2-sha256:ITERATIONS:SALT:HASH}; throws IllegalArgumentException saying
     * what is wrong (never echoing the value, which is secret-ish).
     */
    public static PasswordHash parse(String text) {
        String[] p = text.split(":", -1);
        if (p.length != 4 || !p[0].equals(SCHEME)) {
            throw new IllegalArgumentException("is not a password hash " + SCHEME
                    + ":ITERATIONS:SALT:HASH (make one with heptap --hash-password)");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(p[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iterations '" + p[1] + "' is not a number");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "iterations " + iterations + " is outside " + MIN_ITERATIONS + "-" + MAX_ITERATIONS);
        }
        byte[] salt;
        byte[] hash;
        try {
            salt = Base64.getDecoder().decode(p[2]);
            hash = Base64.getDecoder().decode(p[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("salt and hash must be base64");
        }
        if (salt.length < 8) throw new IllegalArgumentException("the salt is shorter than 8 bytes");
        if (hash.length < 16 || hash.length > 64) throw new IllegalArgumentException("the hash is not 16-64 bytes");
        return new PasswordHash(iterations, salt, hash);
    }

    /** True when {@code password} hashes to this (compared in constant time). */
    public boolean matches(char[] password) {
        if (password.length == 0) return false; // never a password, and PBKDF2 providers differ on it
        return MessageDigest.isEqual(hash, derive(password, salt, iterations, hash.length));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public String toString() {
        Base64.Encoder b = Base64.getEncoder();
        return SCHEME + ":" + iterations + ":" + b.encodeToString(salt) + ":" + b.encodeToString(hash);
    }
}
