package org.heptap.core.spi;

/**
 * A value the configuration takes when the YAML leaves a key out and only a module can know it
 * (the usual transport type, the ports its protocol lives on, its stream framer). agent-core
 * names the keys; the modules on the class path fill them ({@link HeptapModule#configDefaults()}).
 * A key no module fills is required where it matters, or has a neutral value (say, every port).
 */
public enum ConfigDefault {
    /** {@code transports.NAME.type}. */
    TRANSPORT_TYPE,
    /** {@code sockets.NAME.port-range} of a capture socket. */
    PORT_RANGE,
    /** {@code sockets.NAME.stream-framer}: how a TCP stream is cut into messages. */
    STREAM_FRAMER,
    /** {@code sockets.NAME.responder} of a collector socket that replies. */
    RESPONDER
}
