package org.heptap.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The version the build stamped into agent-core ({@code version.txt}), shown by heptap and heptapctl. */
public final class AgentVersion {
    private AgentVersion() {}

    /** The version, or {@code dev} when the classes were not built by Maven. */
    public static String text() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("/org/heptap/core/version.txt")) {
            if (in != null) return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException ignored) {
            // fall through
        }
        return "dev";
    }
}
