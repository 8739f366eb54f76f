package org.heptap.core.spi;

import java.util.Map;

/**
 * What a quick-flag run's own options say, for {@link QuickModeContributor}s to build their
 * sockets from. Null means "not given": the socket then takes the configuration's default.
 *
 * @param device         {@code -i}: the capture device, or null
 * @param readFile       {@code -r}: the capture file replayed instead, or null
 * @param ports          {@code -p}: the port ranges as typed, or null for the module's own
 * @param kernelBuffer   {@code -b}: the kernel buffer size with its unit, or null
 * @param defrag         false for {@code --no-defrag}
 * @param tcpReassembly  false for {@code --no-tcp}
 * @param decapsulation  false for {@code --no-decap}
 * @param dedup          true for {@code --dedup}
 * @param discardIps     {@code --discard-ips}, or null
 * @param discardLists   the {@code discard-KEY} lists given on the command line, by KEY
 * @param captureSockets whether capture sockets belong in this run (no collector runs alone,
 *                       or {@code -i}/{@code -r} asked for capture too)
 * @param mode           the words of {@code -m}, lower case (see
 *                       {@link QuickModeContributor#modeWords}), or null when not given
 */
public record QuickRun(
        String device,
        String readFile,
        String ports,
        String kernelBuffer,
        Boolean defrag,
        Boolean tcpReassembly,
        Boolean decapsulation,
        Boolean dedup,
        String discardIps,
        Map<String, String> discardLists,
        boolean captureSockets,
        java.util.List<String> mode) {

    /** Whether {@code -m} asks for {@code word}: it does when it names it, or when {@code -m} was not given. */
    public boolean includes(String word) {
        return mode == null || mode.contains(word);
    }

    /** The device to capture on: {@code -i}, or every interface. */
    public String deviceOrAny() {
        return device != null ? device : "any";
    }
}
