package org.heptap.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.heptap.core.capture.TestCorpus;
import org.heptap.core.decode.PacketDecoder;
import org.heptap.core.message.Message;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.QuickModeContributor;
import org.heptap.core.spi.Transport;
import org.heptap.core.transport.ConsoleTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapModuleTest {
    @TempDir
    Path dir;

    private final List<String> errors = new ArrayList<>();

    private BindContext context(Map<String, Transport> transports) {
        return new BindContext() {
            @Override
            public Transport transport(String name) {
                return transports.get(name);
            }

            @Override
            public void error(String message) {
                errors.add(message);
            }

            @Override
            public void warning(String message) {}

            @Override
            public boolean inCondition() {
                return false;
            }

            @Override
            public String socketName() {
                return "sip";
            }
        };
    }

    private PcapTransport transport(int queue) {
        return new PcapTransport(
                "files",
                new PcapSettings(dir, "n-files", Duration.ZERO, 0, false, 0, Duration.ZERO, queue),
                false,
                System::currentTimeMillis);
    }

    @Test
    void the_module_and_its_quick_flags_are_found_by_the_service_loader() {
        assertTrue(ServiceLoader.load(HeptapModule.class).stream().anyMatch(p -> p.type() == PcapModule.class));
        assertTrue(
                ServiceLoader.load(QuickModeContributor.class).stream().anyMatch(p -> p.type() == PcapQuickMode.class));
    }

    @Test
    void send_pcap_binds_to_a_pcap_profile_only() {
        PcapTransport files = transport(4);
        Transport console = new ConsoleTransport("console", false, System.out, java.time.ZoneOffset.UTC);
        BindContext ctx = context(Map.of("files", files, "console", console));
        BoundCall call = PcapModule.bindSendPcap(List.of("files"), ctx);
        assertNotNull(call, errors.toString());
        Message m = new Message();
        m.reset();
        assertEquals(1, call.invoke(m));
        assertEquals(1, files.counters().get("queued"), "sent to the profile");
        assertNull(PcapModule.bindSendPcap(List.of("console"), ctx));
        assertEquals(
                List.of("send_pcap: transport \"console\" is not a pcap profile; give it type: pcap, or send to it with"
                        + " send_hep(\"console\")"),
                errors);
    }

    @Test
    void send_allocates_nothing_once_its_slots_are_warm() throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (PcapFileSource src = PcapFileSource.open(TestCorpus.file("sip-udp-v4.pcap"))) {
            Frame f = new Frame();
            while (src.next(f) == PacketSource.PACKET) {
                Frame copy = new Frame();
                copy.data = java.util.Arrays.copyOfRange(f.data, f.offset, f.offset + f.length);
                copy.length = f.length;
                copy.wireLength = f.wireLength;
                copy.linkType = f.linkType;
                copy.setTimeMicros(f.timestampMicros);
                frames.add(copy);
            }
        }
        PcapTransport t = transport(64);
        t.start();
        try {
            PacketDecoder decoder = new PacketDecoder();
            Message m = new Message();
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            org.heptap.core.spi.MessageSink sink = t::send;
            long allocated = 0;
            for (int round = 0; round < 3; round++) { // the first rounds warm the slots and the JIT
                long before = threads.getCurrentThreadAllocatedBytes();
                for (Frame f : frames) decoder.decode(f, m, sink);
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(t.drain(Duration.ofSeconds(10)));
            }
            assertTrue(allocated < 1024, allocated + " bytes allocated sending " + frames.size() + " frames");
        } finally {
            t.close();
        }
    }
}
