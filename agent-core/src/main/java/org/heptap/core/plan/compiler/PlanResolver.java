package org.heptap.core.plan.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.StringJoiner;
import org.heptap.core.config.Suggest;
import org.heptap.core.plan.FunctionRegistry;
import org.heptap.core.plan.PlanTimer;
import org.heptap.core.plan.TransportResolver;
import org.heptap.core.plan.ast.Action;
import org.heptap.core.plan.ast.CaptureBlock;
import org.heptap.core.plan.ast.Condition;
import org.heptap.core.plan.ast.DebugSetting;
import org.heptap.core.plan.ast.PlanFile;
import org.heptap.core.plan.runtime.CapturePlan;
import org.heptap.core.plan.runtime.Guard;
import org.heptap.core.plan.runtime.Step;
import org.heptap.core.plan.source.Diagnostics;
import org.heptap.core.plan.source.Position;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;

/**
 * Turns a parsed plan into executable steps: binds every call to its function once (so nothing
 * is looked up per packet), checks nesting, and warns about constructs captagent accepts but
 * never runs the way they read.
 */
public final class PlanResolver {
    /**
     * captagent gives up (and treats the list as false) beyond this run-time nesting; rejecting it
     * at load time keeps heptap from silently behaving differently.
     */
    public static final int MAX_DEPTH = 10;

    private final FunctionRegistry functions;
    private final TransportResolver transports;
    private final String socketName;
    private final Diagnostics diagnostics;
    /** Timers the calls of the last capture block asked for. */
    private final List<PlanTimer> timers = new ArrayList<>();

    public PlanResolver(
            FunctionRegistry functions, TransportResolver transports, String socketName, Diagnostics diagnostics) {
        this.functions = functions;
        this.transports = transports;
        this.socketName = socketName;
        this.diagnostics = diagnostics;
    }

    /**
     * Resolves every capture block (so errors anywhere are reported) and returns the plan of the
     * last one, the only one captagent runs; null when the file has none.
     */
    public CapturePlan resolve(PlanFile plan, String source) {
        for (DebugSetting d : plan.debugSettings()) {
            diagnostics.warning(
                    d.at(),
                    "'debug = " + d.level() + "' is ignored: heptap sets log levels in its"
                            + " own configuration, not per plan");
        }
        List<CaptureBlock> blocks = plan.captureBlocks();
        if (blocks.isEmpty()) {
            if (!diagnostics.hasErrors()) {
                diagnostics.fileError("no capture block: a plan needs 'capture[name] { ... }'");
            }
            return null;
        }
        CaptureBlock last = blocks.get(blocks.size() - 1);
        Step body = null;
        for (CaptureBlock block : blocks) {
            if (block != last) {
                diagnostics.warning(
                        block.at(),
                        block.label() + " is ignored: only the last capture block of a"
                                + " file runs (as in captagent), here " + last.label() + " on line "
                                + last.at().line());
            }
            timers.clear(); // only the last block runs: only its calls' timers count
            body = sequence(block.body(), 1, false);
        }
        OptionalInt debug = plan.debugSettings().isEmpty()
                ? OptionalInt.empty()
                : OptionalInt.of(plan.debugSettings()
                        .get(plan.debugSettings().size() - 1)
                        .level());
        return new CapturePlan(body, source, last.label(), debug, timers);
    }

    // Depth follows captagent's run-time count: the capture block is level 1; each if branch and
    // each action evaluated as a condition runs one level deeper than the list holding the if.

    private Step sequence(Action.Block block, int level, boolean inCondition) {
        checkDepth(block.at(), level);
        List<Step> steps = new ArrayList<>(block.actions().size());
        for (Action a : block.actions()) steps.add(action(a, level, inCondition));
        // a step that is 1 and does nothing changes neither the list's stop rule nor its value,
        // unless it is the last one (whose value the list takes)
        for (int i = steps.size() - 2; i >= 0; i--) {
            if (steps.get(i) == Step.Constant.TRUE) steps.remove(i);
        }
        if (steps.size() == 1) return steps.get(0); // same value and stop rule as a one-element list
        return new Step.Sequence(steps.toArray(new Step[0]));
    }

    private Step action(Action action, int level, boolean inCondition) {
        if (action instanceof Action.Call c) return call(c, inCondition);
        if (action instanceof Action.Drop) return Step.Constant.STOP;
        if (action instanceof Action.Send s) {
            // the modules' senders (one argument: the transport) are what the author meant
            List<String> senders = functions.names(n -> n.startsWith("send_"), 1);
            diagnostics.warning(
                    s.at(),
                    "send(\"" + s.destination() + "\") is not implemented in captagent and"
                            + " ends the plan like 'drop'"
                            + alternatives(senders, "(\"" + s.destination() + "\")", "to send"));
            return Step.Constant.STOP;
        }
        if (action instanceof Action.If i) {
            Guard condition = condition(i.condition(), level + 1);
            Step then = branch(i.then(), level + 1);
            Step otherwise = i.otherwise() == null ? null : branch(i.otherwise(), level + 1);
            return new Step.If(condition, then, otherwise);
        }
        return sequence((Action.Block) action, level, inCondition);
    }

