package org.heptap.ring;

import java.util.Map;
import java.util.Set;
import org.heptap.core.capture.Frame;
import org.heptap.core.message.Message;
import org.heptap.core.spi.FrameRecorder;
import org.heptap.sip.IpLiteral;
import org.heptap.sip.Sdp;
import org.heptap.sip.SipField;
import org.heptap.sip.SipMessage;
import org.heptap.sip.SipParser;
import org.heptap.sip.SipStatus;

/**
 * Feeds the ring: every SIP message with a Call-ID is kept under its call's number (a new Call-ID
 * starts a call), its SDP announces the call's media addresses, and a UDP datagram to or from one
 * of those addresses is kept as the call's media. Anything else is not the ring's business
 * (counted as unmatched). One copy per kept frame, into the {@link RingStore}; the SIP parse uses
 * a parser kept with the socket's message object, the indexes are preallocated.
 *
 * <p>Several capture threads record at once: indexing and appending are serialised on this
 * object, a few hundred nanoseconds of work with no I/O and no waiting (except, in a file replay,
 * for the keeper to free a buffer).
 */
final class RingRecorder implements FrameRecorder {
    private static final int SCRATCH = Message.newAttachmentKey();
    /** Seeds that keep a media address's key apart from a Call-ID's. */
    private static final long MEDIA_SEED = 0x6d656469614b6579L;
    /** Frames recently kept (with their call), to keep a frame once when two sockets both see it. */
    private static final int RECENT = 16;

    private final RingStore store;
    private final Set<String> sockets;
    private final BoundedKeyTable calls;
    private final BoundedKeyTable media;
    private final CallTable table;
    private final long[] recentFrames = new long[RECENT];
    private final long[] recentCalls = new long[RECENT];
    private int recentNext;
    private long nextCall = 1;

    private long signalling;
    private long mediaFrames;
    private long unmatched;
    private long duplicates;
    private long callsStarted;

    /**
     * @param sockets the capture sockets that feed the ring; empty: all of them
     * @param maxCalls the calls whose Call-ID is remembered; a call's SDP addresses: 8 per call
     */
    RingRecorder(RingStore store, Set<String> sockets, int maxCalls) {
        this.store = store;
        this.sockets = Set.copyOf(sockets);
        this.calls = new BoundedKeyTable(maxCalls);
        this.media = new BoundedKeyTable(maxCalls * 8);
        this.table = new CallTable(maxCalls);
    }

    @Override
    public boolean records(String socketName) {
        return sockets.isEmpty() || sockets.contains(socketName);
    }

    /** A parser and scratch space per capture thread, kept with its message object. */
    private static final class Scratch {
        final SipParser parser = new SipParser();
        final SipMessage sip = new SipMessage();
        final byte[] addr = new byte[16];
    }

    @Override
    public void record(Message m, Frame f) {
        Scratch sc = (Scratch) m.attachment(SCRATCH);
        if (sc == null) {
            sc = new Scratch(); // once per socket thread
            m.attach(SCRATCH, sc);
        }
        byte[] p = m.payload();
        int po = m.payloadOffset();
        int pl = m.payloadLength();
        long callKey = 0;
        boolean sip = false;
        if (pl > 0 && isLetter(p[po]) && sc.parser.parse(p, po, pl, sc.sip) == SipStatus.OK) {
            SipMessage s = sc.sip;
            callKey = BoundedKeyTable.hash(s.buffer(), s.offset(SipField.CALL_ID), s.length(SipField.CALL_ID), 0);
            sip = true;
        }
        boolean udp = m.ipProtocol() == Message.IP_PROTO_UDP;
        long dstKey = udp && !sip ? mediaKey(m.dstAddr(), m.addrLength(), m.dstPort()) : 0;
        long srcKey = udp && !sip ? mediaKey(m.srcAddr(), m.addrLength(), m.srcPort()) : 0;
        long frameKey = frameKey(f);
        long timeNanos = FrameTime.nanos(f);
        int flags = FrameTime.isNanos(f) ? RingStore.FLAG_NANOS : 0;
        synchronized (this) {
            long call;
            boolean starts = false;
            if (sip) {
                call = calls.get(callKey);
                if (call == 0) {
                    call = nextCall++;
                    calls.put(callKey, call);
                    starts = true;
                    callsStarted++;
                    table.start(call, callKey, sc.sip, timeNanos);
                }
                if (sc.sip.hasSdp()) announce(sc.sip.sdp(), call, sc.addr);
                flags |= RingStore.FLAG_SIGNALLING;
            } else if (udp) {
                call = media.get(dstKey);
                if (call == 0) call = media.get(srcKey);
                if (call == 0) {
                    unmatched++;
                    return;
                }
            } else {
                unmatched++;
                return;
            }
            boolean again = seen(frameKey, call);
            // a second message in the frame still tells how the call goes; a frame seen twice is kept once
            if (sip) table.update(call, sc.sip, timeNanos, !again);
            else if (!again) table.media(call, timeNanos);
            if (again) {
                duplicates++;
                return;
            }
            if (store.append(timeNanos, flags, f.linkType, f.wireLength, call, starts, f.data, f.length)) {
                if (sip) signalling++;
                else mediaFrames++;
            }
        }
    }

