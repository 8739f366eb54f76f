package org.heptap.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heptap.core.config.PasswordHash;

/**
 * Checks the {@code Authorization} header of a request against the configured token and users.
 * A token is accepted as {@code Bearer TOKEN}, or as the password of HTTP Basic with any user
 * name (what a browser's login prompt sends). Password hashes are deliberately slow to check, so
 * a hostile client could burn the agent's CPU with wrong passwords: at most
 * {@link #CHECKS_PER_SECOND} hash checks run a second (more get {@link Verdict#THROTTLED}), and a
 * header that passed is remembered for {@link #REMEMBER_NANOS} so a page polling every few
 * seconds costs one check. Called on the web server's one thread only.
 */
final class Authenticator {
    enum Verdict {
        ALLOWED,
        DENIED,
        THROTTLED
    }

    static final int CHECKS_PER_SECOND = 1;
    static final long REMEMBER_NANOS = 300_000_000_000L;
    private static final int REMEMBERED = 32;

    private final byte[] tokenDigest;
    private final Map<String, PasswordHash> users;
    /** Digests of headers that passed, with when they did (least recently used first). */
    private final Map<String, Long> passed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> e) {
            return size() > REMEMBERED;
        }
    };

    private final Clock clock;
    private long windowStart;
    private int checksInWindow;

    interface Clock {
        long nanoTime();
    }

    Authenticator(String token, Map<String, PasswordHash> users) {
        this(token, users, System::nanoTime);
    }

    Authenticator(String token, Map<String, PasswordHash> users, Clock clock) {
        this.tokenDigest = token == null ? null : sha256(token);
        this.users = Map.copyOf(users);
        this.clock = clock;
        this.windowStart = clock.nanoTime();
    }

    boolean required() {
        return tokenDigest != null || !users.isEmpty();
    }

    Verdict check(String authorization) {
        if (!required()) return Verdict.ALLOWED;
        if (authorization == null) return Verdict.DENIED;
        String a = authorization.trim();
        if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return matchesToken(a.substring(7).trim()) ? Verdict.ALLOWED : Verdict.DENIED;
        }
        if (!a.regionMatches(true, 0, "Basic ", 0, 6)) return Verdict.DENIED;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(a.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Verdict.DENIED;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return Verdict.DENIED;
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        if (matchesToken(password)) return Verdict.ALLOWED;
        PasswordHash hash = users.get(user);
        if (hash == null) return Verdict.DENIED;
        String key = Base64.getEncoder().encodeToString(sha256(a));
        long now = clock.nanoTime();
        Long when = passed.get(key);
        if (when != null && now - when < REMEMBER_NANOS) return Verdict.ALLOWED;
        if (!takeCheck(now)) return Verdict.THROTTLED;
        if (!hash.matches(password.toCharArray())) return Verdict.DENIED;
        passed.put(key, now);
        return Verdict.ALLOWED;
    }

    private boolean takeCheck(long now) {
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            checksInWindow = 0;
        }
        return checksInWindow++ < CHECKS_PER_SECOND;
    }

    /** Constant time, and no length leak: both sides are digests of equal length. */
    private boolean matchesToken(String candidate) {
        return tokenDigest != null && MessageDigest.isEqual(tokenDigest, sha256(candidate));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
