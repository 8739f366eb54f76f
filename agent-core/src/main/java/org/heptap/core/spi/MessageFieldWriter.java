package org.heptap.core.spi;

import org.heptap.core.message.Message;

/**
 * Adds a module's protocol fields to the document a structured transport (JSON, {@code
 * send_json}) makes of a message. agent-core knows no protocol and transports know no module:
 * a module that parsed something about the current packet exports a writer
 * ({@link HeptapModule#messageFields()}), and the transport asks every writer for each message.
 *
 * <p>Called on the pipeline thread during the plan run (so per-packet module state, tied to
 * {@link Message#sequence()}, is valid). A writer adds nothing for a packet it knows nothing
 * about, allocates nothing it can avoid and never throws.
 */
@FunctionalInterface
public interface MessageFieldWriter {
    /** Writes this module's fields of {@code message}, if it has any, into {@code fields}. */
    void write(Message message, Fields fields);

    /** Where fields go. Keys are plain ASCII names ({@code sip_callid}); each key at most once. */
    interface Fields {
        /**
         * Text from bytes that should be UTF-8 (the protocol's own slice, not copied first);
         * invalid sequences are written as U+FFFD.
         */
        void text(String key, byte[] buf, int off, int len);

        void text(String key, String value);

        void number(String key, long value);
    }
}
