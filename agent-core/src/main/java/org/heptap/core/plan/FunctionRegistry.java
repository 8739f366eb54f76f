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
    /** captagent functions of modules heptap deliberately does not implement. */
    private static final Set<String> UNSUPPORTED = Set.of(
            "parse_tls", "parse_diameter_to_json", "parse_isup", "parse_isup_to_json",
            "tzsp_payload_extract", "check_redis_rtcp_ipport", "is_redis_rtcp_exist");

    private final Map<String, PlanFunction> byKey = new LinkedHashMap<>();
    private final Map<String, Set<Integer>> arities = new LinkedHashMap<>();

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

    /** True for captagent functions of modules heptap does not implement (TLS, Diameter, ISUP...). */
    public boolean isUnsupported(String name) {
        return UNSUPPORTED.contains(name);
    }

    public Set<String> names() {
        return new LinkedHashSet<>(arities.keySet());
    }
}
