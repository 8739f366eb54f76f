package org.heptap.transport;

import java.nio.ByteBuffer;

/** How a self-delimiting record says its length in its first bytes (HEP3: "HEP3", then 2 bytes of length). */
public interface RecordFraming {
    /** Bytes of a record's start that tell its length. */
    int headerLength();

    /**
     * The whole record's length, read from its first {@link #headerLength()} bytes (positions 0
     * on in {@code header}), or -1 when they are not the start of a record (a torn write).
     */
    int recordLength(ByteBuffer header);
}
