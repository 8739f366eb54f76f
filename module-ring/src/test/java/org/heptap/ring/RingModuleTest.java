package org.heptap.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.heptap.core.spi.AgentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** modules.ring: its settings, their errors, and a ring that survives a reload. */
class RingModuleTest {
    private static RingModule configure(String yaml, Problems problems) {
        ConfigNode section = ConfigNode.parse(new StringReader(yaml), "heptap.yaml", problems);
        RingModule m = new RingModule();
        m.configure(section, new AgentContext(1, "n", false));
        return m;
    }

    @Test
    void no_size_no_ring_and_the_commands_say_how_to_get_one() throws Exception {
        Problems p = new Problems();
        RingModule m = configure("calls: 100\n", p);
        assertFalse(p.hasErrors(), p.errors()::toString);
        assertTrue(m.frameRecorders().isEmpty());
        assertEquals(
                List.of("calls", "pcap"),
                m.controlCommands().stream().map(c -> c.name()).toList());
        m.close();
    }

    @Test
    void wrong_values_are_reported_on_their_keys() {
        Problems p = new Problems();
        configure("size: 1MB\nmemory: 2MB\nmax-age: forever\nbogus: 1\n", p);
        String errors = String.join("\n", p.errors());
        assertTrue(
                errors.contains("memory: memory (2097152 bytes) is more than the ring's size (1048576 bytes)"), errors);
        assertTrue(errors.contains("max-age: forever is not a duration"), errors);
        assertTrue(errors.contains("bogus: unknown key"), errors);
        Problems heap = new Problems();
        configure("size: 100g\nmemory: 64g\n", heap);
        assertTrue(
                String.join("\n", heap.errors()).contains("does not fit in the agent's heap"), heap.errors()::toString);
    }

    /** A reload configures new modules while the old run: the same settings share the running ring. */
    @Test
    void a_reload_with_the_same_settings_keeps_the_ring(@TempDir Path dir) {
        String yaml = "size: 2MB\nmemory: 1MB\ndirectory: " + dir + "\n";
        Problems p = new Problems();
        RingModule running = configure(yaml, p);
        RingModule reloaded = configure(yaml, p);
        assertFalse(p.hasErrors(), p.errors()::toString);
        assertSame(running.frameRecorders().get(0), reloaded.frameRecorders().get(0));
        running.close(); // the old configuration goes
        assertFalse(reloaded.counters().isEmpty(), "the ring runs on");
        // other settings on the running ring's directory: refused, the running ring stays
        Problems clash = new Problems();
        RingModule other = configure("size: 3MB\nmemory: 1MB\ndirectory: " + dir + "\n", clash);
        assertTrue(
                String.join("\n", clash.errors()).contains("the running ring spills there"), clash.errors()::toString);
        other.close();
        reloaded.close();
        Problems again = new Problems();
        RingModule fresh = configure(yaml, again);
        assertFalse(again.hasErrors(), again.errors()::toString);
        fresh.close();
    }
}
