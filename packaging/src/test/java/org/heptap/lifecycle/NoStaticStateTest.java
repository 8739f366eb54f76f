package org.heptap.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.heptap.core.pipeline.Agent;
import org.heptap.hep.transport.HepTransportProvider;
import org.heptap.rtcp.RtcpModule;
import org.heptap.sip.SipModule;
import org.heptap.tls.TlsModule;
import org.heptap.transport.UdpSender;
import org.junit.jupiter.api.Test;

/**
 * No class of the agent keeps mutable state in a static field: state belongs to the run or to
 * the configuration that made it, so a reload (or a refused one) cannot leave any behind and
 * two agents in one JVM (tests) do not share any. Constants — final fields of immutable values
 * (List.of, Map.of...), lookup tables filled once in a static initialiser — are fine; what is
 * reported is a static field that is not final, or a final one holding an atomic counter or flag
 * or a modifiable collection or map, or an object of the agent's own that holds one (a registry
 * such as a process-wide set of module counters).
 */
class NoStaticStateTest {
    /** Fields allowed anyway, each with its reason. */
    private static final Map<String, String> ALLOWED = Map.of(
            "org.heptap.core.message.Message.ATTACHMENT_KEYS",
            "hands out one attachment key per module class, once, at class initialisation: bounded, never per configuration");

    private static final List<Class<?>> MODULES = List.of(
            org.heptap.cli.Main.class,
            Agent.class,
            SipModule.class,
            RtcpModule.class,
            HepTransportProvider.class,
            UdpSender.class,
            TlsModule.class,
            org.heptap.pcap.PcapModule.class);

    /** Every class name in the folder or jar a module's classes come from. */
    private static List<String> classesBeside(Class<?> anchor) throws Exception {
        Path where = Path.of(
                anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(where)) return classesUnder(where);
        try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + where.toUri()), Map.of())) {
            return classesUnder(jar.getPath("/"));
        }
    }

    private static List<String> classesUnder(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p).toString())
                    .filter(n -> n.endsWith(".class") && n.startsWith("org/heptap/"))
                    .filter(n -> !n.endsWith("module-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
    }

    /**
     * An atomic counter or flag, a collection or map that is not one of the JDK's unmodifiable
     * ones, or an object of the agent's own with a field that is not final or holds one of those.
     */
    private static boolean mutableHolder(Field f) throws IllegalAccessException {
        f.setAccessible(true);
        Object value = f.get(null);
        if (mutableValue(f.getType(), value)) return true;
        if (value == null || !value.getClass().getName().startsWith("org.heptap.")) return false;
        if (value.getClass().isEnum() || value.getClass().isRecord()) return false;
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field inner : c.getDeclaredFields()) {
                if (Modifier.isStatic(inner.getModifiers()) || inner.isSynthetic()) continue;
                if (!Modifier.isFinal(inner.getModifiers())) return true;
                inner.setAccessible(true);
                if (mutableValue(inner.getType(), inner.get(value))) return true;
            }
        }
        return false;
    }

    private static boolean mutableValue(Class<?> type, Object value) {
        if (LongAdder.class.isAssignableFrom(type) || type.getName().startsWith("java.util.concurrent.atomic."))
            return true;
        if (!Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)) return false;
        if (value == null) return false;
        String kind = value.getClass().getName();
        return !kind.startsWith("java.util.ImmutableCollections$")
                && !kind.startsWith("java.util.Collections$Unmodifiable")
                && !kind.startsWith("java.util.Collections$Empty");
    }

    @Test
    void no_class_keeps_mutable_state_in_a_static_field() throws Exception {
        List<String> found = new ArrayList<>();
        int classes = 0;
        for (Class<?> anchor : MODULES) {
            for (String name : classesBeside(anchor)) {
                Class<?> c = Class.forName(name, false, anchor.getClassLoader());
                classes++;
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (!Modifier.isStatic(m) || f.isSynthetic()) continue;
                    String id = c.getName() + "." + f.getName();
                    if (ALLOWED.containsKey(id)) continue;
                    if (!Modifier.isFinal(m)) found.add(id + " (not final)");
                    else if (mutableHolder(f))
                        found.add(id + " (a " + f.getType().getSimpleName() + ")");
                }
            }
        }
        assertTrue(classes > 100, "classes looked at: " + classes);
        assertEquals(List.of(), found, "static fields holding mutable state");
    }
}
