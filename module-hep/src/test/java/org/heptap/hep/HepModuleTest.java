package org.heptap.hep;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.heptap.core.message.Message;
import org.heptap.core.plan.FunctionRegistry;
import org.heptap.core.plan.PlanCompiler;
import org.heptap.core.plan.TransportResolver;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.ModuleHooks;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.Transport;
import org.heptap.hep.codec.HepSettings;
import org.heptap.hep.json.JsonTransport;
import org.heptap.hep.json.JsonTransportProvider;
import org.heptap.hep.transport.HepTransportProvider;
import org.heptap.hep.transport.HepWireFormat;
import org.heptap.transport.DatagramBufferPool;
import org.heptap.transport.UdpConfig;
import org.heptap.transport.UdpConfig.NativeMode;
import org.heptap.transport.UdpSender;
import org.junit.jupiter.api.Test;

class HepModuleTest {
    /** A transport that records what it was given (like a console transport would print it). */
    static final class Recording implements Transport {
        final List<Integer> types = new ArrayList<>();
        boolean accept = true;

        @Override
        public String name() {
            return "console";
        }

        @Override
        public String describe() {
            return "recording";
        }

        @Override
        public boolean send(Message m) {
            types.add(m.protocolType());
            return accept;
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

    /** Binds calls against a fixed set of transports and collects what the function reports. */
    static final class Binder implements BindContext {
        final Map<String, Transport> transports;
        final List<String> errors = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        boolean condition;

        Binder(Map<String, Transport> transports) {
            this.transports = transports;
        }

        @Override
        public Transport transport(String name) {
            Transport t = transports.get(name);
            if (t == null) errors.add("unknown transport \"" + name + "\"");
            return t;
        }

        @Override
        public void error(String message) {
            errors.add(message);
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }

        @Override
        public boolean inCondition() {
            return condition;
        }

        @Override
        public String socketName() {
            return "sip";
        }
    }

    private final HepModule module = new HepModule();
    private final Recording console = new Recording();
    private final Binder ctx = new Binder(Map.of("console", console));

    private BoundCall bind(String name, String... args) {
        PlanFunction f = module.functions().stream()
                .filter(x -> x.name().equals(name) && x.arity() == args.length)
                .findFirst()
                .orElseThrow();
        return f.bind(List.of(args), ctx);
    }

    @Test
    void foundByServiceLoader() {
        List<String> names = ServiceLoader.load(HeptapModule.class).stream()
                .map(p -> p.get().name())
                .collect(Collectors.toList());
        assertTrue(names.contains("hep"), names.toString());
    }

    @Test
    void exportsTheTransportAndTheFunctions() {
        assertEquals(
                List.of("send_hep/1", "send_hep/2", "send_hep_proto/2", "send_hep_raw/1", "send_json/1"),
                module.functions().stream().map(f -> f.name() + "/" + f.arity()).toList());
        assertEquals(
                List.of("hep", "json"),
                module.transports().stream().map(p -> p.type()).toList());
        assertTrue(module.transports().get(0) instanceof HepTransportProvider);
    }

    @Test
    void sendHepSendsToAnyTransportAndReturns1() {
        BoundCall call = bind("send_hep", "console");
        Message m = TestMessages.sipV4();
        assertEquals(1, call.invoke(m));
        assertEquals(List.of(1), console.types);
        console.accept = false; // a full queue: still 1, the transport counts the drop
        assertEquals(1, call.invoke(m));
        assertEquals(List.of(), ctx.errors);
    }

    @Test
    void keepArgumentIsIgnored() {
        BoundCall call = bind("send_hep", "console", "true");
        Message m = TestMessages.sipV4();
        assertEquals(1, call.invoke(m));
        assertEquals(1, call.invoke(m), "a second send sees the same message");
        assertEquals(2, console.types.size());
        assertEquals(143, m.payloadLength());
    }

    @Test
    void unknownProfileFailsTheBind() {
        assertNull(bind("send_hep", "hepsocket"));
        assertEquals(List.of("unknown transport \"hepsocket\""), ctx.errors);
    }

    @Test
    void sendHepProtoSetsTheTypeForTheRestOfTheRun() {
        BoundCall proto = bind("send_hep_proto", "console", "99");
        BoundCall plain = bind("send_hep", "console");
        Message m = TestMessages.sipV4();
        assertEquals(1, proto.invoke(m));
        assertEquals(99, m.protocolType());
        assertEquals(1, plain.invoke(m));
        assertEquals(List.of(99, 99), console.types);
    }

    @Test
    void sendHepProtoRejectsWhatIsNotAByte() {
        for (String bad : new String[] {"abc", "", "256", "-1", "5x", "1.5"}) {
            ctx.errors.clear();
            assertNull(bind("send_hep_proto", "console", bad), bad);
            assertEquals(1, ctx.errors.size(), bad);
            assertTrue(
                    ctx.errors.get(0).startsWith("send_hep_proto: protocol type must be a number from 0 to 255"),
                    ctx.errors.get(0));
        }
        assertNotNull(bind("send_hep_proto", "console", " 5 "));
        assertNotNull(bind("send_hep_proto", "console", "255"));
    }

    @Test
    void sendHepProtoReportsBothProblems() {
        assertNull(bind("send_hep_proto", "nope", "x"));
        assertEquals(2, ctx.errors.size());
    }

    @Test
    void sendHepRawNeedsAHepTransport() {
        assertNull(bind("send_hep_raw", "console"));
        assertEquals(
                List.of(
                        "send_hep_raw: transport \"console\" is not a hep transport; only hep profiles can send a raw payload"),
                ctx.errors);
    }

    @Test
    void sendHepRawReturns0LikeCaptagentAndWarns() {
        UdpSender hep = new UdpSender(
                "hepsocket",
                new UdpConfig("127.0.0.1", 9, 4, true, NativeMode.AUTO),
                false,
                new HepWireFormat(HepSettings.v3(1)),
                DatagramBufferPool.of(new ModuleHooks()));
        try {
            Binder b = new Binder(Map.of("hepsocket", hep));
            PlanFunction raw = module.functions().stream()
                    .filter(f -> f.name().equals("send_hep_raw"))
                    .findFirst()
                    .orElseThrow();
            BoundCall call = raw.bind(List.of("hepsocket"), b);
            assertNotNull(call);
            assertEquals(List.of(), b.errors);
            assertEquals(1, b.warnings.size());
            assertTrue(b.warnings.get(0).contains("returns 0"), b.warnings.get(0));
            assertEquals(0, call.invoke(TestMessages.sipV4()));
            assertEquals(1L, hep.counters().get("queued"), "queued (not started in this test)");
        } finally {
            hep.close();
        }
    }

    /** --check-plan without a config: no profile has a type, so no send function may call one the wrong type. */
    @Test
    void a_plan_checked_without_a_config_passes_send_hep_and_send_hep_raw_alike() {
        FunctionRegistry functions = new FunctionRegistry();
        functions.registerAll(module.functions());
        org.heptap.core.config.Problems problems = new org.heptap.core.config.Problems();
        new PlanCompiler(functions, TransportResolver.acceptingAnyName())
                .compile(
                        "capture[pcap] {\n  send_hep(\"hepsocket\");\n  send_hep_raw(\"hepsocket\");\n}\n",
                        "p.cfg",
                        "",
                        problems);
        assertEquals(List.of(), problems.errors());
    }

    private static JsonTransport jsonProfile(String name) {
        org.heptap.core.config.Problems problems = new org.heptap.core.config.Problems();
        org.heptap.core.config.ConfigNode p = org.heptap.core.config.ConfigNode.parse(
                        new java.io.StringReader("transports:\n  " + name + ":\n    type: json\n    port: 9\n"),
                        "heptap.yaml",
                        problems)
                .section("transports")
                .section(name);
        p.string("type", null);
        Transport t = new JsonTransportProvider().create(name, p, new org.heptap.core.spi.AgentContext(1, "", false));
        assertEquals(List.of(), problems.errors());
        return (JsonTransport) t;
    }

    @Test
    void sendJsonSendsToJsonAndConsoleProfilesAndReturns1() {
        BoundCall call = bind("send_json", "console");
        assertNotNull(call);
        assertEquals(1, call.invoke(TestMessages.sipV4()));
        assertEquals(List.of(1), console.types);
        JsonTransport json = jsonProfile("jsonsocket");
        try {
            Binder b = new Binder(Map.of("jsonsocket", json));
            PlanFunction f = module.functions().stream()
                    .filter(x -> x.name().equals("send_json"))
                    .findFirst()
                    .orElseThrow();
            BoundCall toJson = f.bind(List.of("jsonsocket"), b);
            assertNotNull(toJson);
            assertEquals(List.of(), b.errors);
            assertEquals(1, toJson.invoke(TestMessages.sipV4()));
            assertEquals(1L, json.counters().get("queued"), "queued (not started in this test)");
        } finally {
            json.close();
        }
    }

    @Test
    void sendJsonToAHepProfileAndSendHepToAJsonProfileFailTheBind() {
        UdpSender hep = new UdpSender(
                "hepsocket",
                new UdpConfig("127.0.0.1", 9, 4, true, NativeMode.AUTO),
                false,
                new HepWireFormat(HepSettings.v3(1)),
                DatagramBufferPool.of(new ModuleHooks()));
        JsonTransport json = jsonProfile("jsonsocket");
        try {
            Binder b = new Binder(Map.of("hepsocket", hep, "jsonsocket", json));
            PlanFunction sendJson = module.functions().stream()
                    .filter(x -> x.name().equals("send_json"))
                    .findFirst()
                    .orElseThrow();
            PlanFunction sendHep = module.functions().stream()
                    .filter(x -> x.name().equals("send_hep") && x.arity() == 1)
                    .findFirst()
                    .orElseThrow();
            PlanFunction sendProto = module.functions().stream()
                    .filter(x -> x.name().equals("send_hep_proto"))
                    .findFirst()
                    .orElseThrow();
            PlanFunction sendRaw = module.functions().stream()
                    .filter(x -> x.name().equals("send_hep_raw"))
                    .findFirst()
                    .orElseThrow();
            assertNull(sendJson.bind(List.of("hepsocket"), b));
            assertNull(sendHep.bind(List.of("jsonsocket"), b));
            assertNull(sendProto.bind(List.of("jsonsocket", "1"), b));
            assertNull(sendRaw.bind(List.of("jsonsocket"), b));
            assertEquals(4, b.errors.size(), b.errors.toString());
            assertEquals(
                    "send_json: transport \"hepsocket\" is a hep profile; send_json needs a profile with type: json (or use send_hep)",
                    b.errors.get(0));
            assertTrue(
                    b.errors
                            .get(1)
                            .startsWith(
                                    "send_hep: transport \"jsonsocket\" is a json profile; send it JSON with send_json(\"jsonsocket\")"),
                    b.errors.get(1));
        } finally {
            hep.close();
            json.close();
        }
    }
}
