package org.heptap.core.plan.functions;

import java.util.ArrayList;
import java.util.List;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.Transport;

/** A bind context that keeps what a function reported. */
final class RecordingBindContext implements BindContext {
    final List<String> errors = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    private final String socket;

    RecordingBindContext() {
        this("");
    }

    RecordingBindContext(String socket) {
        this.socket = socket;
    }

    @Override
    public Transport transport(String name) {
        return null;
    }

    @Override
    public void error(String message) {
        errors.add(message);
    }

    @Override
    public void warning(String message) {
        warnings.add(message);
    }

    @Override
    public boolean inCondition() {
        return false;
    }

    @Override
    public String socketName() {
        return socket;
    }
}
