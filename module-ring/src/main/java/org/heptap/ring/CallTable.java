package org.heptap.ring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.heptap.sip.SipField;
import org.heptap.sip.SipMessage;

/**
 * What the ring knows of each recent call, for finding it again: Call-ID, From, To and
 * request-URI users, first and last capture time, and how far the call got. Slot {@code n %
 * capacity} belongs to call number {@code n}, so a newer call takes the slot of the one started
 * {@code capacity} calls earlier. All in preallocated arrays (a Call-ID keeps its first
 * {@value #ID_BYTES} bytes and a hash of all of them), so recording allocates nothing. Written
 * under the recorder's index lock, except a call's last time and frame count, which media frames
 * update from any capture thread without it ({@link #media}: atomic updates).
 */
final class CallTable {
    static final int ID_BYTES = 128;
    static final int USER_BYTES = 48;
    static final int METHOD_BYTES = 16;

    /** How far a call got, as its state names it. */
    static final int SETUP = 1;

    static final int RINGING = 2;
    static final int ANSWERED = 3;
    static final int FAILED = 4;
    static final int CANCELLED = 5;
    static final int ENDED = 6;
    /** Not an INVITE dialog (REGISTER, OPTIONS, MESSAGE ...): the method and its final status. */
    static final int OTHER = 7;

    private final int capacity;
    private final long[] number;
    private final long[] idHash;
    private final byte[] ids;
    private final int[] idLen;
    /** from, to, request-URI user of each call, USER_BYTES each. */
    private final byte[] users;

    private final int[] userLen;
    private final byte[] methods;
    private final int[] methodLen;
    private final long[] first;
    private final AtomicLongArray last;
    private final int[] state;
    private final int[] status;
    private final AtomicIntegerArray frames;

    CallTable(int capacity) {
        this.capacity = capacity;
        number = new long[capacity];
        idHash = new long[capacity];
        ids = new byte[capacity * ID_BYTES];
        idLen = new int[capacity];
        users = new byte[capacity * 3 * USER_BYTES];
        userLen = new int[capacity * 3];
        methods = new byte[capacity * METHOD_BYTES];
        methodLen = new int[capacity];
        first = new long[capacity];
        last = new AtomicLongArray(capacity);
        state = new int[capacity];
        status = new int[capacity];
        frames = new AtomicIntegerArray(capacity);
    }

    /** Call {@code call} (a new number) starts with this message. */
    void start(long call, long idKey, SipMessage s, long time) {
        int i = slot(call);
        number[i] = call;
        idHash[i] = idKey;
        idLen[i] = copy(s, SipField.CALL_ID, ids, i * ID_BYTES, ID_BYTES);
        for (int u = 0; u < 3; u++) userLen[i * 3 + u] = 0;
        methodLen[i] = 0;
        first[i] = time;
        last.set(i, time);
        state[i] = 0;
        status[i] = 0;
        frames.set(i, 0);
    }

    /**
     * A message of {@code call}: users from the first request that names them, the state, the
     * times; {@code newFrame} false for a second message in a frame already counted.
     */
    void update(long call, SipMessage s, long time, boolean newFrame) {
        int i = slot(call);
        if (number[i] != call) return; // forgotten: a newer call has the slot
        later(i, time);
        if (newFrame) frames.incrementAndGet(i);
        if (s.isRequest()) {
            if (userLen[i * 3] == 0)
                userLen[i * 3] = copy(s, SipField.FROM_USER, users, (i * 3) * USER_BYTES, USER_BYTES);
            if (userLen[i * 3 + 1] == 0)
                userLen[i * 3 + 1] = copy(s, SipField.TO_USER, users, (i * 3 + 1) * USER_BYTES, USER_BYTES);
            if (userLen[i * 3 + 2] == 0) userLen[i * 3 + 2] = copyUriUser(s, users, (i * 3 + 2) * USER_BYTES);
            if (methodLen[i] == 0) methodLen[i] = copy(s, SipField.METHOD, methods, i * METHOD_BYTES, METHOD_BYTES);
        }
        boolean invite = methodIs(i, INVITE);
        if (!invite) {
            if (methodLen[i] > 0) state[i] = OTHER;
            if (s.isResponse() && s.statusCode() >= 200) status[i] = s.statusCode();
            return;
        }
        if (s.isRequest()) {
            if (fieldIs(s, SipField.METHOD, BYE)) state[i] = ENDED;
            else if (fieldIs(s, SipField.METHOD, CANCEL) && state[i] < ANSWERED) state[i] = CANCELLED;
            else if (state[i] == 0) state[i] = SETUP;
            return;
        }
        if (!fieldIs(s, SipField.CSEQ_METHOD, INVITE) || state[i] >= ENDED) return;
        int code = s.statusCode();
        if (code >= 180 && code < 200 && state[i] < RINGING) state[i] = RINGING;
        else if (code >= 200 && code < 300) state[i] = ANSWERED;
        else if (code >= 300 && state[i] != ANSWERED) {
            state[i] = state[i] == CANCELLED ? CANCELLED : FAILED;
            status[i] = code;
        }
    }

