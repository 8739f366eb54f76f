package org.heptap.tls;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSecurityProviderTest {
    private final Problems problems = new Problems();
    @TempDir Path dir;

    private TlsSettings read(String body) {
        String yaml = "tls:\n" + body.indent(2);
        return TlsSecurityProvider.read(ConfigNode.parse(new StringReader(yaml), "heptap.yaml", problems).section("tls"));
    }

    @Test
    void safe_defaults_verify_with_the_system_trust_store_on_tls12_and_13() {
        TlsSettings s = read("{}");
        assertEquals(List.of(), problems.errors());
        assertTrue(s.verify());
        assertNull(s.ca());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), s.protocols());
        assertTrue(new TlsSecurity(s).describe().contains("trusting the system CAs"));
    }

    @Test
    void old_protocols_missing_files_and_half_a_client_identity_are_errors() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        assertNull(read("protocols: [TLSv1.1]\nca: /no/such/ca.pem\ncert: " + cert));
        List<String> e = problems.errors();
        assertEquals(3, e.size(), e.toString());
        assertTrue(e.stream().anyMatch(m -> m.contains("/no/such/ca.pem: no such readable file")));
        assertTrue(e.stream().anyMatch(m -> m.contains("TLSv1.1 is not allowed")));
        assertTrue(e.stream().anyMatch(m -> m.contains("cert is set without key")));
    }

    @Test
    void verify_false_only_when_written() {
        TlsSettings s = read("verify: false");
        assertFalse(s.verify());
        assertTrue(new TlsSecurity(s).describe().contains("without verification"));
    }
}
