package org.heptap.hep;

import java.util.List;
import org.heptap.core.spi.CollectorFormat;
import org.heptap.core.spi.ConfigDefault;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.StreamFramer;
import org.heptap.core.spi.TransportProvider;
import org.heptap.hep.json.JsonTransportProvider;
import org.heptap.hep.json.SendJsonFunctions;
import org.heptap.hep.relay.HepCollectorFormat;
import org.heptap.hep.relay.HepStreamFramer;
import org.heptap.hep.transport.HepTransportProvider;

/**
 * HEP output: the {@code hep} transport type and captagent's transport_hep plan functions
 * ({@code send_hep}, {@code send_hep_proto}, {@code send_hep_raw}), and the relay side: the
 * {@code hep} format and stream framer of collector sockets. The module itself has no
 * settings; everything lives in the transport profiles.
 */
public final class HepModule implements HeptapModule {
    @Override
    public String name() {
        return "hep";
    }

    @Override
    public List<PlanFunction> functions() {
        List<PlanFunction> all = new java.util.ArrayList<>(SendHepFunctions.all());
        all.addAll(SendJsonFunctions.all());
        return all;
    }

    @Override
    public List<CollectorFormat> collectorFormats() {
        return List.of(new HepCollectorFormat());
    }

    @Override
    public List<StreamFramer> streamFramers() {
        return List.of(new HepStreamFramer());
    }

    @Override
    public List<TransportProvider> transports() {
        return List.of(new HepTransportProvider(), new JsonTransportProvider());
    }

    /** A transport profile without {@code type:} is a HEP collector. */
    @Override
    public java.util.Map<ConfigDefault, String> configDefaults() {
        return java.util.Map.of(ConfigDefault.TRANSPORT_TYPE, "hep");
    }
}
