package org.heptap.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.ConfigLoader;
import org.heptap.core.config.PasswordHash;
import org.heptap.core.config.Problems;
import org.heptap.core.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSettingsTest {
    @TempDir
    Path dir;

    private Problems check(String web) throws Exception {
        Problems p = new Problems();
        AgentConfig c = WebTestAgent.load(WebTestAgent.write(dir, web), p);
        if (c != null) c.close();
        return p;
    }

    /** The line of {@code key:} in the written configuration (1-based). */
    private int lineOf(String key) throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve("heptap.yaml"));
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).trim().startsWith(key + ":")) return i + 1;
        throw new AssertionError(key + " not in the file");
    }

    @Test
    void offLoopbackWithoutAuthenticationIsRefusedWithFileAndLine() throws Exception {
        Problems p = check("listen: 0.0.0.0:8090\n");
        assertEquals(
                List.of("heptap.yaml:" + lineOf("listen")
                        + ": web.listen: 0.0.0.0:8090 is not a loopback address: set web.token or web.users"
                        + " (what the agent captured is not for everyone on the network)"),
                p.errors());
    }

    @Test
    void offLoopbackWithATokenOrAUserIsAccepted() throws Exception {
        assertEquals(
                List.of(),
                check("listen: 0.0.0.0:8090\ntoken: 0123456789abcdef0123\n").errors());
        String hash = PasswordHash.of("secret".toCharArray(), 10_000).toString();
        assertEquals(
                List.of(),
                check("listen: 0.0.0.0:8090\nusers:\n  admin: " + hash + "\n").errors());
    }

    @Test
    void aBarePortListensOnLoopback() throws Exception {
        Problems p = new Problems();
        AgentConfig c = WebTestAgent.load(WebTestAgent.write(dir, "listen: 8090\n"), p);
        assertEquals(List.of(), p.errors());
        assertEquals(
                "web: http://127.0.0.1:8090/ (sign-in: none)",
                c.services().get(0).describe());
        c.close();
    }

    @Test
    void noListenLeavesTheServerOff() throws Exception {
        Problems p = new Problems();
        AgentConfig c = WebTestAgent.load(WebTestAgent.write(dir, "max-connections: 8\n"), p);
        assertEquals(List.of(), p.errors());
        assertEquals(List.of(), c.services());
        c.close();
    }

    @Test
    void theWebFlagReplacesListenAndIsCheckedTheSameWay() throws Exception {
        Path yaml = WebTestAgent.write(dir, "max-connections: 8\n");
        Problems p = new Problems();
        ConfigLoader.Overrides o = ConfigLoader.Overrides.NONE.withServiceListen("web", "--web", "0.0.0.0:8091");
        AgentConfig c = new ConfigLoader(true, false, o).load(yaml, "heptap.yaml", p);
        assertNull(c);
        assertEquals(
                List.of("--web 0.0.0.0:8091 is not a loopback address: set web.token or web.users"
                        + " (what the agent captured is not for everyone on the network)"),
                p.errors());
        Problems ok = new Problems();
        AgentConfig loopback = new ConfigLoader(
                        true, false, ConfigLoader.Overrides.NONE.withServiceListen("web", "--web", "127.0.0.1:8092"))
                .load(yaml, "heptap.yaml", ok);
        assertEquals(List.of(), ok.errors());
        assertTrue(loopback.services().get(0).describe().contains("127.0.0.1:8092"));
        loopback.close();
    }

    @Test
    void wrongValuesAreReportedWithTheirLines() throws Exception {
        Problems p = check("""
                listen: 127.0.0.1:99999
                token: short
                users:
                  admin: plain-text-password
                max-request: 10
                lisen: 1
                """);
        String errors = String.join("\n", p.errors());
        assertTrue(
                errors.contains("heptap.yaml:" + lineOf("listen") + ": web.listen: 127.0.0.1:99999 port 99999"),
                errors);
        assertTrue(errors.contains(":" + lineOf("token") + ": web.token: is shorter than 16 characters"), errors);
        assertTrue(errors.contains(":" + lineOf("admin") + ": web.users.admin: is not a password hash"), errors);
        assertTrue(errors.contains(":" + lineOf("max-request") + ": web.max-request: 10 bytes"), errors);
        assertTrue(errors.contains(":" + lineOf("lisen") + ": web.lisen: unknown key (did you mean listen?)"), errors);
        assertTrue(!errors.contains("plain-text-password"), "a secret is never repeated: " + errors);
    }

    @Test
    void httpsComesFromTheTlsModule() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        Problems p = new Problems();
        AgentConfig c = WebTestAgent.load(
                WebTestAgent.write(
                        dir,
                        "listen: 8093\ntls:\n  cert: " + pki.path("server.pem") + "\n  key: " + pki.path("server.key")
                                + "\n"),
                p);
        assertEquals(List.of(), p.errors());
        assertNotNull(c);
        assertEquals(
                "web: https://127.0.0.1:8093/ (sign-in: none)",
                c.services().get(0).describe());
        c.close();
        Problems missing = check("listen: 8093\ntls:\n  cert: /nonexistent.pem\n");
        assertTrue(
                missing.errors().stream().anyMatch(e -> e.contains("web.tls")),
                missing.errors().toString());
    }
}
