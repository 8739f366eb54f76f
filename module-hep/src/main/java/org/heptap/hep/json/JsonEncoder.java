package org.heptap.hep.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.heptap.core.message.Message;
import org.heptap.core.spi.MessageFieldWriter;
import org.heptap.transport.MessageEncoder;

/**
 * One JSON object per message, with captagent's send_json keys (capture-plan-language.md §4.6):
 *
 * <pre>
 * packet_id   string   the profile's running count of documents ("1", "2", ...)
 * my_time     number   wall-clock seconds when the document was made
 * ip_family   number   2 (AF_INET) or 10 (AF_INET6)
 * ip_proto    number   17 UDP, 6 TCP, 132 SCTP
 * src_ip4, dst_ip4 or src_ip6, dst_ip6   strings
 * src_port, dst_port   numbers
 * tss, tsu    numbers  capture time: seconds and microseconds
 * payload     string   the payload as UTF-8 text (unless payload-send: false); when it is not
 *                      valid UTF-8, invalid bytes read as U+FFFD and payload_base64 holds the
 *                      exact bytes
 * corr_id     string   correlation id, when the message has one
 * proto_type  number   HEP protocol type (1 SIP, 5 RTCP JSON, ...)
 * capt_id     number   the profile's capture-id
 * </pre>
 *
 * then whatever the modules' {@link MessageFieldWriter}s add (SIP: {@code sip_callid} ...).
 *
 * <p>Jackson's streaming generator writes straight into the pooled buffer that is queued, through
 * a reused {@link OutputStream} whose target changes per message; no tree, no String for the
 * payload. Over a stream each document ends with a newline (JSON escapes newlines inside
 * strings, so a line is a document). Not thread-safe: one encoder per pipeline thread.
 */
final class JsonEncoder implements MessageEncoder, MessageFieldWriter.Fields {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    /** Keys, numbers and quoting around the payload, for the first buffer size guess. */
    private static final int FIXED_GUESS = 512;

    private static final String NO_ADDRESS = "0.0.0.0";

    private final JsonSettings settings;
    private final int maxLength;
    private final boolean stream;
    private final List<MessageFieldWriter> writers;
    private final ByteBufTarget target = new ByteBufTarget();
    private final char[] idChars = new char[20];
    private JsonGenerator json;

    JsonEncoder(JsonSettings settings, int maxLength, boolean stream) {
        this.settings = settings;
        this.maxLength = maxLength;
        this.stream = stream;
        this.writers = settings.fieldWriters();
    }

    @Override
    public ByteBuf encode(Message m, ByteBufAllocator alloc) {
        int guess = (int) Math.min(maxLength, encodedLength(m));
        ByteBuf buf = alloc.ioBuffer(guess, maxLength);
        target.buf = buf;
        try {
            JsonGenerator g = generator();
            writeDocument(m, g);
            g.flush();
            if (stream) buf.writeByte('\n');
            return buf;
        } catch (IOException | RuntimeException e) {
            // the only expected cause is the buffer reaching maxLength; either way the
            // generator's state is unknown now, so the next document gets a fresh one
            json = null;
            buf.release();
            return null;
        } finally {
            target.buf = null;
        }
    }

    private void writeDocument(Message m, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeFieldName("packet_id");
        int n = digits(settings.nextPacketId());
        g.writeString(idChars, idChars.length - n, n);
        g.writeNumberField("my_time", System.currentTimeMillis() / 1000);
        boolean v6 = m.ipVersion() == 6;
        g.writeNumberField("ip_family", v6 ? AF_INET6 : AF_INET);
        g.writeNumberField("ip_proto", m.ipProtocol());
        // a message without an IP layer is described as IPv4 0.0.0.0, as HEP sends it
        boolean noIp = m.ipVersion() == 0;
        g.writeStringField(v6 ? "src_ip6" : "src_ip4", noIp ? NO_ADDRESS : m.srcIpText());
        g.writeStringField(v6 ? "dst_ip6" : "dst_ip4", noIp ? NO_ADDRESS : m.dstIpText());
        g.writeNumberField("src_port", m.srcPort());
        g.writeNumberField("dst_port", m.dstPort());
        long micros = m.timestampMicros();
        g.writeNumberField("tss", Math.floorDiv(micros, 1_000_000L));
        g.writeNumberField("tsu", Math.floorMod(micros, 1_000_000L));
        if (settings.payloadSend()) {
            byte[] p = m.payload();
            int off = m.payloadOffset();
            int len = m.payloadLength();
            if (Utf8.isValid(p, off, len)) {
                g.writeFieldName("payload");
                g.writeUTF8String(p, off, len);
            } else {
                settings.countNotUtf8();
                g.writeStringField("payload", new String(p, off, len, StandardCharsets.UTF_8));
                g.writeFieldName("payload_base64");
                g.writeBinary(p, off, len);
            }
        }
        if (m.hasCorrelationId()) {
            text("corr_id", m.correlationBuffer(), m.correlationOffset(), m.correlationLength());
        }
        g.writeNumberField("proto_type", m.protocolType());
        g.writeNumberField("capt_id", settings.captureId());
        for (int i = 0; i < writers.size(); i++) writers.get(i).write(m, this);
        g.writeEndObject();
    }

    /** Writes {@code v} (not negative) right-aligned into {@link #idChars}; returns the digit count. */
    private int digits(long v) {
        int i = idChars.length;
        do {
            idChars[--i] = (char) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        return idChars.length - i;
    }

    private JsonGenerator generator() throws IOException {
        if (json == null) {
            json = FACTORY.createGenerator(target, JsonEncoding.UTF8);
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setRootValueSeparator(null); // documents are framed by the carrier, not by spaces
        }
        return json;
    }

    // ---- MessageFieldWriter.Fields: what module writers call during writeDocument ----

    @Override
    public void text(String key, byte[] buf, int off, int len) {
        try {
            json.writeFieldName(key);
            if (Utf8.isValid(buf, off, len)) {
                json.writeUTF8String(buf, off, len);
            } else {
                json.writeString(new String(buf, off, len, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // caught in encode: the document is dropped
        }
    }

    @Override
    public void text(String key, String value) {
        try {
            json.writeStringField(key, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void number(String key, long value) {
        try {
            json.writeNumberField(key, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys and numbers plus the payload, escaped CR/LF included (SIP has a few dozen lines). */
    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public long encodedLength(Message m) {
        long payload = settings.payloadSend() ? m.payloadLength() + m.payloadLength() / 8 : 0;
        return FIXED_GUESS + payload + m.correlationLength();
    }

    @Override
    public void close() {
        json = null; // the generator only wraps the reused target; nothing to release
    }

    /** The generator's output: appended to the buffer of the document being written. */
    private static final class ByteBufTarget extends OutputStream {
        ByteBuf buf;

        @Override
        public void write(int b) {
            buf.writeByte(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buf.writeBytes(b, off, len);
        }
    }
}
