package org.heptap.core.discard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.heptap.core.message.Message;
import org.junit.jupiter.api.Test;

class IpPrefixListTest {
    private static boolean has(IpPrefixList l, String ip) throws Exception {
        byte[] a = InetAddress.getByName(ip).getAddress();
        return l.contains(a, a.length);
    }

    @Test
    void addresses_and_prefixes_v4_and_v6() throws Exception {
        IpPrefixList l =
                IpPrefixList.parse(List.of("10.0.0.1", "192.0.2.0/24,198.51.100.128/25", "2001:db8::/32", "::1"));
        assertEquals(5, l.size());
        assertTrue(has(l, "10.0.0.1"));
        assertFalse(has(l, "10.0.0.2"));
        assertTrue(has(l, "192.0.2.255"));
        assertFalse(has(l, "192.0.3.0"));
        assertTrue(has(l, "198.51.100.200"));
        assertFalse(has(l, "198.51.100.127"));
        assertTrue(has(l, "2001:db8:ffff::5"));
        assertFalse(has(l, "2001:db9::"));
        assertTrue(has(l, "::1"));
        assertFalse(has(l, "::2"));
    }

    @Test
    void host_bits_of_a_prefix_are_ignored_and_zero_length_matches_all_of_a_family() throws Exception {
        IpPrefixList l = IpPrefixList.parse(List.of("192.0.2.77/29", "0.0.0.0/0"));
        assertTrue(has(l, "192.0.2.72"));
        assertTrue(has(l, "203.0.113.9"));
        assertFalse(has(l, "2001:db8::1"), "an IPv4 prefix never matches IPv6");
    }

    @Test
    void source_or_destination_of_a_message() throws Exception {
        IpPrefixList l = IpPrefixList.parse(List.of("192.0.2.0/24"));
        Message m = new Message();
        m.reset();
        byte[] in = InetAddress.getByName("192.0.2.9").getAddress();
        byte[] out = InetAddress.getByName("203.0.113.1").getAddress();
        m.setAddresses(4, out, 0, in, 0);
        assertTrue(l.matches(m));
        m.setAddresses(4, in, 0, out, 0);
        assertTrue(l.matches(m));
        m.setAddresses(4, out, 0, out, 0);
        assertFalse(l.matches(m));
    }

    @Test
    void bad_entries_name_themselves_and_names_are_not_resolved() {
        for (String bad : List.of(
                "10.0.0.300",
                "192.0.2.0/33",
                "2001:db8::/129",
                "10.0.0.1/x",
                "localhost",
                "sip.example.org",
                "1.2.3.4/-1",
                "1.2.3",
                "10")) {
            var e = assertThrows(
                    IpPrefixList.InvalidPrefixException.class, () -> IpPrefixList.parse(List.of(bad)), bad);
            assertTrue(e.getMessage().startsWith(bad.split("/")[0]), e.getMessage());
        }
    }

    @Test
    void empty_entries_make_an_empty_list() throws Exception {
        assertTrue(IpPrefixList.parse(List.of("", " , ")).isEmpty());
        assertFalse(IpPrefixList.EMPTY.matches(new Message()));
    }
}
