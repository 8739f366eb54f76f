package org.heptap.core.plan.ast;

import java.util.List;
import org.heptap.core.plan.source.Position;

/** Something a capture block does; every action yields an int when it runs (0 = stop). */
public sealed interface Action permits Action.Call, Action.Drop, Action.Send, Action.If, Action.Block {
    Position at();

    /** {@code name("a", "b")}: a plan function, bound by name and argument count. */
    record Call(Position at, String name, List<String> args) implements Action {}

    /** {@code drop}, {@code drop()} or {@code break}. */
    record Drop(Position at) implements Action {}

    /** {@code send("x")} / {@code send("x", N)}: parsed by captagent but never implemented. */
    record Send(Position at, String destination) implements Action {}

    /** {@code if cond then [else otherwise]}; {@code otherwise} is null without an else. */
    record If(Position at, Condition condition, Action then, Action otherwise) implements Action {}

    /** {@code { ... }}; empty actions ({@code ;}) are not kept. */
    record Block(Position at, List<Action> actions) implements Action {}
}
