package org.heptap.core.plan.ast;

import java.util.List;

/** Everything a plan file declares, in file order. */
public record PlanFile(List<CaptureBlock> captureBlocks, List<DebugSetting> debugSettings) {}
