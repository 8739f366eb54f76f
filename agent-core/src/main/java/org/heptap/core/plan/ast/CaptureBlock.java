package org.heptap.core.plan.ast;

import org.heptap.core.plan.source.Position;

/** {@code capture[name] { ... }}; {@code name} is null for {@code capture { ... }}. */
public record CaptureBlock(Position at, String name, Action.Block body) {
    /** How the block is named in messages: {@code capture[pcap]} or {@code capture}. */
    public String label() {
        return name == null ? "capture" : "capture[" + name + "]";
    }
}
