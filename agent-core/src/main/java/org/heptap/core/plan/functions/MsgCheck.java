package org.heptap.core.plan.functions;

import java.util.ArrayList;
import java.util.List;
import org.heptap.core.config.Suggest;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;

/**
 * {@code msg_check(what, value)}: tests on packet metadata, with captagent's matching rules.
 * {@code what} is accepted when it starts with one of the field names, tried in captagent's
 * order; this makes {@code src_port_gt}/{@code _lt} plain equality tests, kept for compatibility.
 */
public final class MsgCheck {
    public static final PlanFunction FUNCTION = PlanFunction.of("msg_check", 2, MsgCheck::bind);

    private enum Field {
        SIZE("size"),
        SRC_IP("src_ip"),
        SOURCE_IP("source_ip"),
        DESTINATION_IP("destination_ip"),
        DST_IP("dst_ip"),
        ANY_IP("any_ip"),
        SRC_PORT("src_port"),
        DST_PORT("dst_port");

        final String keyword;

        Field(String keyword) {
            this.keyword = keyword;
        }
    }

    private MsgCheck() {}

    static BoundCall bind(List<String> args, BindContext ctx) {
        String what = args.get(0);
        String value = args.get(1);
        Field field = null;
        for (Field f : Field.values()) {
            if (what.startsWith(f.keyword)) {
                field = f;
                break;
            }
        }
        if (field == null) {
            List<String> names = new ArrayList<>();
            for (Field f : Field.values()) names.add(f.keyword);
            ctx.error("msg_check: unknown field '" + what + "'" + Suggest.hint(what, names) + "; known fields: "
                    + String.join(", ", names));
            return null;
        }
        warnAboutPrefixMatch(what, field, ctx);
        switch (field) {
            case SIZE: {
                int min = number(value, "size", ctx);
                return m -> m.payloadLength() > min ? 1 : -1;
            }
            case SRC_IP:
            case SOURCE_IP:
                checkAddressText(value, ctx);
                return m -> m.srcIpText().startsWith(value) ? 1 : -1;
            case DESTINATION_IP:
            case DST_IP:
                checkAddressText(value, ctx);
                return m -> m.dstIpText().startsWith(value) ? 1 : -1;
            case ANY_IP:
                checkAddressText(value, ctx);
                return m -> m.srcIpText().startsWith(value) || m.dstIpText().startsWith(value) ? 1 : -1;
            case SRC_PORT: {
                int port = port(value, ctx);
                return m -> m.srcPort() == port ? 1 : -1;
            }
            default: {
                int port = port(value, ctx);
                return m -> m.dstPort() == port ? 1 : -1;
            }
        }
    }

    private static void warnAboutPrefixMatch(String what, Field field, BindContext ctx) {
        if (what.equals(field.keyword)) return;
        boolean comparison = (field == Field.SRC_PORT || field == Field.DST_PORT)
                && (what.equals(field.keyword + "_gt") || what.equals(field.keyword + "_lt"));
        if (comparison) {
            ctx.warning("msg_check(\"" + what + "\", ...) tests equality, not " + (what.endsWith("_gt") ? ">" : "<")
                    + ": captagent matches it as '" + field.keyword + "' and heptap keeps that behaviour");
        } else {
            ctx.warning("msg_check: '" + what + "' is read as '" + field.keyword
                    + "' (captagent compares only the beginning of the name)");
        }
    }

    private static int number(String value, String what, BindContext ctx) {
        if (!Atoi.isPlainNumber(value)) {
            ctx.warning("msg_check: " + what + " value '" + value + "' is not a number; it is read as "
                    + Atoi.parse(value) + " (as C's atoi does)");
        }
        return Atoi.parse(value);
    }

    private static int port(String value, BindContext ctx) {
        int port = number(value, "port", ctx);
        if (port < 0 || port > 65535) {
            ctx.warning("msg_check: port " + port + " is outside 0-65535, so this test is never true");
        }
        return port;
    }

    private static void checkAddressText(String value, BindContext ctx) {
        // addresses are compared as inet_ntop prints them: IPv6 in lower case
        if (value.indexOf(':') >= 0 && !value.equals(value.toLowerCase(java.util.Locale.ROOT))) {
            ctx.warning("msg_check: IPv6 addresses are compared in lower case, so '" + value + "' never matches;"
                    + " write '" + value.toLowerCase(java.util.Locale.ROOT) + "'");
        }
    }
}