    /** The RTP and RTCP addresses of each stream the SDP offers or answers become the call's. */
    private void announce(Sdp sdp, long call, byte[] addr) {
        byte[] b = sdp.buffer();
        for (int i = 0; i < sdp.mediaCount(); i++) {
            int port = sdp.mediaPort(i);
            if (port == 0) continue; // a stream turned off
            int n = IpLiteral.parse(b, sdp.addressOffset(i), sdp.addressLength(i), addr);
            if (n > 0) media.put(mediaKey(addr, n, port), call);
            int rtcpPort = sdp.rtcpPort(i);
            n = IpLiteral.parse(b, sdp.rtcpAddressOffset(i), sdp.rtcpAddressLength(i), addr);
            if (n > 0 && rtcpPort > 0) media.put(mediaKey(addr, n, rtcpPort), call);
        }
    }

    /** Whether this frame was kept for this call just before (the same frame seen by two sockets, or one TCP segment with two messages). */
    private boolean seen(long frameKey, long call) {
        for (int i = 0; i < RECENT; i++) {
            if (recentFrames[i] == frameKey && recentCalls[i] == call) return true;
        }
        recentFrames[recentNext] = frameKey;
        recentCalls[recentNext] = call;
        recentNext = (recentNext + 1) & (RECENT - 1);
        return false;
    }

    static long mediaKey(byte[] addr, int len, int port) {
        return BoundedKeyTable.hash(addr, 0, len, MEDIA_SEED ^ port);
    }

    /** Time, length and the bytes at both ends: two captures of one packet agree on all of them. */
    private static long frameKey(Frame f) {
        int head = Math.min(f.length, 64);
        long h = BoundedKeyTable.hash(f.data, 0, head, f.timestampMicros);
        int tail = Math.min(f.length - head, 64);
        return BoundedKeyTable.hash(f.data, f.length - tail, tail, h ^ f.length);
    }

    private static boolean isLetter(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
    }

    /** Recent calls (newest first) that {@code keep} accepts, at most {@code limit}. */
    synchronized java.util.List<CallInfo> calls(java.util.function.Predicate<CallInfo> keep, int limit) {
        return table.select(keep, limit, nextCall - 1);
    }

    /** The numbers of the calls with Call-ID {@code id}, newest first (a Call-ID forgotten and seen again has two). */
    synchronized java.util.List<Long> callsWithId(byte[] id) {
        long h = BoundedKeyTable.hash(id, 0, id.length, 0);
        return table.withId(h, id, nextCall - 1);
    }

    synchronized Map<String, Long> counters() {
        Map<String, Long> c = new java.util.LinkedHashMap<>();
        c.put("signalling-frames", signalling);
        c.put("media-frames", mediaFrames);
        c.put("unmatched", unmatched);
        c.put("duplicates", duplicates);
        c.put("calls", callsStarted);
        c.put("calls-forgotten", calls.evicted());
        c.put("media-forgotten", media.evicted());
        return c;
    }
}
