package org.heptap.ring;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.heptap.core.capture.Frame;
import org.heptap.core.decode.PacketDecoder;
import org.heptap.core.message.IpText;
import org.heptap.core.message.Message;
import org.heptap.core.spi.CallRecords;

/**
 * The ring's calls for readers other than the control socket (the web page, through
 * {@link CallRecords}): the same call index {@code heptapctl calls --recent} lists, each call's
 * SIP messages decoded from its kept frames, and its pcap as {@code heptapctl pcap --media}
 * writes it. Runs on the reader's thread; a scan of the ring holds its read lock, never the
 * recorder's.
 */
final class RingCallSource implements CallRecords.Source {
    private final Supplier<Ring> ring;

    RingCallSource(Supplier<Ring> ring) {
        this.ring = ring;
    }

    @Override
    public List<CallRecords.Call> calls(CallRecords.Query q) {
        Ring r = ring.get();
        if (r == null) return List.of();
        long oldest = r.store.oldestTime();
        String text = q.text() == null ? null : q.text().toLowerCase(Locale.ROOT);
        List<CallInfo> found = r.recorder.calls(
                c -> c.lastTime() >= oldest
                        && c.overlaps(q.sinceNanos(), q.untilNanos())
                        && (q.number() == null || c.hasUser(q.number()))
                        && (q.callId() == null || c.callId().equals(q.callId()))
                        && (text == null || contains(c, text)),
                Math.max(1, q.limit()));
        List<CallRecords.Call> out = new ArrayList<>(found.size());
        for (CallInfo c : found)
            out.add(new CallRecords.Call(
                    c.callId(), c.from(), c.to(), c.state(), c.firstTime(), c.lastTime(), c.frames()));
        return out;
    }

    private static boolean contains(CallInfo c, String text) {
        return c.callId().toLowerCase(Locale.ROOT).contains(text)
                || c.from().toLowerCase(Locale.ROOT).contains(text)
                || c.to().toLowerCase(Locale.ROOT).contains(text)
                || c.uriUser().toLowerCase(Locale.ROOT).contains(text);
    }

    /** The kept calls with this Call-ID (a Call-ID forgotten and seen again is two), sorted; empty when none. */
    static long[] numbers(Ring r, String callId) {
        long oldest = r.store.oldestTime();
        List<Long> withId = r.recorder.callsWithId(callId.getBytes(StandardCharsets.UTF_8));
        if (withId.isEmpty()) return new long[0];
        return r.recorder.calls(c -> c.lastTime() >= oldest && withId.contains(c.number()), withId.size()).stream()
                .mapToLong(CallInfo::number)
                .sorted()
                .toArray();
    }

    @Override
    public List<CallRecords.Exchange> messages(String callId, int max) {
        Ring r = ring.get();
        if (r == null) return null;
        long[] calls = numbers(r, callId);
        if (calls.length == 0) return null;
        List<CallRecords.Exchange> out = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder();
        Message m = new Message();
        Frame f = new Frame();
        try {
            r.store.scan((time, flags, linkType, wireLength, call, buf, off, length) -> {
                if ((flags & RingStore.FLAG_SIGNALLING) == 0
                        || out.size() >= max
                        || java.util.Arrays.binarySearch(calls, call) < 0) return;
                f.ensureCapacity(length);
                System.arraycopy(buf, off, f.data, 0, length);
                f.length = length;
                f.wireLength = wireLength;
                f.linkType = linkType;
                f.setTimeNanos(time);
                decoder.decode(f, m, msg -> addMessages(msg, time, out, max));
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading the ring: " + e.getMessage(), e);
        }
        return out;
    }

    /** The SIP messages of one payload: one in a datagram, one or more (each sized by Content-Length) in a TCP segment. */
    private static void addMessages(Message msg, long time, List<CallRecords.Exchange> out, int max) {
        String src = address(msg.srcAddr(), msg.ipVersion(), msg.srcPort());
        String dst = address(msg.dstAddr(), msg.ipVersion(), msg.dstPort());
        String transport = msg.ipProtocol() == Message.IP_PROTO_TCP ? "tcp" : "udp";
        String payload = new String(msg.payload(), msg.payloadOffset(), msg.payloadLength(), StandardCharsets.UTF_8);
        for (String text : MessageSplitter.split(payload)) {
            if (out.size() >= max) return;
            out.add(new CallRecords.Exchange(time, src, dst, transport, text));
        }
    }

    private static String address(byte[] addr, int version, int port) {
        String ip = IpText.format(addr, version);
        return (version == 6 ? "[" + ip + "]" : ip) + ":" + port;
    }

    @Override
    public boolean pcap(String callId, OutputStream out) throws IOException {
        Ring r = ring.get();
        if (r == null) return false;
        long[] calls = numbers(r, callId);
        if (calls.length == 0) return false;
        RingExport.write(r.store, calls, true, out);
        return true;
    }
}
