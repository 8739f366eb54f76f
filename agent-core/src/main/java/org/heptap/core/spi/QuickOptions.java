package org.heptap.core.spi;

import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Command-line options built with picocli's programmatic API instead of {@code @Option}
 * annotations: picocli reads annotations through the JDK's annotation parser and proxy classes
 * generated at run time, which no JDK 17 class-data archive holds, and that alone cost every
 * start ~0.15 CPU-s (bench/README.md, "Start-up with a static archive").
 */
public final class QuickOptions {
    private QuickOptions() {}

    /** An option with a value ({@code names} separated by spaces); {@code to} gets it each time it is given. */
    public static OptionSpec value(String names, String label, String description, Consumer<String> to) {
        return OptionSpec.builder(names.split(" "))
                .paramLabel(label)
                .type(String.class)
                .description(description)
                .setter(new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        if (value != null) to.accept((String) value); // null: picocli resetting, nothing given
                        return null;
                    }
                })
                .build();
    }

    /** A flag without a value; {@code given} runs when it is on the command line. */
    public static OptionSpec flag(String names, String description, Runnable given) {
        return OptionSpec.builder(names.split(" "))
                .type(boolean.class)
                .description(description)
                .setter(new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        if (Boolean.TRUE.equals(value)) given.run();
                        return null;
                    }
                })
                .build();
    }

    /**
     * An option given once or more, each value split at {@code split} (a regex; "" for none), one
     * at least ({@code arity}, e.g. "1" or "1..*" per use), all collected in {@code into}.
     */
    public static OptionSpec list(
            String names, String label, String split, String arity, String description, List<String> into) {
        return OptionSpec.builder(names.split(" "))
                .paramLabel(label)
                .type(List.class)
                .auxiliaryTypes(String.class)
                .splitRegex(split)
                .arity(arity)
                .description(description)
                .getter(new IGetter() {
                    @Override
                    @SuppressWarnings("unchecked") // picocli asks for the list it adds to
                    public <T> T get() {
                        return (T) into;
                    }
                })
                .setter(new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        if (value != into) { // null (picocli resetting) or a list of its own
                            into.clear();
                            if (value instanceof List<?> l) for (Object o : l) into.add((String) o);
                        }
                        return null;
                    }
                })
                .build();
    }
}
