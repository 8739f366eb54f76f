package org.heptap.core.spi;

/** What a function sees while one call site of a plan is being bound. */
public interface BindContext {
    /** The transport profile with this name, or null after reporting "unknown transport" at the call. */
    Transport transport(String name);

    /** Reports an error at the call's position ({@code file:line:col: message}). */
    void error(String message);

    /** Reports a warning at the call's position. */
    void warning(String message);

    /** True when the call is (part of) an if condition rather than a statement. */
    boolean inCondition();

    /** Name of the socket profile the plan is compiled for (empty for --check-plan). */
    String socketName();

    /**
     * Asks the socket that runs this plan to call {@code timer} about every {@code periodMicros}
     * of its clock, and at the end of input (see {@link SocketTimer}). Plans checked without a
     * socket ({@code --check-plan}) and collector sockets ignore it.
     */
    default void addTimer(SocketTimer timer, long periodMicros) {}
}
