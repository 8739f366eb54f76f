package org.heptap.core.spi;

import java.util.List;
import org.heptap.core.config.ConfigNode;

/**
 * A list of things to drop before the plan that only a protocol module understands (SIP methods,
 * like heplify's {@code -dim}), for operators who do not want to write a capture plan. A socket
 * sets it as {@code discard-<key>: [...]} and the quick flag {@code --discard-<key>} sets it on
 * every socket; agent-core applies the compiled filter to each message (after TCP framing) and
 * counts what it drops under {@link #counter()}. Exported by {@link HeptapModule#discardLists()}.
 */
public interface DiscardList {
    /** The list's name: YAML key {@code discard-<key>}, e.g. {@code methods}. */
    String key();

    /** The socket counter of messages it drops, e.g. {@code discarded-method}. */
    String counter();

    /**
     * The filter for one socket's list (values as written, never empty). Wrong values are
     * reported through {@code where.error(...)}; the filter then ignores them.
     */
    MessageFilter compile(List<String> values, ConfigNode where);
}
