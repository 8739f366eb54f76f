package org.heptap.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.heptap.core.config.Problems;
import org.heptap.core.message.Message;
import org.heptap.core.plan.functions.CorePlanFunctions;
import org.heptap.core.spi.PlanFunction;
import org.junit.jupiter.api.Test;

/** Execution semantics of §3: stop on 0, three-valued conditions, short circuits. */
class PlanRuntimeTest {
    private final StubFunctions stubs = StubFunctions.letters();
    private CompiledPlan plan;

    private void plan(String body) {
        Problems problems = new Problems();
        plan = stubs.compile("capture[pcap] { " + body + " }", problems);
        assertNotNull(plan, problems.errors()::toString);
    }

    /** Runs with the given "name=value" returns; checks calls made and the plan's value. */
    private void expect(String returns, String calls, int value) {
        stubs.returns.clear();
        for (String r : returns.split(" ")) {
            if (r.isEmpty()) continue;
            String[] kv = r.split("=");
            stubs.returns.put(kv[0], Integer.parseInt(kv[1]));
        }
        int actual = stubs.run(plan);
        assertEquals(calls, String.join(" ", stubs.calls), "calls with " + returns);
        assertEquals(value, actual, "value with " + returns);
    }

    @Test
    void statement_returning_zero_ends_the_run() {
        plan("a(); b(); c();");
        expect("", "a b c", 1);
        expect("b=0", "a b", 0);
        expect("b=-1", "a b c", 1);
        expect("c=-5", "a b c", -5);
    }

    @Test
    void if_runs_then_else_or_drops() {
        plan("if (a()) b() else c(); d();");
        expect("a=1", "a b d", 1);
        expect("a=-1", "a c d", 1);
        expect("a=0", "a", 0);
        expect("a=1 b=0", "a b", 0);
    }

    @Test
    void if_without_a_branch_run_is_one() {
        plan("if (a()) b();");
        expect("a=-1", "a", 1);
        expect("a=1 b=-3", "a b", -3);
    }

    @Test
    void not_swaps_true_and_false_and_keeps_drop() {
        plan("if (!a()) b() else c(); d();");
        expect("a=1", "a c d", 1);
        expect("a=-1", "a b d", 1);
        expect("a=0", "a", 0);
        plan("if (!!a()) b(); d();");
        expect("a=0", "a", 0);
    }

    @Test
    void and_short_circuits_and_propagates_drop() {
        plan("if (a() && b()) c() else d(); e();");
        expect("a=-1", "a d e", 1);
        expect("a=0", "a", 0);
        expect("a=1 b=0", "a b", 0);
        expect("a=1 b=-1", "a b d e", 1);
        expect("a=1 b=1", "a b c e", 1);
    }

    @Test
    void or_short_circuits_and_propagates_drop() {
        plan("if (a() || b()) c() else d(); e();");
        expect("a=1", "a c e", 1);
        expect("a=0", "a", 0);
        expect("a=-1 b=1", "a b c e", 1);
        expect("a=-1 b=-1", "a b d e", 1);
        expect("a=-1 b=0", "a b", 0);
    }

    @Test
    void and_binds_tighter_than_or_and_not_tightest() {
        plan("if (a() || b() && c()) d() else e();");
        expect("a=-1 b=-1", "a b e", 1);
        expect("a=1", "a d", 1);
        plan("if (!a() && b()) d() else e();");
        expect("a=1", "a e", 1);
        expect("a=-1 b=1", "a b d", 1);
        plan("if (not a() and b() or c()) d() else e();");
        expect("a=1 c=-1", "a c e", 1);
    }

    @Test
    void numbers_as_conditions() {
        plan("if (0) a() else b(); if (true) c(); if (off) d(); if 17 e();");
        expect("", "b c e", 1);
    }

    @Test
    void block_as_condition_uses_its_value() {
        plan("if ({ a(); b(); }) c() else d();");
        expect("", "a b c", 1);
        expect("b=-1", "a b d", 1);
        expect("a=0", "a", 0);
        plan("if ({ ; }) c();");
        expect("", "c", 1);
    }

    @Test
    void drop_inside_nested_blocks_ends_the_whole_run() {
        plan("if (1) { if (a()) { drop; } b(); } c();");
        expect("", "a", 0);
        expect("a=-1", "a b c", 1);
        plan("if (1) { break; } c();");
        expect("", "", 0);
        plan("if (1) { drop(); } c();");
        expect("", "", 0);
    }

    @Test
    void processing_continues_after_a_sending_call() {
        plan("f1(\"hepsocket\"); a(); drop;");
        expect("", "f1 a", 0);
    }

