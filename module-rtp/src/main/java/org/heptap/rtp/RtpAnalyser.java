package org.heptap.rtp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heptap.core.message.Message;
import org.heptap.core.spi.SocketTimer;
import org.heptap.core.spi.Transport;
import org.heptap.sip.CallRoundTrips;

/**
 * RTP analysis of one capture socket, run on that socket's thread only: SDP announcements from the
 * SIP side ({@link AnnouncementQueue}) feed the {@link RtpStreamTable}, every RTP packet updates
 * its stream, and on the socket's timer each stream gets an interval report every
 * {@code interval} and one final report when it ends: its call's BYE plus the grace period, no
 * packet for {@code rtp-timeout}, or the end of input (end of a replayed file, the agent
 * stopping). Per packet nothing is allocated; the hand-off costs one volatile read.
 *
 * <p>RTP that comes before its SDP (live, the answer's SDP and the first media race across the
 * two capture threads) is held by the table ({@link PendingRtp}, {@code modules.rtp.hold-*})
 * and replayed into its stream when the SDP comes in time; on each tick held flows are swept.
 * Every RTP packet is counted once: analysed ({@code rtp-packets}, replayed ones included),
 * {@code unannounced}, or held now ({@code held-now}).
 */
final class RtpAnalyser implements SocketTimer {
    /** The timer period: fine enough for timeouts and BYE grace, coarse enough to cost nothing. */
    static final long TICK_MICROS = 1_000_000;

    private final String socket;
    private final RtpSettings settings;
    private final RtpStreamTable table;
    private final AnnouncementQueue queue;
    private final RtpQuality quality;
    private final RtpReportSender sender;
    /** Per stream slot: packet time of its last report (its first packet before any). */
    private final long[] lastReport;
    /** Calls whose BYE was seen, with the time their streams end (BYE + grace), in the order they ended. */
    private final LinkedHashMap<String, Long> ending = new LinkedHashMap<>();

    private long lastTick = Long.MIN_VALUE;
    /** Time of the packet (or tick) being handled: when a stream it evicts is reported. */
    private long packetMicros;
    // counters: written by the socket's thread, read racily by stats and metrics
    private long packets;
    private long notRtp;
    private long streamsStarted;
    private long streamsEnded;
    private long intervalReports;
    private long finalReports;
    private long announcements;
    private long callsEnded;

    RtpAnalyser(String socket, RtpSettings settings, RtpQuality quality, CallRoundTrips roundTrips) {
        this.socket = socket;
        this.sender = new RtpReportSender(roundTrips);
        this.settings = settings;
        this.quality = quality;
        this.table = new RtpStreamTable(
                settings.maxStreams(), settings.maxEndpoints(), settings.natMatching(), settings.pending());
        this.queue = new AnnouncementQueue(settings.handoffSize());
        this.lastReport = new long[settings.maxStreams()];
        table.onEviction(this::evicted);
        table.onStart(this::started);
    }

    AnnouncementQueue queue() {
        return queue;
    }

    void addDestination(String name, Transport t) {
        sender.addDestination(name, t);
    }

    /**
     * One packet: 1 when it belongs to a stream an SDP announced (analysed), -1 otherwise (not
     * RTP, or media nobody announced: only counted).
     */
    int analyse(Message m) {
        if (queue.pending()) takeAnnouncements();
        if (m.ipVersion() == 0) return -1;
        ParsedRtp parsed = ParsedRtp.of(m);
        if (!parsed.isRtp()) {
            notRtp++;
            return -1;
        }
        RtpHeader header = parsed.header;
        long now = m.timestampMicros();
        packetMicros = now;
        int s = table.packet(
                m.srcAddr(), m.dstAddr(), m.addrLength(), m.srcPort(), m.dstPort(), header, now, m.payloadLength());
        if (s < 0) return -1;
        packets++;
        return 1;
    }

    /** A new stream: its reports count from its first packet (a held one, if any). */
    private void started(int s) {
        lastReport[s] = table.stats(s).firstMicros();
        streamsStarted++;
    }

    private void takeAnnouncements() {
        for (Announcement a = queue.poll(); a != null; a = queue.poll()) {
            announcements++;
            if (a.bye) {
                if (!ending.containsKey(a.callId)) {
                    ending.put(a.callId, a.micros + settings.byeGrace().toNanos() / 1000);
                    callsEnded++;
                    // bounded like the endpoints: beyond, the oldest ending call ends now
                    if (ending.size() > settings.maxEndpoints())
                        endCall(ending.keySet().iterator().next(), a.micros);
                }
                continue;
            }
            for (int i = 0; i < a.endpoints(); i++) {
                byte[] addr = a.addresses[i];
                table.announce(addr, 0, addr.length, a.ports[i], a.types, a.callId);
            }
        }
    }

