package org.heptap.core.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heptap.core.capture.Frame;
import org.heptap.core.decode.DecodeOptions;
import org.heptap.core.decode.DecodeResult;
import org.heptap.core.decode.PacketDecoder;
import org.heptap.core.message.Message;
import org.heptap.core.spi.MessageSink;

/**
 * A file replay's one reader hands each frame to the capture sockets as their kernel filters
 * would live: the frame is decoded once for all sockets of the same decode options, and the
 * packet goes to each socket whose filter {@link SocketPipeline#captures captures} it (transport,
 * ports, modules' shape clauses), in the sockets' order. A frame that yields no packet (a held
 * fragment, a malformed or non-IP frame) is counted by each socket, as before. A socket that
 * does not capture a packet has its clock moved to the packet's time ({@link
 * SocketPipeline#replayIdle}), as a live socket's clock moves with the wall.
 *
 * <p>Live, a socket decodes only what its kernel filter passed; a replay used to decode every
 * frame of the file in every socket and run each socket's plan on packets its filter would have
 * dropped.
 */
final class ReplayFanout {
    private final Group[] groups;

    ReplayFanout(SocketPipeline[] sockets) {
        Map<DecodeOptions, List<SocketPipeline>> byOptions = new LinkedHashMap<>();
        for (SocketPipeline p : sockets) {
            byOptions
                    .computeIfAbsent(p.settings().decode(), o -> new ArrayList<>())
                    .add(p);
        }
        groups = byOptions.values().stream()
                .map(ps -> new Group(ps.toArray(new SocketPipeline[0])))
                .toArray(Group[]::new);
    }

    void onFrame(Frame frame) {
        for (int i = 0; i < groups.length; i++) groups[i].onFrame(frame);
    }

    /** How many decoders the replay runs: one per distinct decode options. */
    int decoders() {
        return groups.length;
    }

    /** Sockets of the same decode options and their one decoder (the first socket's). */
    private static final class Group {
        private final SocketPipeline[] members;
        private final PacketDecoder decoder;
        private final Message decoded = new Message();
        /** Which members capture the packet being delivered. */
        private final boolean[] takes;

        private final MessageSink deliver = this::deliver;
        private Frame frame;

        Group(SocketPipeline[] members) {
            this.members = members;
            this.takes = new boolean[members.length];
            this.decoder = members[0].decoder();
            for (SocketPipeline p : members) p.shareDecoder(decoder);
        }

        void onFrame(Frame f) {
            if (allPaused()) {
                // counted as read, not decoded, by each (as a paused live socket does)
                for (SocketPipeline p : members) p.onFrame(f);
                return;
            }
            frame = f;
            DecodeResult r = decoder.decode(f, decoded, deliver);
            if (r != DecodeResult.DELIVERED) {
                for (SocketPipeline p : members) p.onDecodedFrame(f, null, r, false);
            }
            frame = null;
        }

        /** The frame's packet, valid until this returns (a reassembled datagram's buffer is reused). */
        private void deliver(Message m) {
            Frame f = frame;
            int last = -1;
            for (int i = 0; i < members.length; i++) {
                takes[i] = members[i].captures(m);
                if (takes[i]) last = i;
            }
            // the packet's last taker (usually its only one) runs its plan on it, the others on copies
            for (int i = 0; i < members.length; i++) {
                if (takes[i]) members[i].onDecodedFrame(f, m, DecodeResult.DELIVERED, i == last);
                else members[i].replayIdle(f.timestampMicros);
            }
        }

        private boolean allPaused() {
            for (SocketPipeline p : members) {
                if (!p.paused()) return false;
            }
            return true;
        }
    }
}
