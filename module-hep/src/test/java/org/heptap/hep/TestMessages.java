package org.heptap.hep;

import java.nio.charset.StandardCharsets;
import org.heptap.core.message.Message;

/** The packets of hep-wire-format.md's worked examples (§2.3, §5) as messages. */
public final class TestMessages {
    private TestMessages() {}

    /** The 143-byte OPTIONS of the examples. */
    public static final String OPTIONS = "OPTIONS sip:bob@192.0.2.20 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\n"
            + "Call-ID: c1@192.0.2.10\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n";

    public static final long TIME_MICROS = 1_700_000_000_123_456L;

    /** 192.0.2.10:5060 → 192.0.2.20:5060 UDP, 1700000000.123456, protocol type 1, the OPTIONS. */
    public static Message sipV4() {
        return sip(4, OPTIONS);
    }

    /** Same over IPv6: 2001:db8::10 → 2001:db8::20. */
    public static Message sipV6() {
        return sip(6, OPTIONS);
    }

    public static Message sip(int ipVersion, String payload) {
        Message m = new Message();
        m.reset();
        m.setTimestampMicros(TIME_MICROS);
        m.setIpProtocol(Message.IP_PROTO_UDP);
        if (ipVersion == 6) {
            m.setAddresses(6, v6(0x10), 0, v6(0x20), 0);
        } else {
            m.setAddresses(4, new byte[] {(byte) 192, 0, 2, 10}, 0, new byte[] {(byte) 192, 0, 2, 20}, 0);
        }
        m.setPorts(5060, 5060);
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        // the payload sits inside a larger buffer, like a slice of a captured frame
        byte[] frame = new byte[p.length + 50];
        System.arraycopy(p, 0, frame, 42, p.length);
        m.setPayload(frame, 42, p.length);
        m.setProtocolType(1);
        return m;
    }

    /** The RTCP variant: type 5, a JSON payload, Call-ID c1@192.0.2.10 as correlation id. */
    public static Message rtcpV4(String json) {
        Message m = sip(4, json);
        m.setProtocolType(5);
        byte[] cid = "xxc1@192.0.2.10".getBytes(StandardCharsets.US_ASCII);
        m.setCorrelationId(cid, 2, cid.length - 2);
        return m;
    }

    private static byte[] v6(int last) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[15] = (byte) last;
        return a;
    }

    /** Parses a hexdump like the doc's ({@code 0000  48 45 ... |ascii|}) into bytes. */
    public static byte[] hexDump(String dump) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String line : dump.strip().split("\n")) {
            String body = line.strip();
            int bar = body.indexOf('|');
            if (bar >= 0) body = body.substring(0, bar);
            String[] parts = body.trim().split("\\s+");
            for (int i = 1; i < parts.length; i++) out.write(Integer.parseInt(parts[i], 16));
        }
        return out.toByteArray();
    }

    public static byte[] hex(String s) {
        String h = s.replaceAll("\\s+", "");
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
