package org.heptap.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A live agent on lo for the web tests: one capture socket on two ports of the test's own (sipp's
 * UAS and UAC), a HEP transport to a hep-sink over TCP, the control socket and the web server on
 * free ports. Only the test's own sipp traffic matches its capture filter.
 */
final class WebAgent implements AutoCloseable {
    final Path dir;
    final int uasPort;
    final int uacPort;
    final int webPort;
    final Path control;
    final Proc proc;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WebAgent(Path dir, int[] ports, Proc proc) {
        this.dir = dir;
        this.uasPort = ports[0];
        this.uacPort = ports[1];
        this.webPort = ports[2];
        this.control = dir.resolve("ctl.sock");
        this.proc = proc;
    }

    /** The YAML of an agent sending to hep-sink on {@code sinkPort} (TCP), with {@code web} under web: (listen added). */
    static String yaml(Path dir, int uas, int uac, int sinkPort, int webPort, String web) {
        return """
                agent:
                  capture-plans: plans
                sockets:
                  sip:
                    device: lo
                    port-range: %d,%d
                    capture-plan: plan.cfg
                transports:
                  sink:
                    type: hep
                    host: 127.0.0.1
                    port: %d
                    proto: tcp
                control:
                  socket: %s
                web:
                  listen: 127.0.0.1:%d
                """.formatted(uas, uac, sinkPort, dir.resolve("ctl.sock"), webPort)
                + web.stripIndent().indent(2);
    }

    static final String PLAN = """
            capture[pcap] {
                if (parse_sip()) {
                    send_hep("sink");
                }
                drop;
            }
            """;

    /** Starts the agent and waits until it captures and serves the page. */
    static WebAgent start(Path dir, int sinkPort, String web) throws Exception {
        return start(dir, sinkPort, web, "");
    }

    /** The same with {@code more} (top-level YAML sections, e.g. {@code modules:}) added to its configuration. */
    static WebAgent start(Path dir, int sinkPort, String web, String more) throws Exception {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/plan.cfg"), PLAN);
        int[] ports = {Env.freeUdpPort(), Env.freeUdpPort(), Env.freeTcpPort()};
        Path yaml = Files.writeString(
                dir.resolve("heptap.yaml"), yaml(dir, ports[0], ports[1], sinkPort, ports[2], web) + more);
        Proc p = Proc.start(List.of(Env.heptap().toString(), "--config", yaml.toString()));
        WebAgent a = new WebAgent(dir, ports, p);
        try {
            LiveSippIT.waitFor(p, "socket sip: interface lo", Duration.ofSeconds(60));
            LiveSippIT.waitFor(p, "web: http", Duration.ofSeconds(10));
        } catch (AssertionError | Exception e) {
            a.close();
            throw e;
        }
        return a;
    }

    String url(String path) {
        return "http://127.0.0.1:" + webPort + path;
    }

    HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url(path)))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** heptapctl with the agent's control socket. */
    Proc ctl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(
                List.of(Env.home().resolve("bin/heptapctl").toString(), "--control", control.toString()));
        cmd.addAll(List.of(args));
        return Proc.run(Duration.ofSeconds(30), cmd);
    }

    /** sipp's UAS on the agent's port; close it after the calls. */
    Proc startUas() throws IOException {
        return Proc.start(List.of("sipp", "-sn", "uas", "-i", "127.0.0.1", "-p", String.valueOf(uasPort), "-nostdin"));
    }

    /**
     * {@code calls} calls from sipp's UAC to the UAS, {@code service} as the called number,
     * {@code rate} a second; returns once sipp is done (asserting it succeeded).
     */
    Proc calls(int calls, String service, int rate) throws Exception {
        Proc uac = Proc.run(
                Duration.ofSeconds(120),
                List.of(
                        "sipp",
                        "-sn",
                        "uac",
                        "127.0.0.1:" + uasPort,
                        "-i",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(uacPort),
                        "-s",
                        service,
                        "-m",
                        String.valueOf(calls),
                        "-r",
                        String.valueOf(rate),
                        "-d",
                        "100",
                        "-nostdin",
                        "-timeout",
                        "90s"));
        if (uac.exitCode() != 0) throw new AssertionError("sipp uac: " + uac.stdout() + uac.stderr());
        return uac;
    }

    @Override
    public void close() {
        if (proc != null) proc.close();
    }
}
