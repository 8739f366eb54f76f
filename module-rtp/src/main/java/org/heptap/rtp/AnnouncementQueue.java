package org.heptap.rtp;

/**
 * The bounded hand-off of {@link Announcement}s from SIP threads (any number) to one RTP socket's
 * thread. Offering takes a lock (once per SDP, not per packet); the RTP thread's per-packet check
 * is a single volatile read of {@link #pending()}, and it only locks when something waits. When
 * full, an announcement is dropped and counted: that call's media is then not analysed.
 */
final class AnnouncementQueue {
    private final Announcement[] ring;
    private int head; // next to take
    private int size;
    private volatile int waiting;
    private long dropped;

    AnnouncementQueue(int capacity) {
        ring = new Announcement[capacity];
    }

    /** From a SIP thread: false (counted) when the queue is full. */
    synchronized boolean offer(Announcement a) {
        if (size == ring.length) {
            dropped++;
            return false;
        }
        ring[(head + size) % ring.length] = a;
        size++;
        waiting = size;
        return true;
    }

    /** The RTP thread's cheap check: true when announcements wait. */
    boolean pending() {
        return waiting != 0;
    }

    /** Takes the oldest waiting announcement, or null. */
    synchronized Announcement poll() {
        if (size == 0) return null;
        Announcement a = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        waiting = size;
        return a;
    }

    synchronized long dropped() {
        return dropped;
    }
}
