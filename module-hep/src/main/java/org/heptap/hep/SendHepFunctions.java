package org.heptap.hep;

import java.util.List;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.Transport;
import org.heptap.hep.json.JsonTransport;

/**
 * The send functions of captagent's transport_hep (capture-plan-language.md §4.5). The profile
 * name is resolved once, when the plan is compiled; the call then sends to whatever transport
 * that profile is (HEP, console, ...). Sends never modify the message, so the captagent
 * "keep the payload" argument is accepted and ignored, and a second send sees the same packet.
 *
 * <p>Return values are captagent's: 1 even when the transport dropped the packet (it counts
 * drops itself), and 0 for {@code send_hep_raw}, which therefore ends the plan like {@code drop}.
 */
final class SendHepFunctions {
    private SendHepFunctions() {}

    static List<PlanFunction> all() {
        return List.of(
                PlanFunction.of("send_hep", 1, SendHepFunctions::bindSend),
                PlanFunction.of("send_hep", 2, SendHepFunctions::bindSend),
                PlanFunction.of("send_hep_proto", 2, SendHepFunctions::bindSendProto),
                PlanFunction.of("send_hep_raw", 1, SendHepFunctions::bindSendRaw));
    }

    /** {@code send_hep(profile)} and {@code send_hep(profile, keep)}. */
    static BoundCall bindSend(List<String> args, BindContext ctx) {
        Transport t = ctx.transport(args.get(0));
        if (t == null) return null; // "unknown transport" already reported at the call
        if (!isHepOrOther(t, "send_hep", args.get(0), ctx)) return null;
        return m -> {
            t.send(m);
            return 1;
        };
    }

    /** {@code send_hep_proto(profile, type)}: sets the HEP protocol type for the rest of the run, then sends. */
    static BoundCall bindSendProto(List<String> args, BindContext ctx) {
        int type = parseProtocolType(args.get(1));
        if (type < 0) {
            ctx.error(
                    "send_hep_proto: protocol type must be a number from 0 to 255 (1 SIP, 5 RTCP JSON, 99 QoS report...), not \""
                            + args.get(1) + "\"");
        }
        Transport t = ctx.transport(args.get(0));
        if (t == null || type < 0 || !isHepOrOther(t, "send_hep_proto", args.get(0), ctx)) return null;
        return m -> {
            m.setProtocolType(type);
            t.send(m);
            return 1;
        };
    }

    /**
     * {@code send_hep_raw(profile)}: the payload without HEP, to a hep profile's collector. Other
     * transport types have no raw form, so binding to them is an error.
     */
    static BoundCall bindSendRaw(List<String> args, BindContext ctx) {
        Transport t = ctx.transport(args.get(0));
        if (t == null) return null;
        Transport raw = t.variant(org.heptap.transport.RawSender.RAW);
        if (raw == null) {
            ctx.error("send_hep_raw: transport \"" + args.get(0)
                    + "\" is not a hep transport; only hep profiles can send a raw payload");
            return null;
        }
        ctx.warning("send_hep_raw returns 0 like captagent's, so the plan "
                + (ctx.inCondition() ? "ends here when it is used in a condition" : "stops after this call"));
        return m -> {
            raw.send(m);
            return 0;
        };
    }

    /** False (and an error at the call) for a json profile: its documents are send_json's. */
    private static boolean isHepOrOther(Transport t, String function, String profile, BindContext ctx) {
        if (t.unwrap() instanceof JsonTransport) {
            ctx.error(function + ": transport \"" + profile + "\" is a json profile; send it JSON with send_json(\""
                    + profile + "\"), or name a profile with type: hep");
            return false;
        }
        return true;
    }

    /** A decimal 0-255 (the type chunk is one byte), or -1. Stricter than captagent's atoi on purpose. */
    static int parseProtocolType(String s) {
        String v = s.trim();
        if (v.isEmpty() || v.length() > 3) return -1;
        int n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n <= 255 ? n : -1;
    }
}
