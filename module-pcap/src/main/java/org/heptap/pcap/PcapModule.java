package org.heptap.pcap;

import java.util.List;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.Transport;
import org.heptap.core.spi.TransportProvider;

/**
 * pcap files: the {@code pcap} transport type and {@code send_pcap("profile")}. Any send function
 * sends to any profile ({@code send_hep("files")} writes pcap too, which is how captagent plans
 * reach a pcap profile unchanged); {@code send_pcap} says what it does and refuses a profile that
 * is not {@code type: pcap}, so a typo in a plan cannot send HEP by mistake.
 */
public final class PcapModule implements HeptapModule {
    @Override
    public String name() {
        return "pcap";
    }

    @Override
    public List<TransportProvider> transports() {
        return List.of(new PcapTransportProvider());
    }

    @Override
    public List<PlanFunction> functions() {
        return List.of(PlanFunction.of("send_pcap", 1, PcapModule::bindSendPcap));
    }

    /** {@code send_pcap(profile)}: returns 1 like the other send functions, even when the write is dropped (counted). */
    static BoundCall bindSendPcap(List<String> args, BindContext ctx) {
        Transport t = ctx.transport(args.get(0));
        if (t == null) return null; // "unknown transport" already reported at the call
        if (!(t.unwrap() instanceof PcapTransport)) {
            ctx.error("send_pcap: transport \"" + args.get(0) + "\" is not a pcap profile; give it type: pcap, or send"
                    + " to it with send_hep(\"" + args.get(0) + "\")");
            return null;
        }
        return m -> {
            t.send(m);
            return 1;
        };
    }
}
