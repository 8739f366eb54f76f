package org.heptap.core.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heptap.core.config.Problems;
import org.heptap.core.message.Message;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.Transport;

/**
 * A function registry of stand-ins for tests: each stub records its call and returns the value
 * the test set for its name (1 by default). Senders ({@code send_hep*}, {@code send_json}) resolve their first
 * argument as a transport, like the real senders.
 */
final class StubFunctions {
    /** Every function the captagent stock plans call, with its argument count. */
    static final Map<String, Integer> STOCK = Map.ofEntries(
            Map.entry("msg_check", 2),
            Map.entry("clog", 2),
            Map.entry("parse_sip", 0),
            Map.entry("parse_full_sip", 0),
            Map.entry("send_hep", 1),
            Map.entry("send_hep_proto", 2),
            Map.entry("sip_has_sdp", 0),
            Map.entry("check_rtcp_ipport", 0),
            Map.entry("is_rtcp", 0),
            Map.entry("is_rtcp_exist", 0),
            Map.entry("parse_rtcp_to_json", 0),
            Map.entry("is_rtcpxr", 0),
            Map.entry("parse_rtcpxr_to_json", 0),
            Map.entry("sip_is_method", 0),
            Map.entry("sip_check", 2),
            Map.entry("send_reply", 2),
            Map.entry("parse_tls", 0),
            Map.entry("tzsp_payload_extract", 0),
            Map.entry("parse_diameter_to_json", 0),
            Map.entry("parse_isup_to_json", 0));

    static final Set<String> RTCP = Set.of(
            "is_rtcp", "is_rtcp_exist", "parse_rtcp_to_json", "is_rtcpxr", "parse_rtcpxr_to_json", "check_rtcp_ipport");

    final FunctionRegistry registry = new FunctionRegistry();
    final List<String> calls = new ArrayList<>();
    final Map<String, Integer> returns = new HashMap<>();

    StubFunctions define(String name, int arity) {
        registry.register(PlanFunction.of(name, arity, (args, ctx) -> {
            if ((name.startsWith("send_hep") || name.equals("send_json")) && ctx.transport(args.get(0)) == null)
                return null;
            return m -> {
                calls.add(name);
                return returns.getOrDefault(name, 1);
            };
        }));
        return this;
    }

    /** Stubs for every stock-plan function, except those in {@code missing}. */
    static StubFunctions stock(Set<String> missing) {
        StubFunctions s = new StubFunctions();
        STOCK.forEach((name, arity) -> {
            if (!missing.contains(name)) s.define(name, arity);
        });
        return s;
    }

    /** Stubs a() ... h() with no arguments, f1("x") and f2("x","y"). */
    static StubFunctions letters() {
        StubFunctions s = new StubFunctions();
        for (char c = 'a'; c <= 'h'; c++) s.define(String.valueOf(c), 0);
        s.define("f1", 1).define("f2", 2).define("light_parse_sip", 0);
        return s;
    }

    StubFunctions returning(String name, int value) {
        returns.put(name, value);
        return this;
    }

    PlanCompiler compiler() {
        return new PlanCompiler(
                registry, TransportResolver.of(List.of(new NullTransport("hepsocket"), new NullTransport("homer2"))));
    }

    CompiledPlan compile(String source, Problems problems) {
        return compiler().compile(source, "test.cfg", "", problems);
    }

    /** Runs a plan on an empty message; returns the plan's value. */
    int run(CompiledPlan plan) {
        calls.clear();
        Message m = new Message();
        m.reset();
        return plan.run(m);
    }

    static final class NullTransport implements Transport {
        private final String name;

        NullTransport(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public boolean send(Message message) {
            return true;
        }

        @Override
        public boolean drain(Duration timeout) {
            return true;
        }

        @Override
        public void close() {}

        @Override
        public Map<String, Long> counters() {
            return Map.of();
        }
    }
}
