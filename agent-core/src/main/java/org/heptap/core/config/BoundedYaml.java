package org.heptap.core.config;

import java.io.Reader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Composes one YAML document into nodes within limits that a configuration never comes near, so
 * that hostile or mistaken input is a reported problem and not an {@link OutOfMemoryError}: the
 * bundled, fully commented {@code heptap.yaml} is 19 KB with a few hundred values, while a 1 MB
 * file of short keys composes into about 150,000 nodes and more than a 64 MB heap. Each limit
 * ends the parse with a {@link MarkedYAMLException} at the line where it was crossed.
 */
final class BoundedYaml {
    /** Characters in the document; the file itself is refused earlier above {@link ConfigNode#MAX_FILE_BYTES}. */
    static final int MAX_CODE_POINTS = (int) ConfigNode.MAX_FILE_BYTES;
    /** Keys, values and list items together. */
    static final int MAX_NODES = 20_000;
    /** Mappings and lists inside each other; a configuration nests five deep. */
    static final int MAX_DEPTH = 32;
    /** Aliases ({@code *name}) of mappings and lists: each may stand for a large subtree. */
    static final int MAX_ALIASES = 50;

    private BoundedYaml() {}

    /** The document's root node, or null for an empty document. */
    static Node compose(Reader reader, LoaderOptions options) {
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        Parser parser = new CountingParser(new ParserImpl(new StreamReader(reader), options), MAX_NODES);
        return new Composer(parser, new Resolver(), options).getSingleNode();
    }

    /** Stops the parse once more than {@code max} node events (scalars, aliases, collections) have been read. */
    private static final class CountingParser implements Parser {
        private final Parser parser;
        private final int max;
        private int nodes;

        CountingParser(Parser parser, int max) {
            this.parser = parser;
            this.max = max;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return parser.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public Event getEvent() {
            Event e = parser.getEvent();
            if (isNode(e) && ++nodes > max)
                throw new LimitException(
                        e.getStartMark(),
                        "more than " + max
                                + " keys and values: far more than a configuration holds (is this the right file?)");
            return e;
        }

        private static boolean isNode(Event e) {
            return e.is(Event.ID.Scalar)
                    || e.is(Event.ID.Alias)
                    || e.is(Event.ID.MappingStart)
                    || e.is(Event.ID.SequenceStart);
        }
    }

    /** A limit crossed at a position of the document. */
    static final class LimitException extends MarkedYAMLException {
        private static final long serialVersionUID = 1L;

        LimitException(Mark mark, String problem) {
            super(null, null, problem, mark);
        }
    }
}
