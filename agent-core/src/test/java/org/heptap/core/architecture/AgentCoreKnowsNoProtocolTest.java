package org.heptap.core.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * agent-core is the pipeline, the plan language and the SPIs; protocols (SIP, RTCP, HEP) live in
 * modules that plug into those SPIs. Its sources may mention a protocol only in comments, where
 * they explain what a module might plug in; its pom names no module. README "Architecture".
 */
class AgentCoreKnowsNoProtocolTest {
    /** What {@code grep -ri 'sip\|rtcp\|hep\|5060'} looks for, except the project's own name. */
    static final Pattern PROTOCOL = Pattern.compile("(?i)sip|rtcp|hep(?!tap)|5060");

    /** The grep pattern as it is, and the filter after it. */
    private static final Pattern GREP = Pattern.compile("(?i)sip|rtcp|hep|5060");

    private static final Pattern HEPTAP = Pattern.compile("(?i)heptap");

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));

    @Test
    void main_sources_name_no_protocol_outside_comments() throws IOException {
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MODULE.resolve("src/main"))) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                String code = f.toString().endsWith(".java") ? withoutComments(text) : text;
                hits.addAll(protocolNames(MODULE.relativize(f).toString(), code));
            }
        }
        assertEquals(List.of(), hits, "agent-core code naming a protocol: move it into the module behind an SPI");
    }

    /**
     * The grep with the project's name set aside, line by line as
     * {@code grep -rhi 'sip\\|rtcp\\|hep\\|5060' agent-core/src/main | grep -vi heptap} reads it
     * (with the file names, as in {@code grep -ri}, every line would carry {@code org/heptap/}
     * and the filter would hide them all): every line it prints must be documentation of an SPI
     * (a comment in {@code core/spi}). The test above is stricter about code ({@code org.heptap.sip}
     * in an import is a hit there, while this grep drops the line for its {@code heptap}); this
     * one holds the README's promise.
     */
    @Test
    void the_literal_grep_finds_only_spi_documentation() throws IOException {
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MODULE.resolve("src/main"))) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String file = MODULE.relativize(f).toString();
                String[] lines = Files.readString(f, StandardCharsets.UTF_8).split("\n", -1);
                String[] code = f.toString().endsWith(".java")
                        ? withoutComments(String.join("\n", lines)).split("\n", -1)
                        : lines;
                boolean spi = file.replace('\\', '/').contains("/org/heptap/core/spi/");
                for (int i = 0; i < lines.length; i++) {
                    if (!GREP.matcher(lines[i]).find()
                            || HEPTAP.matcher(lines[i]).find()) continue;
                    boolean documentation = !GREP.matcher(code[i]).find();
                    if (!(spi && documentation)) hits.add(file + ":" + (i + 1) + ": " + lines[i].strip());
                }
            }
        }
        assertEquals(List.of(), hits, "the grep finds more than documentation of the SPIs");
    }

    @Test
    void comments_are_told_from_code() {
        String src =
                "int a; // sip here\n/* rtcp\n hep */ String s = \"// not a comment, sip\"; char c = '\"'; /** 5060 */ x();";
        assertEquals(List.of("Example.java:3: sip"), protocolNames("Example.java", withoutComments(src)));
        assertEquals(
                List.of(), protocolNames("Example.java", withoutComments("package org.heptap.core; // heptap is us")));
    }

    @Test
    void agent_core_depends_on_no_module() throws Exception {
        var pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(MODULE.resolve("pom.xml").toFile());
        NodeList deps = pom.getElementsByTagName("dependency");
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String group =
                    d.getElementsByTagName("groupId").item(0).getTextContent().trim();
            if (group.equals("org.heptap"))
                ours.add(d.getElementsByTagName("artifactId")
                        .item(0)
                        .getTextContent()
                        .trim());
        }
        assertEquals(
                List.of(),
                ours,
                "agent-core's pom depends on these heptap modules; modules depend on agent-core, not the reverse");
    }

    /** {@code FILE:LINE: match} for every protocol name in {@code code}. */
    static List<String> protocolNames(String file, String code) {
        List<String> out = new ArrayList<>();
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PROTOCOL.matcher(lines[i]);
            while (m.find()) out.add(file + ":" + (i + 1) + ": " + m.group());
        }
        return out;
    }

    /** Java source with its comments blanked (line breaks kept, so line numbers stay right). */
    static String withoutComments(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int n = src.length();
        for (int i = 0; i < n; i++) {
            char c = src.charAt(i);
            if (c == '"' || c == '\'') {
                // a literal, copied whole: a // or /* inside it is text, not a comment
                int j = i + 1;
                while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') j += src.charAt(j) == '\\' ? 2 : 1;
                j = Math.min(j, n - 1);
                out.append(src, i, j + 1);
                i = j;
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') i++;
                if (i < n) out.append('\n');
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (int k = i; k < end; k++) if (src.charAt(k) == '\n') out.append('\n');
                i = end - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
