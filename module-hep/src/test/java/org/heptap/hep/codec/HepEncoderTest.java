package org.heptap.hep.codec;

import static org.heptap.hep.TestMessages.*;
import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Inflater;
import org.heptap.core.message.Message;
import org.heptap.hep.TrackingAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HepEncoderTest {
    /** hep-wire-format.md §5, the full 253-byte dump. */
    static final byte[] DOC_V3 = hexDump("""
            0000  48 45 50 33 00 fd 00 00 00 01 00 07 02 00 00 00  |HEP3............|
            0010  02 00 07 11 00 00 00 07 00 08 13 c4 00 00 00 08  |................|
            0020  00 08 13 c4 00 00 00 09 00 0a 65 53 f1 00 00 00  |..........eS....|
            0030  00 0a 00 0a 00 01 e2 40 00 00 00 0b 00 07 01 00  |.......@........|
            0040  00 00 0c 00 0a 00 00 07 d1 00 00 00 03 00 0a c0  |................|
            0050  00 02 0a 00 00 00 04 00 0a c0 00 02 14 00 00 00  |................|
            0060  0e 00 0b 6d 79 68 65 70 00 00 00 0f 00 95 4f 50  |...myhep......OP|
            0070  54 49 4f 4e 53 20 73 69 70 3a 62 6f 62 40 31 39  |TIONS sip:bob@19|
            0080  32 2e 30 2e 32 2e 32 30 20 53 49 50 2f 32 2e 30  |2.0.2.20 SIP/2.0|
            0090  0d 0a 56 69 61 3a 20 53 49 50 2f 32 2e 30 2f 55  |..Via: SIP/2.0/U|
            00a0  44 50 20 31 39 32 2e 30 2e 32 2e 31 30 3b 62 72  |DP 192.0.2.10;br|
            00b0  61 6e 63 68 3d 7a 39 68 47 34 62 4b 31 0d 0a 43  |anch=z9hG4bK1..C|
            00c0  61 6c 6c 2d 49 44 3a 20 63 31 40 31 39 32 2e 30  |all-ID: c1@192.0|
            00d0  2e 32 2e 31 30 0d 0a 43 53 65 71 3a 20 31 20 4f  |.2.10..CSeq: 1 O|
            00e0  50 54 49 4f 4e 53 0d 0a 43 6f 6e 74 65 6e 74 2d  |PTIONS..Content-|
            00f0  4c 65 6e 67 74 68 3a 20 30 0d 0a 0d 0a           |Length: 0....|
            """);

    /** §2.3: the 28-byte v2 header in front of the payload. */
    static final byte[] DOC_V2_HEAD =
            hex("02 10 02 11 13 c4 13 c4 c0 00 02 0a c0 00 02 14 00 f1 53 65 40 e2 01 00 d1 07 00 00");

    static final HepSettings DOC_SETTINGS = new HepSettings(3, 2001, "myhep", null, false);

    private final ByteBufAllocator alloc = new PooledByteBufAllocator(false);
    private ByteBuf last;

    @AfterEach
    void release() {
        if (last != null && last.refCnt() > 0) last.release();
    }

    private byte[] encode(HepSettings s, Message m) {
        try (HepEncoder e = new HepEncoder(s)) {
            last = e.encode(m, alloc);
            assertNotNull(last, "encoder refused the packet");
            return ByteBufUtil.getBytes(last);
        }
    }

    private static byte[] options() {
        return OPTIONS.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void docExampleBuildsTheSameBytes() {
        assertEquals(253, DOC_V3.length, "test vector parsed wrong");
        assertEquals(ByteBufUtil.hexDump(DOC_V3), ByteBufUtil.hexDump(encode(DOC_SETTINGS, sipV4())));
    }

    @Test
    void docExampleEncodesIntoADirectBufferToo() {
        try (HepEncoder e = new HepEncoder(DOC_SETTINGS)) {
            last = e.encode(sipV4(), PooledByteBufAllocator.DEFAULT);
            assertArrayEquals(DOC_V3, ByteBufUtil.getBytes(last));
            assertEquals(253, e.encodedLength(sipV4()));
        }
    }

    @Test
    void v2DocExample() {
        HepSettings v2 = new HepSettings(2, 2001, "ignored in v2", "ignored", false);
        byte[] out = encode(v2, sipV4());
        assertEquals(171, out.length);
        assertEquals(171, new HepEncoder(v2).encodedLength(sipV4()));
        assertArrayEquals(concat(DOC_V2_HEAD, options()), out);
    }

    @Test
    void v1IsTheV2HeaderWithoutTimeBlock() {
        byte[] out = encode(new HepSettings(1, 2001, null, null, false), sipV4());
        assertEquals(159, out.length);
        assertEquals(159, new HepEncoder(new HepSettings(1, 2001, null, null, false)).encodedLength(sipV4()));
        byte[] head = Arrays.copyOf(DOC_V2_HEAD, 16);
        head[0] = 1;
        assertArrayEquals(concat(head, options()), out);
    }

    @Test
    void v2CaptureIdKeepsLow16BitsLittleEndian() {
        byte[] out = encode(new HepSettings(2, 70000, null, null, false), sipV4()); // 70000 = 0x11170
        assertEquals(0x70, out[24] & 0xff);
        assertEquals(0x11, out[25] & 0xff);
    }

    @Test
    void ipv6VariantIs277Bytes() {
        byte[] out = encode(DOC_SETTINGS, sipV6());
        assertEquals(277, out.length);
        assertEquals(277, ((out[4] & 0xff) << 8) | (out[5] & 0xff));
        assertEquals(10, out[12], "AF_INET6 as Linux numbers it");
        // addresses right after the capture id chunk (offset 0x49), 22 bytes each
        assertArrayEquals(
                hex("0000 0005 0016 20010db8000000000000000000000010"), Arrays.copyOfRange(out, 0x49, 0x49 + 22));
        assertArrayEquals(
                hex("0000 0006 0016 20010db8000000000000000000000020"), Arrays.copyOfRange(out, 0x5f, 0x5f + 22));
        // the rest is the IPv4 packet shifted by 24 bytes
        assertArrayEquals(Arrays.copyOfRange(DOC_V3, 0x5d, 253), Arrays.copyOfRange(out, 0x5d + 24, 277));
    }

    @Test
    void ipv6InV1AndV2() {
        byte[] v2 = encode(new HepSettings(2, 2001, null, null, false), sipV6());
        assertEquals(52 + 143, v2.length);
        assertArrayEquals(hex("02 28 0a 11 13c4 13c4"), Arrays.copyOf(v2, 8));
        assertArrayEquals(hex("00f15365 40e20100 d107 0000"), Arrays.copyOfRange(v2, 40, 52));
        byte[] v1 = encode(new HepSettings(1, 2001, null, null, false), sipV6());
        assertEquals(40 + 143, v1.length);
        assertEquals(1, v1[0]);
        assertArrayEquals(options(), Arrays.copyOfRange(v1, 40, v1.length));
    }

    @Test
    void rtcpCorrelationChunkFollowsTheAuthKey() {
        String json = "{\"type\":200,\"ssrc\":\"0x1234\"}";
        byte[] out = encode(DOC_SETTINGS, rtcpV4(json));
        assertEquals(253 - 143 + 19 + json.length(), out.length);
        assertEquals(5, out[0x3e], "protocol type chunk value");
        assertArrayEquals(Arrays.copyOf(DOC_V3, 0x68), Arrays.copyOf(patchTypeAndLength(out, 253, out.length), 0x68));
        assertArrayEquals(
                concat(hex("0000 0011 0013"), "c1@192.0.2.10".getBytes(StandardCharsets.US_ASCII)),
                Arrays.copyOfRange(out, 0x68, 0x68 + 19));
        assertArrayEquals(
                hex("0000 000f 00" + Integer.toHexString(6 + json.length())), Arrays.copyOfRange(out, 0x7b, 0x81));
        assertEquals(json, new String(out, 0x81, json.length(), StandardCharsets.US_ASCII));
    }

    /** The same bytes with the doc's protocol type and total length, for comparing the shared prefix. */
    private static byte[] patchTypeAndLength(byte[] out, int total, int actual) {
        byte[] c = out.clone();
        assertEquals(actual, ((c[4] & 0xff) << 8) | (c[5] & 0xff));
        c[4] = (byte) (total >> 8);
        c[5] = (byte) total;
        c[0x3e] = 1;
        return c;
    }

    @Test
    void compressedPayloadIsAZlibStreamInChunk0010() throws Exception {
        HepSettings s = new HepSettings(3, 2001, "myhep", null, true);
        byte[] out = encode(s, sipV4());
        int chunk = 0x68;
        assertArrayEquals(Arrays.copyOf(DOC_V3, 4), Arrays.copyOf(out, 4));
        assertArrayEquals(
                Arrays.copyOfRange(DOC_V3, 6, chunk), Arrays.copyOfRange(out, 6, chunk), "other chunks stay plain");
        assertArrayEquals(hex("0000 0010"), Arrays.copyOfRange(out, chunk, chunk + 4));
        int chunkLen = ((out[chunk + 4] & 0xff) << 8) | (out[chunk + 5] & 0xff);
        assertEquals(out.length, chunk + chunkLen, "payload chunk is last and fills the packet");
        assertEquals(out.length, ((out[4] & 0xff) << 8) | (out[5] & 0xff));
        assertEquals(0x78, out[chunk + 6] & 0xff);
        assertEquals(0x9c, out[chunk + 7] & 0xff, "default level, as zlib compress()");
        assertTrue(out.length < 253, "143 bytes of SIP compress (doc: to 122, total 232); got total " + out.length);
        // exactly one zlib stream as a one-shot compress() makes it (no flush markers, no gzip)
        java.util.zip.Deflater ref = new java.util.zip.Deflater();
        ref.setInput(options());
        ref.finish();
        byte[] expected = new byte[512];
        int refLen = ref.deflate(expected);
        ref.end();
        assertArrayEquals(Arrays.copyOf(expected, refLen), Arrays.copyOfRange(out, chunk + 6, out.length));

        Inflater inf = new Inflater();
        inf.setInput(out, chunk + 6, chunkLen - 6);
        byte[] plain = new byte[1000];
        int n = inf.inflate(plain);
        assertTrue(inf.finished());
        inf.end();
        assertEquals(OPTIONS, new String(plain, 0, n, StandardCharsets.US_ASCII));
    }

    @Test
    void deflaterIsReusedAcrossPackets() {
        HepSettings s = new HepSettings(3, 1, null, null, true);
        try (HepEncoder e = new HepEncoder(s)) {
            ByteBuf a = e.encode(sipV4(), alloc);
            ByteBuf b = e.encode(sip(4, "other payload " + "x".repeat(300)), alloc);
            ByteBuf c = e.encode(sipV4(), alloc);
            try {
                assertEquals(a, c);
                assertNotEquals(a, b);
            } finally {
                a.release();
                b.release();
                c.release();
            }
        }
    }

    @Test
    void messageIsLeftUntouched() {
        Message m = rtcpV4("{\"a\":1}");
        byte[] before = Arrays.copyOfRange(m.payload(), m.payloadOffset(), m.payloadOffset() + m.payloadLength());
        int off = m.payloadOffset();
        encode(new HepSettings(3, 1, "pw", "node", true), m);
        last.release();
        encode(new HepSettings(2, 1, null, null, false), m);
        assertEquals(off, m.payloadOffset());
        assertArrayEquals(
                before, Arrays.copyOfRange(m.payload(), m.payloadOffset(), m.payloadOffset() + m.payloadLength()));
        assertEquals(5, m.protocolType());
        assertEquals("c1@192.0.2.10", m.correlationIdString());
    }

    @Test
    void optionalChunksInOrderBeforeThePayload() {
        Message m = rtcpV4("{}");
        m.addTag("k1", "v1");
        m.addTag("k2", "vé");
        m.setVlan(100);
        byte[] out = encode(new HepSettings(3, 7, "", "node1", false), m);
        try (HepDecoder d = new HepDecoder()) {
            HepPacket p = d.decode(out).packet();
            assertEquals(
                    List.of(0x1, 0x2, 0x7, 0x8, 0x9, 0xa, 0xb, 0xc, 0x3, 0x4, 0xe, 0x11, 0x26, 0x13, 0x12, 0xf),
                    p.chunks());
            assertEquals("", p.password(), "a configured empty password still sends the chunk, like captagent");
            assertEquals("k1=v1;k2=vé", p.tags());
            assertEquals("node1", p.nodeName());
            assertEquals(100, p.vlan());
        }
    }

    @Test
    void numbersAttachedByAModuleGoAsUint16ChunksBeforeThePayload() {
        for (boolean tags : new boolean[] {false, true}) { // array and ByteBuf paths of the encoder
            Message m = rtcpV4("{}");
            if (tags) m.addTag("k", "v");
            assertTrue(m.addNumber(HepChunks.MOS, 430));
            assertTrue(m.addNumber(HepChunks.R_FACTOR, 93));
            byte[] out = encode(HepSettings.v3(7), m);
            assertEquals(out.length, ((out[4] & 0xff) << 8) | (out[5] & 0xff), "total length counts the chunks");
            try (HepDecoder d = new HepDecoder()) {
                List<Integer> chunks = d.decode(out).packet().chunks();
                assertEquals(
                        List.of(0x20, 0x21, 0xf), chunks.subList(chunks.size() - 3, chunks.size()), chunks.toString());
            }
            assertEquals(430, chunkValue16(out, HepChunks.MOS));
            assertEquals(93, chunkValue16(out, HepChunks.R_FACTOR));
            m.reset();
            assertEquals(0, m.numberCount(), "a new packet starts without numbers");
        }
    }

    /** The uint16 value of the first chunk of {@code type}, or -1. */
    private static int chunkValue16(byte[] p, int type) {
        for (int i = 6; i + 6 <= p.length; ) {
            int t = ((p[i + 2] & 0xff) << 8) | (p[i + 3] & 0xff);
            int len = ((p[i + 4] & 0xff) << 8) | (p[i + 5] & 0xff);
            if (t == type && len == 8) return ((p[i + 6] & 0xff) << 8) | (p[i + 7] & 0xff);
            if (len < 6) return -1;
            i += len;
        }
        return -1;
    }

    @Test
    void noPasswordNoChunk() {
        byte[] out = encode(HepSettings.v3(2001), sipV4());
        assertEquals(253 - 11, out.length);
    }

    @Test
    void captureIdIsUnsigned32Bits() {
        byte[] out = encode(HepSettings.v3(0xffffffffL), sipV4());
        assertArrayEquals(hex("0000 000c 000a ffffffff"), Arrays.copyOfRange(out, 0x3f, 0x49));
    }

    @Test
    void v3PacketOfExactly65535BytesFitsOneMoreDoesNot() {
        int fixed = 253 - 11 - 143; // no password: 99 bytes around the payload
        try (HepEncoder e = new HepEncoder(HepSettings.v3(1))) {
            ByteBuf max = e.encode(sip(4, "x".repeat(65535 - fixed)), alloc);
            assertNotNull(max);
            assertEquals(65535, max.readableBytes());
            assertEquals(0xffff, max.getUnsignedShort(4));
            max.release();
            assertNull(e.encode(sip(4, "x".repeat(65536 - fixed)), alloc), "the 16-bit length would wrap");
            assertEquals(65536, e.encodedLength(sip(4, "x".repeat(65536 - fixed))));
        }
    }

    @Test
    void refusedPlainPacketAllocatesNothing() {
        TrackingAllocator counting = new TrackingAllocator();
        try (HepEncoder e = new HepEncoder(HepSettings.v3(1), 65507)) {
            assertNull(e.encode(sip(4, "x".repeat(70_000)), counting));
        }
        assertEquals(0, counting.allocated());
    }

    @Test
    void udpLimitIsTheCallersChoice() {
        int fixed = 99;
        try (HepEncoder e = new HepEncoder(HepSettings.v3(1), 65507)) {
            ByteBuf ok = e.encode(sip(4, "x".repeat(65507 - fixed)), alloc);
            assertEquals(65507, ok.readableBytes());
            ok.release();
            assertNull(e.encode(sip(4, "x".repeat(65508 - fixed)), alloc));
        }
        try (HepEncoder e = new HepEncoder(new HepSettings(2, 1, null, null, false), 65507)) {
            assertNull(e.encode(sip(4, "x".repeat(65507 - 27)), alloc));
            ByteBuf ok = e.encode(sip(4, "x".repeat(65507 - 28)), alloc);
            assertEquals(65507, ok.readableBytes());
            ok.release();
        }
    }

    @Test
    void compressionLetsALargeCompressiblePayloadThrough() {
        String big = "INVITE sip:a@b SIP/2.0\r\n" + "X-Filler: abcdefghij\r\n".repeat(10_000);
        try (HepEncoder e = new HepEncoder(new HepSettings(3, 1, null, null, true), 65507);
                HepDecoder d = new HepDecoder()) {
            last = e.encode(sip(4, big), alloc);
            assertNotNull(last);
            assertTrue(last.readableBytes() < 65507);
            HepDecodeResult r = d.decode(last);
            assertTrue(r.ok(), r.detail());
            assertEquals(big, r.packet().payloadText());
            assertTrue(r.packet().compressed());
        }
    }

    @Test
    void overStreamsASipMessageOver64KbGoesCompressedInsteadOfNotAtAll() {
        String big = "INVITE sip:a@b SIP/2.0\r\nCall-ID: big@x\r\n" + "X-Filler: abcdefghij\r\n".repeat(5_000);
        assertTrue(big.length() > 100_000);
        HepSettings plain = new HepSettings(3, 1, null, null, false);
        try (HepEncoder udp = new HepEncoder(plain, 65507);
                HepEncoder stream = new HepEncoder(plain, 65535, true);
                HepDecoder d = new HepDecoder()) {
            assertNull(
                    udp.encode(sip(4, big), alloc),
                    "a datagram encoder still refuses it (counted and logged by the transport)");
            last = stream.encode(sip(4, big), alloc);
            assertNotNull(last);
            assertTrue(last.readableBytes() <= 65535);
            HepDecodeResult r = d.decode(last);
            assertTrue(r.ok(), r.detail());
            assertTrue(r.packet().compressed());
            assertEquals(big, r.packet().payloadText(), "the whole message, byte for byte");
            last.release();
            // messages that fit stay uncompressed
            last = stream.encode(sip(4, "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: s@x\r\n\r\n"), alloc);
            assertFalse(d.decode(last).packet().compressed());
        }
    }

    @Test
    void incompressibleOversizePayloadIsRefusedAndNothingLeaks() {
        byte[] noise = new byte[70_000];
        new Random(7).nextBytes(noise);
        Message m = sip(4, "");
        m.setPayload(noise, 0, noise.length);
        TrackingAllocator counting = new TrackingAllocator();
        try (HepEncoder e = new HepEncoder(new HepSettings(3, 1, null, null, true), 65507)) {
            assertNull(e.encode(m, counting));
            assertEquals(0, counting.allocated(), "the compressed size is known before allocating");
            // just under the limit still works after a refusal (the deflater was reset)
            m.setPayload(noise, 0, 60_000);
            ByteBuf ok = e.encode(m, counting);
            assertNotNull(ok);
            assertTrue(ok.readableBytes() <= 65507);
            ok.release();
        }
        assertEquals(0, counting.live());
    }

    @Test
    void timestampSplitsIntoSecondsAndMicros() {
        Message m = sipV4();
        m.setTimestampMicros(5_000_999_999L);
        try (HepEncoder e = new HepEncoder(HepSettings.v3(1));
                HepDecoder d = new HepDecoder()) {
            last = e.encode(m, UnpooledByteBufAllocator.DEFAULT);
            HepPacket p = d.decode(last).packet();
            assertEquals(5000, p.timeSeconds());
            assertEquals(999_999, p.timeMicros());
        }
    }

    @Test
    void rawIsThePayloadOnly() {
        try (HepEncoder e = new HepEncoder(HepSettings.v3(1))) {
            last = e.encodeRaw(sipV4(), alloc);
            assertArrayEquals(options(), ByteBufUtil.getBytes(last));
        }
    }
}
