package org.heptap.core.spi;

import java.io.IOException;
import java.util.List;

/**
 * A control-socket command a module answers ({@code heptapctl NAME ...}): the control socket
 * reads the command line and hands the words after the name to the module of the running
 * configuration that offers the name. It runs on a control worker thread, never on a capture
 * thread, and may take its time (within the socket's write deadlines).
 */
public interface ControlCommand {
    /** The command's first word, e.g. {@code calls}; must not clash with the agent's own commands. */
    String name();

    /** One line of help, for the agent's list of commands. */
    String summary();

    /**
     * Answers {@code args} (the words after the name, each {@code KEY=VALUE} or a bare flag) through
     * {@code reply}: one {@link ControlReply#ok ok} or {@link ControlReply#error error} answer,
     * optionally followed by binary data and an end.
     */
    void run(List<String> args, ControlReply reply) throws IOException;
}
