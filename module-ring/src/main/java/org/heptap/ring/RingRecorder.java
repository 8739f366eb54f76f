package org.heptap.ring;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;
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
 * <p>Several capture threads record at once, and a media frame (most of them: RTP) takes no lock:
 * it looks its address up with an optimistic read of the index (validated, retried under the
 * read lock only when a SIP message changed the index meanwhile), counts itself into its call
 * atomically, and appends to the {@link RingStore}, which takes a lock only to start a new
 * segment. A SIP message changes the index (a new call, its SDP's addresses, its state), so SIP
 * messages take the index's write lock, one at a time: a few per call. A frame two sockets both
 * see is kept once: the first thread to claim it in a small table of recent frames keeps it.
 */
final class RingRecorder implements FrameRecorder {
    private static final int SCRATCH = Message.newAttachmentKey();
    /** Seeds that keep a media address's key apart from a Call-ID's. */
    private static final long MEDIA_SEED = 0x6d656469614b6579L;
    /** Slots of the recent-frames table (each frame and call hashed to one), to keep a frame once when two sockets both see it. */
    private static final int RECENT = 1024;

    private final RingStore store;
    private final Set<String> sockets;
    private final BoundedKeyTable calls;
    private final BoundedKeyTable media;
    private final CallTable table;
    /** Guards the indexes ({@link #calls}, {@link #media}, {@link #table}, {@link #nextCall}): written by SIP messages. */
    private final StampedLock index = new StampedLock();
    /** The latest frame-and-call key kept in each slot, claimed atomically. */
    private final AtomicLongArray recent = new AtomicLongArray(RECENT);

    private long nextCall = 1;

    private final LongAdder signalling = new LongAdder();
    private final LongAdder mediaFrames = new LongAdder();
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder callsStarted = new LongAdder();

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
        long frameKey = frameKey(f);
        long timeNanos = FrameTime.nanos(f);
        int flags = FrameTime.isNanos(f) ? RingStore.FLAG_NANOS : 0;
        if (sip) {
            recordSignalling(sc, callKey, frameKey, timeNanos, flags | RingStore.FLAG_SIGNALLING, f);
            return;
        }
        if (m.ipProtocol() != Message.IP_PROTO_UDP) {
            unmatched.increment();
            return;
        }
        long dstKey = mediaKey(m.dstAddr(), m.addrLength(), m.dstPort());
        long srcKey = mediaKey(m.srcAddr(), m.addrLength(), m.srcPort());
        long st = index.tryOptimisticRead();
        long call = mediaCall(dstKey, srcKey);
        if (!index.validate(st)) {
            st = index.readLock();
            try {
                call = mediaCall(dstKey, srcKey);
            } finally {
                index.unlockRead(st);
            }
        }
        if (call == 0) {
            unmatched.increment();
            return;
        }
        if (seen(frameKey, call)) {
            duplicates.increment();
            return;
        }
        table.media(call, timeNanos);
        if (store.append(timeNanos, flags, f.linkType, f.wireLength, call, false, f.data, f.offset, f.length))
            mediaFrames.increment();
    }

    private long mediaCall(long dstKey, long srcKey) {
        long call = media.get(dstKey);
        return call != 0 ? call : media.get(srcKey);
    }

    /** A SIP message: its call (a new one for a new Call-ID), its SDP's addresses, the call's state; under the index's write lock. */
    private void recordSignalling(Scratch sc, long callKey, long frameKey, long timeNanos, int flags, Frame f) {
        long st = index.writeLock();
        try {
            long call = calls.get(callKey);
            boolean starts = false;
            if (call == 0) {
                call = nextCall++;
                calls.put(callKey, call);
                starts = true;
                callsStarted.increment();
                table.start(call, callKey, sc.sip, timeNanos);
            }
            if (sc.sip.hasSdp()) announce(sc.sip.sdp(), call, sc.addr);
            boolean again = seen(frameKey, call);
            // a second message in the frame still tells how the call goes; a frame seen twice is kept once
            table.update(call, sc.sip, timeNanos, !again);
            if (again) {
                duplicates.increment();
                return;
            }
            if (store.append(timeNanos, flags, f.linkType, f.wireLength, call, starts, f.data, f.offset, f.length))
                signalling.increment();
        } finally {
            index.unlockWrite(st);
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

    /**
     * Whether this frame was kept for this call just before (the same frame seen by two sockets,
     * or one TCP segment with two messages): of two threads claiming one frame at once, exactly
     * one gets false. A frame whose slot another frame took in between counts as new.
     */
    private boolean seen(long frameKey, long call) {
        long key = BoundedKeyTable.mix(frameKey ^ BoundedKeyTable.mix(call)) | 1; // 0 marks an empty slot
        return recent.getAndSet((int) key & (RECENT - 1), key) == key;
    }

    static long mediaKey(byte[] addr, int len, int port) {
        return BoundedKeyTable.hash(addr, 0, len, MEDIA_SEED ^ port);
    }

    /** Time, length and the bytes at both ends: two captures of one packet agree on all of them. */
    private static long frameKey(Frame f) {
        int head = Math.min(f.length, 64);
        long h = BoundedKeyTable.hash(f.data, f.offset, head, f.timestampMicros);
        int tail = Math.min(f.length - head, 64);
        return BoundedKeyTable.hash(f.data, f.offset + f.length - tail, tail, h ^ f.length);
    }

    private static boolean isLetter(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
    }

    /** Recent calls (newest first) that {@code keep} accepts, at most {@code limit}. */
    java.util.List<CallInfo> calls(java.util.function.Predicate<CallInfo> keep, int limit) {
        long st = index.readLock();
        try {
            return table.select(keep, limit, nextCall - 1);
        } finally {
            index.unlockRead(st);
        }
    }

    /** The numbers of the calls with Call-ID {@code id}, newest first (a Call-ID forgotten and seen again has two). */
    java.util.List<Long> callsWithId(byte[] id) {
        long h = BoundedKeyTable.hash(id, 0, id.length, 0);
        long st = index.readLock();
        try {
            return table.withId(h, id, nextCall - 1);
        } finally {
            index.unlockRead(st);
        }
    }

    Map<String, Long> counters() {
        Map<String, Long> c = new java.util.LinkedHashMap<>();
        c.put("signalling-frames", signalling.sum());
        c.put("media-frames", mediaFrames.sum());
        c.put("unmatched", unmatched.sum());
        c.put("duplicates", duplicates.sum());
        c.put("calls", callsStarted.sum());
        long st = index.readLock();
        try {
            c.put("calls-forgotten", calls.evicted());
            c.put("media-forgotten", media.evicted());
        } finally {
            index.unlockRead(st);
        }
        return c;
    }
}
