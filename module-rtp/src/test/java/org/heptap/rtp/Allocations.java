package org.heptap.rtp;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;

/** Bytes the current thread allocates while running a piece of the per-packet path. */
final class Allocations {
    private Allocations() {}

    static long measure(Runnable work) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        work.run(); // first use: class loading, JIT bookkeeping
        long before = mx.getCurrentThreadAllocatedBytes();
        work.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }
}
