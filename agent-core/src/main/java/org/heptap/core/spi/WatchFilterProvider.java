package org.heptap.core.spi;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.heptap.core.message.Message;

/**
 * Protocol knowledge for {@code heptapctl watch}: a module that understands a protocol turns
 * options such as {@code --method INVITE} into a message filter (agent-core knows no protocol).
 * Found with {@link java.util.ServiceLoader}. Filters run on the watcher's thread, on a copy of
 * the message, never on the capture thread.
 */
public interface WatchFilterProvider {
    /** The watch options this provider understands, e.g. {@code method}, {@code user}, {@code call-id}. */
    Set<String> options();

    /**
     * A filter for the given options (only keys from {@link #options()} are passed, at least one).
     * Each call gets its own filter, used by one thread.
     */
    Predicate<Message> create(Map<String, String> criteria);
}