    /**
     * A media frame of {@code call}, from any capture thread without the recorder's lock (a call
     * whose slot a new call takes at that moment may miss the frame in its count).
     */
    void media(long call, long time) {
        int i = slot(call);
        if (number[i] != call) return;
        later(i, time);
        frames.incrementAndGet(i);
    }

    /** The call's last time becomes {@code time} unless it is later already (two threads may update it). */
    private void later(int i, long time) {
        long t = last.get(i);
        while (time > t && !last.compareAndSet(i, t, time)) t = last.get(i);
    }

    /** Calls (newest first) that {@code keep} accepts, at most {@code limit}. */
    List<CallInfo> select(java.util.function.Predicate<CallInfo> keep, int limit, long newestCall) {
        List<CallInfo> out = new ArrayList<>();
        for (long n = newestCall; n > 0 && n > newestCall - capacity && out.size() < limit; n--) {
            int i = slot(n);
            if (number[i] != n) continue;
            CallInfo c = info(i);
            if (keep.test(c)) out.add(c);
        }
        return out;
    }

    /** The numbers of the calls whose Call-ID is {@code id}, newest first. */
    List<Long> withId(long hash, byte[] id, long newestCall) {
        List<Long> out = new ArrayList<>();
        for (long n = newestCall; n > 0 && n > newestCall - capacity; n--) {
            if (idHash[slot(n)] == hash && hasId(n, hash, id)) out.add(n);
        }
        return out;
    }

    /** True when call {@code i}'s Call-ID is {@code id} (hash and kept bytes agree). */
    boolean hasId(long call, long hash, byte[] id) {
        int i = slot(call);
        if (number[i] != call || idHash[i] != hash) return false;
        int n = Math.min(id.length, ID_BYTES);
        if (idLen[i] != n) return false;
        for (int k = 0; k < n; k++) if (ids[i * ID_BYTES + k] != id[k]) return false;
        return true;
    }

    private CallInfo info(int i) {
        return new CallInfo(
                number[i],
                idHash[i],
                text(ids, i * ID_BYTES, idLen[i]),
                text(users, (i * 3) * USER_BYTES, userLen[i * 3]),
                text(users, (i * 3 + 1) * USER_BYTES, userLen[i * 3 + 1]),
                text(users, (i * 3 + 2) * USER_BYTES, userLen[i * 3 + 2]),
                first[i],
                last.get(i),
                stateText(i),
                frames.get(i));
    }

    private String stateText(int i) {
        return switch (state[i]) {
            case SETUP -> "setup";
            case RINGING -> "ringing";
            case ANSWERED -> "answered";
            case FAILED -> "failed " + status[i];
            case CANCELLED -> "cancelled";
            case ENDED -> "ended";
            case OTHER -> text(methods, i * METHOD_BYTES, methodLen[i]) + (status[i] > 0 ? " " + status[i] : "");
            default -> "unknown";
        };
    }

    private int slot(long call) {
        return (int) (call % capacity);
    }

    private boolean methodIs(int i, byte[] m) {
        if (methodLen[i] != m.length) return false;
        for (int k = 0; k < m.length; k++) if (methods[i * METHOD_BYTES + k] != m[k]) return false;
        return true;
    }

    private static boolean fieldIs(SipMessage s, SipField f, byte[] v) {
        return s.length(f) == v.length && s.startsWith(f, v);
    }

    private static int copy(SipMessage s, SipField f, byte[] to, int at, int max) {
        int n = Math.min(s.length(f), max);
        System.arraycopy(s.buffer(), s.offset(f), to, at, n);
        return n;
    }

    /** The user part of the request URI ({@code sip:USER@host}, {@code tel:NUMBER}); 0 when it has none. */
    private static int copyUriUser(SipMessage s, byte[] to, int at) {
        int len = s.length(SipField.REQUEST_URI);
        if (len == 0) return 0;
        byte[] b = s.buffer();
        int o = s.offset(SipField.REQUEST_URI);
        int end = o + len;
        int colon = o;
        while (colon < end && b[colon] != ':') colon++;
        if (colon == end) return 0;
        boolean tel = colon - o == 3 && (b[o] | 0x20) == 't';
        int u = colon + 1;
        int stop = u;
        while (stop < end && b[stop] != '@' && b[stop] != ';' && b[stop] != '?' && b[stop] != '>') stop++;
        if (!tel && (stop == end || b[stop] != '@')) return 0; // sip:host has no user
        int n = Math.min(stop - u, USER_BYTES);
        System.arraycopy(b, u, to, at, n);
        return n;
    }

    private static String text(byte[] b, int at, int len) {
        return new String(b, at, len, StandardCharsets.UTF_8);
    }

    private static final byte[] INVITE = "INVITE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYE = "BYE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CANCEL = "CANCEL".getBytes(StandardCharsets.US_ASCII);
}
