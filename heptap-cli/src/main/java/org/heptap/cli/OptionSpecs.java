package org.heptap.cli;

import java.util.List;
import org.heptap.core.spi.QuickOption;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A {@link QuickOption} as picocli's {@link OptionSpec}, built with picocli's programmatic API
 * instead of {@code @Option} annotations: picocli reads annotations through the JDK's annotation
 * parser and proxy classes generated at run time, which no JDK 17 class-data archive holds, and
 * that alone cost every start ~0.15 CPU-s (bench/README.md, "Start-up with a static archive").
 */
final class OptionSpecs {
    private OptionSpecs() {}

    /** {@code o} for picocli; {@code -h --help} and {@code -V --version} are its help options. */
    static OptionSpec of(QuickOption o) {
        OptionSpec.Builder b =
                OptionSpec.builder(o.names().toArray(String[]::new)).description(o.description());
        switch (o.kind()) {
            case VALUE ->
                b.paramLabel(o.label()).type(String.class).setter(new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        if (value != null) o.give((String) value); // null: picocli resetting, nothing given
                        return null;
                    }
                });
            case FLAG ->
                b.type(boolean.class)
                        .usageHelp(o.names().contains("--help"))
                        .versionHelp(o.names().contains("--version"))
                        .setter(new ISetter() {
                            @Override
                            public <T> T set(T value) {
                                if (Boolean.TRUE.equals(value)) o.give();
                                return null;
                            }
                        });
            case LIST ->
                b.paramLabel(o.label())
                        .type(List.class)
                        .auxiliaryTypes(String.class)
                        .splitRegex(o.split())
                        .arity(o.arity())
                        .getter(new IGetter() {
                            @Override
                            @SuppressWarnings("unchecked") // picocli asks for the list it adds to
                            public <T> T get() {
                                return (T) o.into();
                            }
                        })
                        .setter(new ISetter() {
                            @Override
                            public <T> T set(T value) {
                                List<String> into = o.into();
                                if (value != into) { // null (picocli resetting) or a list of its own
                                    into.clear();
                                    if (value instanceof List<?> l) for (Object v : l) into.add((String) v);
                                }
                                return null;
                            }
                        });
        }
        return b.build();
    }
}