    @Override
    public void tick(long now) {
        if (now == lastTick) return; // bound at several call sites: one turn per tick
        lastTick = now;
        packetMicros = now;
        if (queue.pending()) takeAnnouncements();
        table.sweep(now);
        Set<String> ended = endedCalls(now);
        long interval = settings.interval().toNanos() / 1000;
        long timeout = settings.rtpTimeout().toNanos() / 1000;
        List<StreamQuality> snapshot = new ArrayList<>();
        for (int s = 0; s < table.capacity(); s++) {
            if (!table.active(s)) continue;
            RtpStreamStats st = table.stats(s);
            if (ended.contains(table.callId(s)) || now - st.lastMicros() >= timeout) {
                finish(s, now);
            } else {
                if (now - lastReport[s] >= interval) {
                    sender.report(table, s, now, false, false);
                    intervalReports++;
                    lastReport[s] = now;
                }
                snapshot.add(sender.measure(table, s, now, false));
            }
        }
        for (String call : ended) {
            ending.remove(call);
            table.forgetCall(call);
        }
        quality.publish(socket, snapshot);
    }

    @Override
    public void endOfInput(long now) {
        packetMicros = now;
        if (queue.pending()) takeAnnouncements();
        table.sweep(now);
        table.releaseHeld(); // no SDP comes any more: unannounced
        for (int s = 0; s < table.capacity(); s++) if (table.active(s)) finish(s, now);
        lastTick = Long.MIN_VALUE;
        quality.publish(socket, List.of());
    }

    /** Calls whose BYE grace is over at {@code now}. */
    private Set<String> endedCalls(long now) {
        if (ending.isEmpty()) return Set.of();
        Set<String> out = new HashSet<>();
        for (Map.Entry<String, Long> e : ending.entrySet()) {
            if (e.getValue() > now) break; // in the order they ended, with the same grace
            out.add(e.getKey());
        }
        return out;
    }

    private void endCall(String callId, long now) {
        ending.remove(callId);
        for (int s = 0; s < table.capacity(); s++) {
            if (table.active(s) && callId.equals(table.callId(s))) finish(s, now);
        }
        table.forgetCall(callId);
    }

    private void finish(int s, long now) {
        StreamQuality q = sender.report(table, s, now, true, false);
        finalReports++;
        streamsEnded++;
        table.remove(s);
        quality.finalReport(q);
    }

    /**
     * The full table makes room for a new stream by evicting its oldest: that stream ends here, with
     * a final report flagged {@code "evicted": true}, so no measured stream vanishes unreported
     * (counted as {@code streams-evicted}, not {@code streams-ended}). Rare, on the packet's path:
     * it may allocate, as any report does.
     */
    private void evicted(int s) {
        StreamQuality q = sender.report(table, s, packetMicros, true, true);
        finalReports++;
        quality.finalReport(q);
    }

    /** This socket's counters, summed by the module over its sockets. */
    void addCounters(Map<String, Long> c) {
        c.merge("rtp-packets", packets + table.replayed(), Long::sum);
        c.merge("not-rtp", notRtp, Long::sum);
        c.merge("unannounced", table.unannounced(), Long::sum);
        c.merge("held", table.held(), Long::sum);
        c.merge("held-replayed", table.replayed(), Long::sum);
        c.merge("held-now", table.holding(), Long::sum);
        c.merge("held-flows-evicted", table.heldFlowEvictions(), Long::sum);
        c.merge("streams-active", (long) table.streams(), Long::sum);
        c.merge("streams-started", streamsStarted, Long::sum);
        c.merge("streams-ended", streamsEnded, Long::sum);
        c.merge("streams-evicted", table.evictions(), Long::sum);
        c.merge("endpoints", (long) table.endpoints(), Long::sum);
        c.merge("endpoints-evicted", table.endpointEvictions(), Long::sum);
        c.merge("announcements", announcements, Long::sum);
        c.merge("handoff-dropped", queue.dropped(), Long::sum);
        c.merge("calls-ended", callsEnded, Long::sum);
        c.merge("interval-reports", intervalReports, Long::sum);
        c.merge("final-reports", finalReports, Long::sum);
        c.merge("reports-refused", sender.refused(), Long::sum);
        if (settings.natMatching()) {
            c.merge("nat-port-matches", table.portMatches(), Long::sum);
            c.merge("nat-ssrc-matches", table.ssrcMatches(), Long::sum);
        }
    }

    // visible for tests
    RtpStreamTable table() {
        return table;
    }

    Iterator<String> endingCalls() {
        return ending.keySet().iterator();
    }
}
