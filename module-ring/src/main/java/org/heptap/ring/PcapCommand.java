package org.heptap.ring;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.heptap.core.spi.ControlCommand;
import org.heptap.core.spi.ControlReply;

/**
 * {@code heptapctl pcap --call-id ID | --user NUMBER [--media] [--since T] [--until T]}: the
 * selected calls from the ring as one pcap file, frames and times as captured, in capture order.
 * Calls are selected whole: a time window picks the calls active in it, not frames.
 */
final class PcapCommand implements ControlCommand {
    private final Supplier<Ring> ring;

    PcapCommand(Supplier<Ring> ring) {
        this.ring = ring;
    }

    @Override
    public String name() {
        return "pcap";
    }

    @Override
    public String summary() {
        return "calls from the ring as a pcap file";
    }

    @Override
    public void run(List<String> args, ControlReply reply) throws IOException {
        Ring r = ring.get();
        if (r == null) {
            reply.error(CallsCommand.NO_RING);
            return;
        }
        CommandWords w;
        long since;
        long until;
        try {
            w = CommandWords.parse("pcap", args, Set.of("call-id", "user", "media", "since", "until"));
            since = w.number("since", Long.MIN_VALUE);
            until = w.number("until", Long.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            reply.error(e.getMessage());
            return;
        }
        String callId = w.get("call-id");
        String user = w.get("user");
        if (callId == null && user == null) {
            reply.error("pcap needs call-id=ID or user=NUMBER");
            return;
        }
        long oldest = r.store.oldestTime();
        List<CallInfo> calls = r.recorder.calls(
                c -> c.lastTime() >= oldest && (user == null || c.hasUser(user)) && c.overlaps(since, until),
                Integer.MAX_VALUE);
        long[] numbers;
        if (callId != null) {
            List<Long> withId = r.recorder.callsWithId(callId.getBytes(StandardCharsets.UTF_8));
            numbers = calls.stream()
                    .mapToLong(CallInfo::number)
                    .filter(withId::contains)
                    .sorted()
                    .toArray();
        } else {
            numbers = calls.stream().mapToLong(CallInfo::number).sorted().toArray();
        }
        if (numbers.length == 0) {
            reply.error("no call "
                    + (callId != null ? "with Call-ID " + callId : "of user " + user)
                    + (since != Long.MIN_VALUE || until != Long.MAX_VALUE ? " in that time window" : "")
                    + " in the ring (heptapctl calls lists what it holds)");
            return;
        }
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("calls", numbers.length);
        OutputStream out = reply.binary(head);
        RingExport.Result res;
        try (BufferedOutputStream buffered = new BufferedOutputStream(new NonClosing(out), 1 << 16)) {
            res = RingExport.write(r.store, numbers, w.has("media"), buffered);
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("calls", numbers.length);
        end.put("frames", res.frames());
        if (res.otherLinkType() > 0) end.put("skipped-other-link-type", res.otherLinkType());
        end.put(
                "text",
                res.frames() + " frame(s) of " + numbers.length + " call(s)"
                        + (res.otherLinkType() > 0
                                ? "; " + res.otherLinkType()
                                        + " frame(s) of another link type left out (a pcap file has one)"
                                : "")
                        + "\n");
        reply.end(end);
    }

    /** The reply's stream stays open for the end line when the buffer around it closes. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
