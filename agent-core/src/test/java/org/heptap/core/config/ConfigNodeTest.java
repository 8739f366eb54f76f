package org.heptap.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {
    private static ConfigNode parse(String yaml, Problems p) {
        return ConfigNode.parse(new StringReader(yaml), "t.yaml", p);
    }

    @Test
    void port_out_of_range_names_file_line_and_key() {
        Problems p = new Problems();
        ConfigNode root = parse("transports:\n  hep:\n    host: x\n    port: 70000\n", p);
        ConfigNode hep = root.section("transports").child("hep");
        hep.string("host", null);
        assertEquals(9060, hep.port("port", 9060));
        assertEquals(List.of("t.yaml:4: transports.hep.port: 70000 is not a port (1-65535)"), p.errors());
    }

    @Test
    void unknown_keys_get_a_suggestion_from_the_keys_asked_for() {
        Problems p = new Problems();
        ConfigNode root = parse("agent:\n  node-idd: 5\n", p);
        ConfigNode agent = root.section("agent");
        agent.integer("node-id", 1, 0, 10);
        agent.finish();
        assertEquals(List.of("t.yaml:2: agent.node-idd: unknown key (did you mean node-id?)"), p.errors());
    }

    @Test
    void sizes_durations_and_booleans() {
        Problems p = new Problems();
        ConfigNode n = parse("a: 32MB\nb: 64k\nc: 500ms\nd: 2m\ne: yes\nf: maybe\ng: 12\n", p);
        assertEquals(32L << 20, n.size("a", 0));
        assertEquals(64L << 10, n.size("b", 0));
        assertEquals(Duration.ofMillis(500), n.duration("c", null));
        assertEquals(Duration.ofMinutes(2), n.duration("d", null));
        assertTrue(n.bool("e", false));
        assertFalse(n.bool("f", false));
        assertEquals(12, n.size("g", 0));
        assertEquals(List.of("t.yaml:6: f: maybe is not true or false"), p.errors());
    }

    @Test
    void durations_beyond_a_year_or_below_zero_are_reported_not_thrown() {
        Problems p = new Problems();
        ConfigNode n =
                parse("a: 1e400s\nb: 999999999999999999m\nc: -5s\nd: 400d\ne: 366h\nf: 9223372036854775807ms\n", p);
        Duration def = Duration.ofSeconds(1);
        for (String k : List.of("a", "b", "c", "f")) assertEquals(def, n.duration(k, def), k);
        assertEquals(def, n.duration("d", def));
        assertEquals(Duration.ofHours(366), n.duration("e", def));
        // the loader turns durations into micro- and nanoseconds: what passes must not overflow there
        assertEquals(
                List.of(
                        "t.yaml:1: a: 1e400s is not a duration (e.g. 30s, 500ms, 2m)",
                        "t.yaml:2: b: 999999999999999999m is out of range (0s to 365 days)",
                        "t.yaml:3: c: -5s is out of range (0s to 365 days)",
                        "t.yaml:4: d: 400d is not a duration (e.g. 30s, 500ms, 2m)",
                        "t.yaml:6: f: 9223372036854775807ms is out of range (0s to 365 days)"),
                p.errors());
    }

    @Test
    void yaml_syntax_error_has_a_line() {
        Problems p = new Problems();
        parse("agent:\n  node-id: [1,\n", p);
        assertEquals(1, p.errors().size());
        assertTrue(p.errors().get(0).startsWith("t.yaml:"), p.errors().get(0));
    }

    @Test
    void duplicate_keys_are_reported() {
        Problems p = new Problems();
        parse("agent:\n  node-id: 1\n  node-id: 2\n", p).section("agent");
        assertEquals(List.of("t.yaml:3: agent.node-id: duplicate key"), p.errors());
    }

    @Test
    void one_of_lists_the_choices() {
        Problems p = new Problems();
        ConfigNode n = parse("transport: udpp\n", p);
        assertEquals("udp", n.oneOf("transport", "udp", "udp", "tcp", "all"));
        assertEquals(List.of("t.yaml:1: transport: udpp is not one of udp, tcp, all (did you mean udp?)"), p.errors());
    }

    @Test
    void port_ranges() {
        assertEquals(List.of(new PortRange(5060, 5090)), PortRange.parseList("5060-5090"));
        assertEquals(
                List.of(new PortRange(5060, 5060), new PortRange(5080, 5090)), PortRange.parseList("5060, 5080-5090"));
        assertEquals(null, PortRange.parseList("5090-5060"));
        assertEquals(null, PortRange.parseList("0-10"));
        assertEquals(null, PortRange.parseList("abc"));
    }
}
