package org.heptap.core.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * How a {@link ControlCommand} answers. The control socket speaks JSON lines, so binary data is
 * never written raw: after {@link #binary} the bytes written to the returned stream go out as
 * base64 in {@code {"data":...}} lines and {@link #end} closes them with {@code {"end":true,...}};
 * a client that sees the connection close before the end line knows the data is incomplete.
 */
public interface ControlReply {
    /** The answer: {@code {"ok":true}} with {@code fields}; a {@code text} field is what heptapctl prints. */
    void ok(Map<String, Object> fields) throws IOException;

    /** A refusal: {@code {"ok":false,"error":message}}. Also ends a binary answer that failed midway. */
    void error(String message) throws IOException;

    /**
     * Starts a binary answer: {@code {"ok":true,"binary":true}} with {@code fields}, then the stream
     * the data goes to (buffered; each chunk is framed as one line).
     */
    OutputStream binary(Map<String, Object> fields) throws IOException;

    /** Ends a binary answer: flushes the data, then {@code {"end":true}} with {@code summary}. */
    void end(Map<String, Object> summary) throws IOException;
}
