package org.heptap.hep.json;

import java.util.List;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.Transport;
import org.heptap.transport.RawSender;

/**
 * {@code send_json(profile)} of captagent's output_json (capture-plan-language.md §4.6): sends
 * a JSON document describing the packet to a {@code type: json} profile and returns 1 (the
 * transport counts what it drops). The profile is resolved when the plan is compiled; a hep
 * profile is an error there, not HEP sent where JSON was meant. Other types (console) are fine.
 */
public final class SendJsonFunctions {
    private SendJsonFunctions() {}

    public static List<PlanFunction> all() {
        return List.of(PlanFunction.of("send_json", 1, SendJsonFunctions::bindSend));
    }

    static BoundCall bindSend(List<String> args, BindContext ctx) {
        Transport t = ctx.transport(args.get(0));
        if (t == null) return null; // "unknown transport" (with a suggestion) already reported at the call
        if (t.unwrap() instanceof RawSender) {
            ctx.error("send_json: transport \"" + args.get(0)
                    + "\" is a hep profile; send_json needs a profile with type: json" + " (or use send_hep)");
            return null;
        }
        return m -> {
            t.send(m);
            return 1;
        };
    }
}