    @Test
    void send_statement_acts_as_drop() {
        plan("a(); send(\"x\"); b();");
        expect("", "a", 0);
    }

    @Test
    void method_comparison_is_always_false() {
        plan("if (method == \"INVITE\") a() else b();");
        expect("", "b", 1);
        plan("if (!(method =~ \"INV\")) a() else b();");
        expect("", "a", 1);
    }

    @Test
    void dangling_else_binds_to_the_nearest_if() {
        plan("if (a()) if (b()) c() else d();");
        expect("a=-1", "a", 1);
        expect("a=1 b=-1", "a b d", 1);
    }

    @Test
    void light_parse_sip_returning_minus_one_is_false() {
        plan("if (light_parse_sip()) a() else b();");
        expect("light_parse_sip=-1", "light_parse_sip b", 1);
    }

    @Test
    void a_run_allocates_nothing() {
        FunctionRegistry registry = new FunctionRegistry();
        registry.registerAll(CorePlanFunctions.all().stream()
                .filter(f -> !f.name().equals("clog"))
                .toList());
        int[] counter = new int[1];
        registry.register(PlanFunction.of("count", 0, (args, ctx) -> m -> ++counter[0]));
        Problems problems = new Problems();
        CompiledPlan p = new PlanCompiler(registry, TransportResolver.none()).compile("""
                capture[pcap] {
                  if (msg_check("size", "10") && !msg_check("src_port_gt", "5060") || msg_check("dst_port", "9")) {
                    if ({ count(); ; count(); }) { count(); } else { drop; }
                  }
                  if (method == "INVITE") count() else if (1) count();
                  count();
                }""", "alloc.cfg", "", problems);
        assertNotNull(p, problems.errors()::toString);
        Message m = new Message();
        m.reset();
        byte[] payload = new byte[100];
        m.setPayload(payload, 0, payload.length);
        m.setPorts(5060, 9);
        for (int i = 0; i < 20_000; i++) p.run(m); // warm up
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        int sum = 0;
        for (int i = 0; i < 100_000; i++) sum += p.run(m);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(120_000 * 5, counter[0], "each run calls count() five times");
        assertTrue(allocated < 10_000, "100k runs allocated " + allocated + " bytes (sum " + sum + ")");
    }

    @Test
    void a_call_true_for_every_packet_is_left_out_of_the_run_where_it_changes_no_value() {
        FunctionRegistry registry = new FunctionRegistry();
        int[] counter = new int[1];
        registry.register(PlanFunction.of("count", 0, (args, ctx) -> m -> ++counter[0]));
        registry.register(PlanFunction.of("nay", 0, (args, ctx) -> m -> -1));
        registry.register(PlanFunction.of("names", 0, (args, ctx) -> org.heptap.core.spi.BoundCall.ALWAYS_TRUE));
        PlanCompiler compiler = new PlanCompiler(registry, TransportResolver.none());
        Message m = new Message();
        Problems problems = new Problems();

        CompiledPlan p = compiler.compile("capture[pcap] { names(); names(); count(); }", "t.cfg", "", problems);
        assertNotNull(p, problems.errors()::toString);
        assertTrue(
                ((org.heptap.core.plan.runtime.CapturePlan) p).body() instanceof org.heptap.core.plan.runtime.Step.Call,
                "the list is count() alone");
        assertEquals(1, p.run(m));

        // last in a list it gives the list its value: kept ({ nay(); } alone would be false)
        p = compiler.compile(
                "capture[pcap] { if ({ nay(); names(); }) { count(); } else { drop; } }", "t.cfg", "", problems);
        assertNotNull(p, problems.errors()::toString);
        assertEquals(2, p.run(m));
        p = compiler.compile("capture[pcap] { names(); }", "t.cfg", "", problems);
        assertEquals(1, p.run(m));
        p = compiler.compile("capture[pcap] { if (names()) { names(); } else { drop; } }", "t.cfg", "", problems);
        assertEquals(1, p.run(m));
        assertEquals(2, counter[0]);
    }

    @Test
    void the_compiled_plan_names_its_source_and_block() {
        Problems problems = new Problems();
        CompiledPlan p = stubs.compiler().compile("debug = 5\ncapture[x] { a(); }", "my.cfg", "s", problems);
        assertEquals("my.cfg", p.source());
        org.heptap.core.plan.runtime.CapturePlan c = (org.heptap.core.plan.runtime.CapturePlan) p;
        assertEquals("capture[x]", c.blockLabel());
        assertEquals(5, c.debugLevel().getAsInt());
        assertEquals(List.of(), Arrays.asList(problems.errors().toArray()));
    }
}
