package org.heptap.core.control;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heptap.core.spi.ControlReply;

/**
 * A module command's answer on a control connection, as JSON lines: binary data in base64 chunks
 * of {@link #CHUNK} bytes (a line stays far below the client's line bound), then an end line.
 */
final class LineReply implements ControlReply {
    /** Bytes per data line: 48 KiB become 64 KiB of base64. */
    static final int CHUNK = 48 << 10;

    private final LineChannel out;
    private final long writeMillis;
    private Chunks data;
    private boolean answered;

    LineReply(LineChannel out, long writeMillis) {
        this.out = out;
        this.writeMillis = writeMillis;
    }

    /** True once the command said anything. */
    boolean answered() {
        return answered;
    }

    @Override
    public void ok(Map<String, Object> fields) throws IOException {
        Map<String, Object> m = Answers.ok();
        m.putAll(fields);
        line(m);
    }

    @Override
    public void error(String message) throws IOException {
        if (data != null) data.flushChunk();
        line(Answers.error(message));
    }

    @Override
    public OutputStream binary(Map<String, Object> fields) throws IOException {
        if (data != null) throw new IllegalStateException("binary answer already started");
        Map<String, Object> m = Answers.ok("binary", true);
        m.putAll(fields);
        line(m);
        data = new Chunks();
        return data;
    }

    @Override
    public void end(Map<String, Object> summary) throws IOException {
        if (data == null) throw new IllegalStateException("no binary answer to end");
        data.flushChunk();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("end", true);
        m.putAll(summary);
        line(m);
    }

    private void line(Map<String, Object> m) throws IOException {
        answered = true;
        out.writeLine(Answers.line(m), writeMillis);
    }

    /** Collects bytes into a chunk; each full chunk leaves as one {@code {"data":...}} line. */
    private final class Chunks extends OutputStream {
        private final byte[] buf = new byte[CHUNK];
        private int n;

        @Override
        public void write(int b) throws IOException {
            if (n == buf.length) flushChunk();
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (n == buf.length) flushChunk();
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        void flushChunk() throws IOException {
            if (n == 0) return;
            byte[] enc = Base64.getEncoder()
                    .encode(java.nio.ByteBuffer.wrap(buf, 0, n))
                    .array();
            n = 0;
            out.writeLine(
                    "{\"data\":\"" + new String(enc, java.nio.charset.StandardCharsets.US_ASCII) + "\"}", writeMillis);
        }
    }
}
