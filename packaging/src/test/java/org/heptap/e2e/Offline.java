package org.heptap.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * An end-to-end class that captures nothing live (it replays files or relays what it sends to
 * its own free ports), binds no fixed port, starts no sipp, tcpdump or browser, makes no network
 * namespace and changes nothing outside its own temporary folders: safe to run alongside any
 * other class. When failsafe runs JUnit's parallel execution with classes same-thread by default
 * (junit.jupiter.execution.parallel.*), only marked classes run on a second thread beside the
 * others, and unmarked ones still run one after another. Without that configuration the mark
 * changes nothing. {@code OfflineItsStayOfflineTest} holds marked classes to this.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
@interface Offline {}
