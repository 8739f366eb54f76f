package org.heptap.core.plan;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.heptap.core.spi.PlanFunction;

/**
 * Every plan function the loaded modules export, by name and argument count. Built once per
 * start or reload; the plan compiler binds calls through it, so nothing is looked up per packet.
 */
public final class FunctionRegistry {
    private final Map<String, PlanFunction> byKey = new LinkedHashMap<>();
    private final Map<String, Set<Integer>> arities = new LinkedHashMap<>();
    /** captagent functions the modules deliberately do not implement. */
    private final Set<String> declined = new LinkedHashSet<>();

    public void register(PlanFunction f) {
        String key = f.name() + "/" + f.arity();
        if (byKey.containsKey(key)) {
            throw new IllegalStateException("plan function " + key + " exported twice");
        }
        byKey.put(key, f);
        arities.computeIfAbsent(f.name(), k -> new TreeSet<>()).add(f.arity());
    }

    public void registerAll(Collection<PlanFunction> fs) {
        for (PlanFunction f : fs) register(f);
    }

    /** The function with this name and argument count, or null. */
    public PlanFunction lookup(String name, int arity) {
        return byKey.get(name + "/" + arity);
    }

    /** Argument counts this name accepts (empty when the name is unknown). */
    public Set<Integer> arities(String name) {
        return arities.getOrDefault(name, Set.of());
    }

    /** Records captagent functions a module deliberately does not implement. */
    public void decline(Collection<String> names) {
        declined.addAll(names);
    }

    /** True for captagent functions a module declined (see {@link #decline}). */
    public boolean isUnsupported(String name) {
        return declined.contains(name) && !arities.containsKey(name);
    }

    /** The names of functions taking {@code arity} arguments that {@code wanted} accepts, sorted. */
    public java.util.List<String> names(java.util.function.Predicate<String> wanted, int arity) {
        return arities.entrySet().stream()
                .filter(e -> e.getValue().contains(arity) && wanted.test(e.getKey()))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    public Set<String> names() {
        return new LinkedHashSet<>(arities.keySet());
    }
}
