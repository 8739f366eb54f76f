package org.heptap.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.heptap.core.config.PasswordHash;
import org.heptap.web.Authenticator.Verdict;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    private static final String TOKEN = "0123456789abcdef-token";
    private static final PasswordHash ADMIN = PasswordHash.of("right".toCharArray(), 10_000);

    private long now;
    private final Authenticator auth = new Authenticator(TOKEN, Map.of("admin", ADMIN), () -> now);

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutCredentialsConfiguredEveryoneIsIn() {
        assertEquals(Verdict.ALLOWED, new Authenticator(null, Map.of()).check(null));
    }

    @Test
    void theTokenAsBearerOrAsABasicPassword() {
        assertEquals(Verdict.ALLOWED, auth.check("Bearer " + TOKEN));
        assertEquals(Verdict.ALLOWED, auth.check(basic("anyone", TOKEN)));
        assertEquals(Verdict.DENIED, auth.check("Bearer " + TOKEN + "x"));
        assertEquals(Verdict.DENIED, auth.check(null));
        assertEquals(Verdict.DENIED, auth.check("Digest whatever"));
        assertEquals(Verdict.DENIED, auth.check("Basic !!!not-base64"));
    }

    @Test
    void aUserWithTheRightPasswordOnly() {
        assertEquals(Verdict.ALLOWED, auth.check(basic("admin", "right")));
        now += 1_000_000_000L; // a new second: a new password check may run
        assertEquals(Verdict.DENIED, auth.check(basic("admin", "wrong")));
        now += 1_000_000_000L;
        assertEquals(Verdict.DENIED, auth.check(basic("root", "right")));
        assertEquals(Verdict.DENIED, auth.check(basic("admin", "")));
    }

    @Test
    void wrongPasswordsAreThrottledSoTheyCannotBurnTheCpu() {
        for (int i = 0; i < Authenticator.CHECKS_PER_SECOND; i++) {
            assertEquals(Verdict.DENIED, auth.check(basic("admin", "wrong" + i)));
        }
        assertEquals(Verdict.THROTTLED, auth.check(basic("admin", "right")));
        now += 1_000_000_000L;
        assertEquals(Verdict.ALLOWED, auth.check(basic("admin", "right")));
    }

    @Test
    void aPassedHeaderIsRememberedForAWhileWithoutAnotherHashCheck() {
        assertEquals(Verdict.ALLOWED, auth.check(basic("admin", "right")));
        for (int i = 0; i < Authenticator.CHECKS_PER_SECOND; i++) auth.check(basic("admin", "wrong" + i));
        // the budget of hash checks is spent, yet the known header passes
        assertEquals(Verdict.ALLOWED, auth.check(basic("admin", "right")));
        now += Authenticator.REMEMBER_NANOS + 1_000_000_000L;
        assertEquals(Verdict.ALLOWED, auth.check(basic("admin", "right")));
    }

    @Test
    void passwordHashesRoundTripAndRefuseWeakSettings() {
        PasswordHash h = PasswordHash.parse(ADMIN.toString());
        assertEquals(true, h.matches("right".toCharArray()));
        assertEquals(false, h.matches("Right".toCharArray()));
        String[] bad = {"right", "pbkdf2-sha256:100:AAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAA==", "md5:1:2:3"};
        for (String b : bad) {
            try {
                PasswordHash.parse(b);
                throw new AssertionError(b + " was accepted");
            } catch (IllegalArgumentException expected) {
                // refused, with a reason
            }
        }
    }
}