    private Step branch(Action branch, int level) {
        if (branch instanceof Action.Block b) return sequence(b, level, false);
        checkDepth(branch.at(), level);
        return action(branch, level, false);
    }

    private Guard condition(Condition condition, int level) {
        if (condition instanceof Condition.Literal l) {
            return l.value() ? Guard.Constant.TRUE_CONSTANT : Guard.Constant.FALSE_CONSTANT;
        }
        if (condition instanceof Condition.MethodTest m) {
            // a module's header test, NAME_check("method", VALUE), is what the author meant
            List<String> checks = functions.names(n -> n.endsWith("_check") && !n.equals("msg_check"), 2);
            diagnostics.warning(
                    m.at(),
                    "'method " + m.operator() + " " + m.value() + "' is always false"
                            + " (captagent never implemented it)"
                            + alternatives(checks, "(\"method\", \"" + m.value() + "\")", ""));
            return Guard.Constant.FALSE_CONSTANT;
        }
        if (condition instanceof Condition.Not n) return new Guard.Not(condition(n.operand(), level));
        if (condition instanceof Condition.And a) return new Guard.And(conditions(a.operands(), level));
        if (condition instanceof Condition.Or o) return new Guard.Or(conditions(o.operands(), level));
        Action action = ((Condition.Run) condition).action();
        if (action instanceof Action.Block b) return new Guard.OfStep(sequence(b, level, true));
        checkDepth(action.at(), level);
        return new Guard.OfStep(action(action, level, true));
    }

    private Guard[] conditions(List<Condition> operands, int level) {
        Guard[] guards = new Guard[operands.size()];
        for (int i = 0; i < guards.length; i++) guards[i] = condition(operands.get(i), level);
        return guards;
    }

    private void checkDepth(Position at, int level) {
        // levels only grow by one, so reporting at the first excess level reports each deep spot once
        if (level == MAX_DEPTH + 1) {
            diagnostics.error(
                    at,
                    "nested " + level + " levels deep, but captagent stops at " + MAX_DEPTH
                            + " (each if branch and each call in a condition adds a level); flatten the plan here");
        }
    }

    private Step call(Action.Call call, boolean inCondition) {
        String name = call.name();
        int arity = call.args().size();
        // More than 2 arguments was already reported as a syntax error.
        if (arity > 2) return Step.Constant.STOP;
        PlanFunction function = functions.lookup(name, arity);
        if (function == null) {
            diagnostics.error(call.at(), whyNotFound(name, arity));
            return Step.Constant.STOP;
        }
        CallSite site = new CallSite(call.at(), diagnostics, transports, socketName, inCondition, timers);
        BoundCall bound;
        try {
            bound = function.bind(call.args(), site);
        } catch (RuntimeException e) {
            diagnostics.error(
                    call.at(),
                    "internal error while checking " + name + "(...): " + e
                            + " (this is a bug in heptap, please report it)");
            return Step.Constant.STOP;
        }
        if (bound == null) {
            if (!site.reportedError()) diagnostics.error(call.at(), name + "(...) rejected its arguments");
            return Step.Constant.STOP;
        }
        return bound == BoundCall.ALWAYS_TRUE ? Step.Constant.TRUE : new Step.Call(bound);
    }

    private String whyNotFound(String name, int arity) {
        Set<Integer> arities = functions.arities(name);
        if (!arities.isEmpty()) {
            return "'" + name + "' takes " + argumentCounts(arities) + ", not " + arity;
        }
        if (functions.isUnsupported(name)) {
            return "'" + name + "' is not supported by heptap";
        }
        return "unknown function '" + name + "'" + Suggest.hint(name, functions.names());
    }

    private static String argumentCounts(Set<Integer> arities) {
        if (arities.size() == 1) {
            int n = arities.iterator().next();
            return n == 0 ? "no arguments" : n == 1 ? "1 argument" : n + " arguments";
        }
        StringJoiner counts = new StringJoiner(" or ");
        for (int n : arities) counts.add(Integer.toString(n));
        return counts + " arguments";
    }

    /** {@code ; use a(ARGS) or b(ARGS) PURPOSE}, or nothing when no function fits. */
    private static String alternatives(List<String> functions, String args, String purpose) {
        if (functions.isEmpty()) return "";
        List<String> calls = functions.stream().map(f -> f + args).toList();
        return "; use " + String.join(" or ", calls) + (purpose.isEmpty() ? "" : " " + purpose);
    }
}
