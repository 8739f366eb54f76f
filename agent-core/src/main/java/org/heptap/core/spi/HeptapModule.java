package org.heptap.core.spi;

import java.util.List;
import org.heptap.core.config.ConfigNode;

/**
 * A protocol or transport module, found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/org.heptap.core.spi.HeptapModule}). The agent creates fresh instances
 * for every start and reload, calls {@link #configure} once with the module's YAML section
 * ({@code modules.<name>}), then asks for the functions and transports it exports. Nothing is
 * looked up by name per packet: plans bind their calls to these functions when compiled.
 */
public interface HeptapModule {
    /** Short name; also the key of this module's section under {@code modules:}. */
    String name();

    /**
     * Reads this module's settings. Report every wrong value through {@code section}
     * ({@link ConfigNode#error}) and call {@link ConfigNode#finish()} so unknown keys are caught.
     * The section is an empty mapping when the YAML has none.
     */
    default void configure(ConfigNode section, AgentContext agent) {
        section.finish();
    }

    /** Capture-plan functions this module implements. */
    default List<PlanFunction> functions() {
        return List.of();
    }

    /** Transport types this module implements (the {@code type:} of a transport profile). */
    default List<TransportProvider> transports() {
        return List.of();
    }

    /** Framers of the byte streams this module's protocol runs over (TCP), chosen per socket by name. */
    default List<StreamFramer> streamFramers() {
        return List.of();
    }

    /** Envelopes collector sockets can receive ({@code format: hep}), e.g. HEP from other agents. */
    default List<CollectorFormat> collectorFormats() {
        return List.of();
    }

    /**
     * Layers a collector's TCP listeners can put under the stream framer, chosen by the listen
     * entry's scheme ({@code tls:HOST:PORT}), e.g. TLS.
     */
    default List<ConnectionLayerProvider> connectionLayers() {
        return List.of();
    }

    /** Automatic responders for collector sockets ({@code responder: <name>}), e.g. SIP's 200 OK. */
    default List<AutoResponder> autoResponders() {
        return List.of();
    }

    /** Discard lists this module understands ({@code discard-<key>} on a socket), e.g. SIP methods. */
    default List<DiscardList> discardLists() {
        return List.of();
    }

    /**
     * Writers of this module's protocol fields for structured output ({@code send_json}), e.g.
     * the SIP Call-ID and method of a packet the plan parsed as SIP.
     */
    default List<MessageFieldWriter> messageFields() {
        return List.of();
    }

    /**
     * Kernel-filter clauses a capture socket may turn on with a key of its own, e.g. one that
     * keeps only packets shaped like this module's protocol.
     */
    default List<CaptureFilterClause> captureFilterClauses() {
        return List.of();
    }

    /** Values this module supplies for configuration keys the YAML leaves out. */
    default java.util.Map<ConfigDefault, String> configDefaults() {
        return java.util.Map.of();
    }

    /**
     * captagent plan functions of this module's protocol that heptap deliberately does not
     * implement: a plan calling one is told so, instead of "unknown function".
     */
    default java.util.Set<String> declinedFunctions() {
        return java.util.Set.of();
    }

    /**
     * Recorders of captured frames (see {@link FrameRecorder}), e.g. a ring of recent calls; the
     * agent installs them on the sockets they ask for at start and at every reload.
     */
    default List<FrameRecorder> frameRecorders() {
        return List.of();
    }

    /**
     * Commands this module answers on the control socket ({@code heptapctl NAME ...}), guarded by
     * the socket's permissions like every other command.
     */
    default List<ControlCommand> controlCommands() {
        return List.of();
    }

    /** The module's own counters (e.g. {@code sip.not-sip}) for stats and the final log line. */
    default java.util.Map<String, Long> counters() {
        return java.util.Map.of();
    }

    /**
     * Called once when the module's configuration ends: the agent stops (after transports are
     * drained), a reload replaces it, or it is refused (building it, or applying it, failed).
     * Release here what {@link #configure} set up, e.g. a listener added to another module's hook.
     */
    default void close() {}
}
