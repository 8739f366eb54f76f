package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * send_hep_raw in the running agent (where every transport a plan names is wrapped for the
 * socket's counting): the collector gets each SIP payload alone, byte for byte, and the plan
 * stops after the call as captagent's does.
 */
@Offline
class SendHepRawIT {
    private static final String CAPTURE = "sip-udp-v4.pcap";

    @Test
    void each_sip_payload_arrives_alone_and_unchanged(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/raw.cfg"), """
                capture[pcap] {
                    if (parse_sip()) {
                        send_hep_raw("raw");
                    }
                    drop;
                }
                """);
        try (DatagramSocket collector =
                new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            collector.setReceiveBufferSize(4 << 20);
            Path yaml = dir.resolve("heptap.yaml");
            Files.writeString(yaml, """
                    agent:
                      capture-plans: plans
                    sockets:
                      sip:
                        port-range: 5060-5090
                        capture-plan: raw.cfg
                    transports:
                      raw:
                        type: hep
                        collectors: [ "udp:127.0.0.1:%d" ]
                    """.formatted(collector.getLocalPort()));
            Proc agent = Proc.run(
                    Duration.ofSeconds(60),
                    List.of(
                            Env.heptap().toString(),
                            "--config",
                            yaml.toString(),
                            "-r",
                            Env.corpus(CAPTURE).toString()));
            assertEquals(0, agent.exitCode(), agent.stderr());

            List<String> want = Env.expectedPayloadShas(CAPTURE);
            List<String> got = new ArrayList<>();
            collector.setSoTimeout(2000);
            byte[] buf = new byte[65536];
            for (int i = 0; i < want.size() + 5; i++) { // bounded: a few more than expected, to see extras
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    collector.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(p.getData(), 0, p.getLength());
                got.add(HexFormat.of().formatHex(sha.digest()));
                collector.setSoTimeout(500);
            }
            assertEquals(want, got, agent.stderr());
        }
    }
}
