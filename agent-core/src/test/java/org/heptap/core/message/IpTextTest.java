package org.heptap.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpTextTest {
    private static String fmt(String literal) throws Exception {
        byte[] a = InetAddress.getByName(literal).getAddress();
        byte[] b = new byte[16];
        System.arraycopy(a, 0, b, 0, a.length);
        return IpText.format(b, a.length == 4 ? 4 : 6);
    }

    @Test
    void ipv4_dotted_quad() throws Exception {
        assertEquals("192.0.2.10", fmt("192.0.2.10"));
        assertEquals("255.255.255.255", fmt("255.255.255.255"));
    }

    @Test
    void ipv6_like_inet_ntop() throws Exception {
        assertEquals("::1", fmt("::1"));
        assertEquals("::", fmt("::"));
        assertEquals("2001:db8::10", fmt("2001:db8:0:0:0:0:0:10"));
        assertEquals("2001:db8:0:1:1:1:1:1", fmt("2001:db8:0:1:1:1:1:1"));
        assertEquals("2001:0:0:1::1", fmt("2001:0:0:1:0:0:0:1"));
        assertEquals("fe80::1:2", fmt("fe80::1:2"));
    }

    @Test
    void message_caches_text_per_packet() {
        Message m = new Message();
        m.reset();
        m.setAddresses(4, new byte[] {10, 0, 0, 1}, 0, new byte[] {10, 0, 0, 2}, 0);
        assertEquals("10.0.0.1", m.srcIpText());
        assertEquals("10.0.0.2", m.dstIpText());
        long seq = m.sequence();
        m.reset();
        assertEquals(seq + 1, m.sequence());
        assertEquals("", m.srcIpText());
    }
}
