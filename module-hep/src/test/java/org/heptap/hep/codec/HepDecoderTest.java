package org.heptap.hep.codec;

import static org.heptap.hep.TestMessages.*;
import static org.heptap.hep.codec.HepEncoderTest.DOC_V3;
import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.heptap.core.message.Message;
import org.heptap.hep.codec.HepDecodeResult.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HepDecoderTest {
    private final HepDecoder decoder = new HepDecoder();

    @AfterEach
    void close() {
        decoder.close();
    }

    private HepPacket ok(byte[] b) {
        HepDecodeResult r = decoder.decode(b);
        assertEquals(Status.OK, r.status(), r.detail());
        return r.packet();
    }

    private static byte[] encode(HepSettings s, Message m) {
        try (HepEncoder e = new HepEncoder(s)) {
            ByteBuf buf = e.encode(m, UnpooledByteBufAllocator.DEFAULT);
            try {
                return ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void docExample() {
        HepPacket p = ok(DOC_V3);
        assertEquals(3, p.version());
        assertEquals(2, p.family());
        assertEquals(17, p.ipProtocol());
        assertEquals("192.0.2.10", p.srcIp());
        assertEquals("192.0.2.20", p.dstIp());
        assertEquals(5060, p.srcPort());
        assertEquals(5060, p.dstPort());
        assertEquals(1_700_000_000L, p.timeSeconds());
        assertEquals(123_456, p.timeMicros());
        assertEquals(1, p.protocolType());
        assertEquals(2001, p.captureId());
        assertEquals("myhep", p.password());
        assertNull(p.correlationId());
        assertNull(p.nodeName());
        assertEquals(-1, p.vlan());
        assertEquals(OPTIONS, p.payloadText());
        assertFalse(p.compressed());
        assertEquals(253, decoder.decode(DOC_V3).length());
    }

    @ParameterizedTest(name = "v{0} IPv{1} compress={2}")
    @CsvSource({"3,4,false", "3,6,false", "3,4,true", "3,6,true", "2,4,false", "2,6,false", "1,4,false", "1,6,false"})
    void roundTrip(int version, int ip, boolean compress) {
        Message m = sip(ip, OPTIONS);
        m.setProtocolType(version == 3 ? 1 : 0);
        HepPacket p = ok(encode(
                new HepSettings(version, 2001, version == 3 ? "pw" : null, version == 3 ? "n1" : null, compress), m));
        assertEquals(version, p.version());
        assertEquals(ip, p.ipVersion());
        assertEquals(ip == 6 ? 10 : 2, p.family());
        assertEquals(ip == 6 ? "2001:db8::10" : "192.0.2.10", p.srcIp());
        assertEquals(ip == 6 ? "2001:db8::20" : "192.0.2.20", p.dstIp());
        assertEquals(5060, p.srcPort());
        assertEquals(17, p.ipProtocol());
        assertEquals(OPTIONS, p.payloadText());
        assertEquals(compress, p.compressed());
        if (version >= 2) {
            assertEquals(TIME_MICROS, p.timestampMicros());
            assertEquals(2001, p.captureId());
        }
        if (version == 3) {
            assertEquals("pw", p.password());
            assertEquals("n1", p.nodeName());
            assertEquals(1, p.protocolType());
        }
    }

    @Test
    void compressedEmptyPayload() {
        HepPacket p = ok(encode(new HepSettings(3, 1, null, null, true), sip(4, "")));
        assertTrue(p.compressed());
        assertEquals(0, p.payload().length);
    }

    @Test
    void rtcpCorrelationAndTags() {
        Message m = rtcpV4("{\"x\":1}");
        m.addTag("a", "b");
        HepPacket p = ok(encode(HepSettings.v3(9), m));
        assertEquals("c1@192.0.2.10", p.correlationId());
        assertEquals("a=b", p.tags());
        assertEquals(5, p.protocolType());
    }

    @Test
    void decodesFromAByteBufWithoutConsumingIt() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {9, 9}, DOC_V3);
        buf.skipBytes(2);
        assertTrue(decoder.decode(buf).ok());
        assertEquals(2, buf.readerIndex());
        buf.release();
    }

    @Test
    void gzipInCompressedChunkIsAcceptedToo() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(OPTIONS.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] p = withPayloadChunk(0x10, gz.toByteArray());
        HepPacket packet = ok(p);
        assertTrue(packet.compressed());
        assertEquals(OPTIONS, packet.payloadText());
    }

    @Test
    void eep3MagicIsAccepted() {
        byte[] b = DOC_V3.clone();
        b[0] = 'E';
        assertEquals(OPTIONS, ok(b).payloadText());
    }

    @Test
    void unknownChunksAreSkipped() {
        byte[] extra = hex("0005 0063 000a deadbeef" + " 0000 0099 0007 01" + " 0000 000d 0008 001e");
        HepPacket p = ok(insertBeforePayload(extra));
        assertEquals(OPTIONS, p.payloadText());
        assertEquals(2001, p.captureId());
        assertTrue(p.chunks().contains(0x0005_0063));
    }

    @Test
    void trailingBytesAfterTotalLengthAreNotPartOfThePacket() {
        byte[] b = Arrays.copyOf(DOC_V3, 300);
        HepDecodeResult r = decoder.decode(b);
        assertTrue(r.ok());
        assertEquals(253, r.length());
    }

    // ---- garbage: every case is a result, never an exception ------------------------------

    @Test
    void empty() {
        assertEquals(Status.TRUNCATED, decoder.decode(new byte[0]).status());
    }

    @Test
    void notHep() {
        assertEquals(
                Status.NOT_HEP,
                decoder.decode("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII))
                        .status());
    }

    @Test
    void truncatedPacket() {
        for (int n = 0; n < DOC_V3.length; n++) {
            HepDecodeResult r = decoder.decode(DOC_V3, 0, n);
            assertEquals(Status.TRUNCATED, r.status(), "cut at " + n);
            assertNull(r.packet());
        }
    }

    @Test
    void totalLengthBeyondTheData() {
        byte[] b = DOC_V3.clone();
        b[5] = (byte) 0xfe; // 254 > 253
        HepDecodeResult r = decoder.decode(b);
        assertEquals(Status.TRUNCATED, r.status());
        assertTrue(r.detail().contains("254"), r.detail());
    }

    @Test
    void totalLengthBelowHeader() {
        byte[] b = DOC_V3.clone();
        b[4] = 0;
        b[5] = 5;
        assertEquals(Status.BAD_LENGTH, decoder.decode(b).status());
    }

    @Test
    void totalLengthCuttingAChunk() {
        byte[] b = DOC_V3.clone();
        b[5] = (byte) 252; // the payload chunk now runs one byte past the end
        HepDecodeResult r = decoder.decode(b);
        assertEquals(Status.BAD_CHUNK, r.status());
        assertTrue(r.detail().contains("000f"), r.detail());
    }

    @Test
    void chunkLengthBelowHeader() {
        byte[] b = DOC_V3.clone();
        b[0x0b] = 5; // IP family chunk says length 5
        assertEquals(Status.BAD_CHUNK, decoder.decode(b).status());
    }

    @Test
    void chunkLengthZeroDoesNotLoop() {
        byte[] b = DOC_V3.clone();
        b[0x0b] = 0;
        assertEquals(Status.BAD_CHUNK, decoder.decode(b).status());
    }

    @Test
    void fixedSizeChunkWithWrongValueSize() {
        // source port chunk claiming 9 bytes (a 3-byte value) instead of 8
        byte[] b = DOC_V3.clone();
        b[0x19] = 9;
        HepDecodeResult r = decoder.decode(b);
        assertEquals(Status.BAD_CHUNK, r.status());
    }

    @Test
    void strayBytesShorterThanAChunkHeader() {
        byte[] b = Arrays.copyOf(DOC_V3, 256); // total 256: three zero bytes after the payload chunk
        b[4] = 1;
        b[5] = 0;
        assertEquals(Status.BAD_CHUNK, decoder.decode(b).status());
    }

    @Test
    void unknownFamily() {
        byte[] b = DOC_V3.clone();
        b[0x0c] = 7;
        assertEquals(Status.BAD_FAMILY, decoder.decode(b).status());
    }

    @Test
    void compressedChunkThatIsNotZlibOrGzip() {
        assertEquals(
                Status.BAD_COMPRESSED_PAYLOAD,
                decoder.decode(withPayloadChunk(0x10, "plain text".getBytes())).status());
        assertEquals(
                Status.BAD_COMPRESSED_PAYLOAD,
                decoder.decode(withPayloadChunk(0x10, hex("789c0102"))).status(),
                "broken deflate data");
        assertEquals(
                Status.BAD_COMPRESSED_PAYLOAD,
                decoder.decode(withPayloadChunk(0x10, hex("1f8b0800"))).status(),
                "cut gzip");
    }

    @Test
    void compressedPayloadInflatingPastTheLimit() throws Exception {
        byte[] z = zeros(100_000);
        try (HepDecoder small = new HepDecoder(50_000)) {
            assertEquals(
                    Status.BAD_COMPRESSED_PAYLOAD,
                    small.decode(withPayloadChunk(0x10, z)).status());
        }
        assertEquals(100_000, ok(withPayloadChunk(0x10, z)).payload().length);
    }

    @Test
    void aPacketInflateLimitStopsABombAfterThatMuchWork() {
        byte[] bomb = withPayloadChunk(0x10, zeros(1 << 20));
        HepDecodeResult r = decoder.decode(bomb, 0, bomb.length, 100_000);
        assertEquals(Status.INFLATE_LIMIT, r.status());
        assertTrue(
                decoder.lastInflated() > 100_000 && decoder.lastInflated() <= 100_000 + 8192,
                "inflated " + decoder.lastInflated());
        assertEquals(
                Status.INFLATE_LIMIT, decoder.decode(bomb, 0, bomb.length, 0).status());
        assertEquals(0, decoder.lastInflated(), "no budget: nothing inflated");
        assertEquals(
                1 << 20, decoder.decode(bomb, 0, bomb.length, 2 << 20).packet().payload().length);
        assertEquals(1 << 20, decoder.lastInflated());
    }

    /** {@code n} zero bytes as a zlib stream (about a thousandth of their size). */
    private static byte[] zeros(int n) {
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(new byte[n]);
        d.finish();
        byte[] z = new byte[n / 500 + 64];
        int len = d.deflate(z);
        d.end();
        return Arrays.copyOf(z, len);
    }

    @Test
    void v2TruncatedTimeBlock() {
        byte[] v2 = encode(new HepSettings(2, 1, null, null, false), sipV4());
        assertEquals(Status.TRUNCATED, decoder.decode(v2, 0, 20).status());
        assertEquals(0, ok(Arrays.copyOf(v2, 28)).payload().length);
    }

    @Test
    void v1HeaderLengthMustMatchFamily() {
        byte[] v1 = encode(new HepSettings(1, 1, null, null, false), sipV4());
        v1[1] = 40;
        assertEquals(Status.BAD_LENGTH, decoder.decode(v1).status());
        v1[1] = 16;
        v1[2] = 99;
        assertEquals(Status.BAD_FAMILY, decoder.decode(v1).status());
    }

    @Test
    void v1FromAMacSenderUsesFamily30() {
        byte[] v1 = encode(new HepSettings(1, 1, null, null, false), sipV6());
        v1[2] = 30;
        assertEquals("2001:db8::10", ok(v1).srcIp());
    }

    /** DOC_V3 with the payload chunk replaced by one of this type and value. */
    private static byte[] withPayloadChunk(int type, byte[] value) {
        int head = 0x68;
        byte[] b = Arrays.copyOf(DOC_V3, head + 6 + value.length);
        b[head + 2] = (byte) (type >> 8);
        b[head + 3] = (byte) type;
        b[head + 4] = (byte) ((6 + value.length) >> 8);
        b[head + 5] = (byte) (6 + value.length);
        System.arraycopy(value, 0, b, head + 6, value.length);
        b[4] = (byte) (b.length >> 8);
        b[5] = (byte) b.length;
        return b;
    }

    private static byte[] insertBeforePayload(byte[] chunks) {
        int head = 0x68;
        byte[] b = new byte[DOC_V3.length + chunks.length];
        System.arraycopy(DOC_V3, 0, b, 0, head);
        System.arraycopy(chunks, 0, b, head, chunks.length);
        System.arraycopy(DOC_V3, head, b, head + chunks.length, DOC_V3.length - head);
        b[4] = (byte) (b.length >> 8);
        b[5] = (byte) b.length;
        return b;
    }
}
