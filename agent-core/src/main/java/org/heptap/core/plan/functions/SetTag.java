package org.heptap.core.plan.functions;

import java.util.List;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;

/** {@code set_tag(key, value)}: appends {@code key=value} to the message tags (which encoders put on the wire); 1. */
public final class SetTag {
    public static final PlanFunction FUNCTION = PlanFunction.of("set_tag", 2, SetTag::bind);

    private SetTag() {}

    static BoundCall bind(List<String> args, BindContext ctx) {
        String key = args.get(0);
        String value = args.get(1);
        if (key.isEmpty()) {
            ctx.warning("set_tag: the tag name is empty");
        }
        // tags travel as "k1=v1;k2=v2": these characters would change how a collector splits them
        if (key.indexOf('=') >= 0 || key.indexOf(';') >= 0 || value.indexOf(';') >= 0) {
            ctx.warning("set_tag: '=' in the name or ';' anywhere will be read as a separator by collectors");
        }
        return m -> {
            m.addTag(key, value);
            return 1;
        };
    }
}
