package org.heptap.hep.codec;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.heptap.core.message.Message;

/**
 * Decoder robustness and encoder/decoder agreement. Runs the stored inputs as a regression test
 * in every build; {@code JAZZER_FUZZ=1} fuzzes for {@code heptap.fuzz.seconds}.
 */
class HepCodecFuzzTest {
    @FuzzTest
    void decoderNeverThrows(byte[] data) {
        try (HepDecoder d = new HepDecoder(1 << 16)) {
            HepDecodeResult r = d.decode(data);
            assertNotNull(r.status());
            if (r.ok()) {
                assertTrue(r.length() <= data.length);
                assertTrue(r.packet().payload().length <= Math.max(data.length, 1 << 16));
            } else {
                assertNull(r.packet());
                assertFalse(r.detail().isEmpty());
            }
        }
    }

    @FuzzTest
    void whatWeEncodeWeDecode(FuzzedDataProvider in) {
        int version = in.consumeInt(1, 3);
        boolean compress = version == 3 && in.consumeBoolean();
        String password = in.consumeBoolean() ? in.consumeString(20) : null;
        String node = in.consumeString(20);
        HepSettings s = new HepSettings(version, in.consumeLong(0, 0xffffffffL), password, node, compress);

        Message m = new Message();
        m.reset();
        int ip = in.consumeBoolean() ? 6 : 4;
        byte[] src = in.consumeBytes(16), dst = in.consumeBytes(16);
        m.setAddresses(ip, Arrays.copyOf(src, 16), 0, Arrays.copyOf(dst, 16), 0);
        m.setIpProtocol(in.consumeInt(0, 255));
        m.setPorts(in.consumeInt(0, 65535), in.consumeInt(0, 65535));
        m.setTimestampMicros(in.consumeLong(0, 0xffffffffL * 1_000_000L + 999_999));
        m.setProtocolType(in.consumeInt(0, 255));
        if (in.consumeBoolean()) m.setVlan(in.consumeInt(0, 4095));
        byte[] cid = in.consumeBytes(in.consumeInt(0, 100));
        m.setCorrelationId(cid, 0, cid.length);
        if (in.consumeBoolean()) m.addTag("k", in.consumeAsciiString(30));
        byte[] payload = in.consumeRemainingAsBytes();
        m.setPayload(payload, 0, payload.length);

        try (HepEncoder e = new HepEncoder(s, 65507);
                HepDecoder d = new HepDecoder(1 << 20)) {
            ByteBuf buf = e.encode(m, UnpooledByteBufAllocator.DEFAULT);
            if (buf == null) {
                assertTrue(compress || e.encodedLength(m) > 65507);
                return;
            }
            try {
                assertTrue(buf.readableBytes() <= 65507);
                if (!compress) assertEquals(e.encodedLength(m), buf.readableBytes());
                HepDecodeResult r = d.decode(ByteBufUtil.getBytes(buf));
                assertTrue(r.ok(), r.detail());
                HepPacket p = r.packet();
                assertEquals(version, p.version());
                assertEquals(ip, p.ipVersion());
                assertArrayEquals(Arrays.copyOf(m.srcAddr(), ip == 6 ? 16 : 4), p.srcAddr());
                assertArrayEquals(Arrays.copyOf(m.dstAddr(), ip == 6 ? 16 : 4), p.dstAddr());
                assertEquals(m.ipProtocol(), p.ipProtocol());
                assertEquals(m.srcPort(), p.srcPort());
                assertEquals(m.dstPort(), p.dstPort());
                assertArrayEquals(payload, p.payload());
                if (version >= 2) {
                    assertEquals(m.timestampMicros(), p.timestampMicros());
                    assertEquals(version == 2 ? s.captureId() & 0xffff : s.captureId(), p.captureId());
                }
                if (version == 3) {
                    assertEquals(m.protocolType(), p.protocolType());
                    assertEquals(password, p.password());
                    assertEquals(node.isEmpty() ? null : node, p.nodeName());
                    assertEquals(m.vlan(), p.vlan());
                    assertEquals(cid.length == 0 ? null : new String(cid, StandardCharsets.UTF_8), p.correlationId());
                    assertEquals(m.tags().length() == 0 ? null : m.tags().toString(), p.tags());
                    assertEquals(compress, p.compressed());
                }
            } finally {
                buf.release();
            }
        }
    }
}
