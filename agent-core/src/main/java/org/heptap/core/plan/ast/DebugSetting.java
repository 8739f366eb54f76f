package org.heptap.core.plan.ast;

import org.heptap.core.plan.source.Position;

/** {@code debug = N} at the top level of a plan file. */
public record DebugSetting(Position at, int level) {}
