package org.heptap.e2e;

import static org.heptap.e2e.LiveSippIT.waitFor;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test call over IPv6 on lo and the live quick-flag agent that watches it: {@code heptap -i lo
 * -p SIP_UAS -H udp:SINK} with a fresh hep-sink, and a bound socket on {@code ::1} for each side's
 * SIP and media, every port from the free-port helper (so other traffic on lo does not matter).
 * Started once the agent's SIP socket and its media socket are capturing; {@link #close} stops
 * everything it started.
 */
final class LiveV6Call implements AutoCloseable {
    final InetAddress v6;
    final int sipUac = Env.freeUdpPort();
    final int sipUas = Env.freeUdpPort();
    final int mediaUac = Env.freeUdpPort();
    final int mediaUas = Env.freeUdpPort();
    final HepSink sink;
    final Proc agent;
    final DatagramSocket uac;
    final DatagramSocket uas;
    final DatagramSocket mediaA;
    final DatagramSocket mediaB;
    /** How to stop what it started, in the order it was started. */
    private final List<Runnable> started = new ArrayList<>();

    private LiveV6Call(String mediaSocket) throws Exception {
        try {
            v6 = InetAddress.getByName("::1");
            sink = HepSink.startUdp();
            started.add(sink::close);
            agent = Proc.start(List.of(
                    Env.heptap().toString(),
                    "-i",
                    "lo",
                    "-p",
                    Integer.toString(sipUas),
                    "-H",
                    "udp:127.0.0.1:" + sink.udpPort));
            started.add(agent::close);
            uac = bound(sipUac);
            uas = bound(sipUas);
            mediaA = bound(mediaUac);
            mediaB = bound(mediaUas);
            waitFor(agent, "socket sip: interface lo", Duration.ofSeconds(60));
            waitFor(agent, "socket " + mediaSocket + ": interface lo", Duration.ofSeconds(60));
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** The call's sockets and its agent, capturing on its SIP socket and on {@code mediaSocket} (rtp, rtcp). */
    static LiveV6Call start(String mediaSocket) throws Exception {
        return new LiveV6Call(mediaSocket);
    }

    private DatagramSocket bound(int port) throws SocketException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(v6, port));
        started.add(s::close);
        return s;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) started.get(i).run();
        started.clear();
    }
}
