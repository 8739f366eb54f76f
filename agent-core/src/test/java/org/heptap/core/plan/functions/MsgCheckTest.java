package org.heptap.core.plan.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.heptap.core.message.Message;
import org.heptap.core.spi.BoundCall;
import org.junit.jupiter.api.Test;

class MsgCheckTest {
    private final RecordingBindContext ctx = new RecordingBindContext();

    private BoundCall bind(String what, String value) {
        BoundCall call = MsgCheck.FUNCTION.bind(List.of(what, value), ctx);
        assertNotNull(call, ctx.errors::toString);
        return call;
    }

    private static Message ipv4(int a, int b, int c, int d, int srcPort, int e, int f, int g, int h, int dstPort) {
        Message m = new Message();
        m.reset();
        m.setAddresses(
                4,
                new byte[] {(byte) a, (byte) b, (byte) c, (byte) d},
                0,
                new byte[] {(byte) e, (byte) f, (byte) g, (byte) h},
                0);
        m.setPorts(srcPort, dstPort);
        return m;
    }

    private static Message payload(int length) {
        Message m = new Message();
        m.reset();
        m.setPayload(new byte[length + 4], 2, length);
        return m;
    }

    @Test
    void size_is_strictly_greater() {
        BoundCall size = bind("size", "100");
        assertEquals(1, size.invoke(payload(101)));
        assertEquals(-1, size.invoke(payload(100)));
        assertEquals(-1, size.invoke(payload(0)));
        assertTrue(ctx.warnings.isEmpty());
    }

    @Test
    void size_value_is_read_like_atoi_with_a_warning() {
        BoundCall size = bind("size", "abc");
        assertEquals(1, size.invoke(payload(1)));
        assertEquals(-1, size.invoke(payload(0)));
        assertEquals(
                List.of("msg_check: size value 'abc' is not a number; it is read as 0 (as C's atoi does)"),
                ctx.warnings);
    }

    @Test
    void only_the_start_of_the_field_name_counts() {
        BoundCall size = bind("size_bytes", "10");
        assertEquals(1, size.invoke(payload(11)));
        assertEquals(
                List.of("msg_check: 'size_bytes' is read as 'size' (captagent compares only the beginning of"
                        + " the name)"),
                ctx.warnings);
    }

    @Test
    void ip_tests_are_text_prefixes() {
        BoundCall src = bind("src_ip", "10.0.0.1");
        assertEquals(1, src.invoke(ipv4(10, 0, 0, 1, 1, 1, 1, 1, 1, 1)));
        assertEquals(1, src.invoke(ipv4(10, 0, 0, 15, 1, 1, 1, 1, 1, 1)));
        assertEquals(1, src.invoke(ipv4(10, 0, 0, 199, 1, 1, 1, 1, 1, 1)));
        assertEquals(-1, src.invoke(ipv4(10, 0, 1, 1, 1, 1, 1, 1, 1, 1)));
        assertEquals(-1, src.invoke(ipv4(1, 1, 1, 1, 1, 10, 0, 0, 1, 1)), "source only");
        BoundCall source = bind("source_ip", "192.168.");
        assertEquals(1, source.invoke(ipv4(192, 168, 7, 7, 1, 1, 1, 1, 1, 1)));
    }

    @Test
    void destination_and_any_ip() {
        Message m = ipv4(10, 1, 1, 1, 1, 172, 16, 0, 9, 2);
        assertEquals(1, bind("dst_ip", "172.16.").invoke(m));
        assertEquals(1, bind("destination_ip", "172.16.0.9").invoke(m));
        assertEquals(-1, bind("dst_ip", "10.").invoke(m));
        assertEquals(1, bind("any_ip", "10.").invoke(m));
        assertEquals(1, bind("any_ip", "172.").invoke(m));
        assertEquals(-1, bind("any_ip", "8.8.").invoke(m));
    }

    @Test
    void ipv6_text_is_lower_case_compressed() {
        Message m = new Message();
        m.reset();
        byte[] src = new byte[16];
        src[0] = (byte) 0xfe;
        src[1] = (byte) 0x80;
        src[15] = 1;
        m.setAddresses(6, src, 0, new byte[16], 0);
        assertEquals(1, bind("src_ip", "fe80::").invoke(m));
        assertEquals(1, bind("dst_ip", "::").invoke(m));
        assertEquals(-1, bind("src_ip", "FE80::").invoke(m));
        assertEquals(1, ctx.warnings.size(), "upper-case IPv6 never matches and says so");
    }

    @Test
    void ports_are_equality_even_for_gt_and_lt() {
        Message m = ipv4(1, 1, 1, 1, 5060, 2, 2, 2, 2, 5080);
        assertEquals(1, bind("src_port", "5060").invoke(m));
        assertEquals(-1, bind("src_port", "5061").invoke(m));
        assertEquals(1, bind("dst_port", "5080").invoke(m));
        assertTrue(ctx.warnings.isEmpty());
        assertEquals(-1, bind("src_port_gt", "5000").invoke(m), "captagent: equality, not >");
        assertEquals(1, bind("src_port_gt", "5060").invoke(m));
        assertEquals(1, bind("dst_port_lt", "5080").invoke(m));
        assertEquals(3, ctx.warnings.size());
        assertTrue(ctx.warnings.get(0).startsWith("msg_check(\"src_port_gt\", ...) tests equality, not >"));
    }

    @Test
    void impossible_port_warns() {
        bind("dst_port", "70000");
        assertEquals(List.of("msg_check: port 70000 is outside 0-65535, so this test is never true"), ctx.warnings);
    }

    @Test
    void unknown_field_is_a_bind_error_with_a_suggestion() {
        assertNull(MsgCheck.FUNCTION.bind(List.of("src_prt", "1"), ctx));
        assertEquals(
                List.of("msg_check: unknown field 'src_prt' (did you mean src_port?); known fields: size,"
                        + " src_ip, source_ip, destination_ip, dst_ip, any_ip, src_port, dst_port"),
                ctx.errors);
    }

    @Test
    void message_without_ip_layer_matches_no_address() {
        Message m = payload(5);
        assertEquals(-1, bind("src_ip", "10.").invoke(m));
        assertEquals(-1, bind("any_ip", "1").invoke(m));
    }
}
