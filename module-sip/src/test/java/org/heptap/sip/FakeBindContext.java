package org.heptap.sip;

import java.util.ArrayList;
import java.util.List;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.Transport;

/** Records what a binder reports. */
final class FakeBindContext implements BindContext {
    final List<String> errors = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    boolean inCondition;

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
        return inCondition;
    }

    @Override
    public String socketName() {
        return "socketspcap_sip";
    }
}
