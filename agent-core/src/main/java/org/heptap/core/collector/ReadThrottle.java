package org.heptap.core.collector;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops reading a collector socket's channels while its plan thread holds the hand-off's slots,
 * and starts them again once half are free. Pausing happens on the event loop; the plan thread
 * only notices, after giving a slot back, that someone waits and schedules the resume on the
 * loop. Both sides set or read the flag before looking at the free count, so a resume is never
 * missed: either the plan thread sees the flag, or the loop sees the freed slots.
 */
final class ReadThrottle {
    /** Something that reads from the network and can be told to go on. */
    interface Reader {
        void stopReading();

        /** Event loop: goes on reading (a connection first frames what it already holds). */
        void resumeReading();
    }

    private final EventLoop loop;
    private final Handoff handoff;
    private final int resumeAt;
    /** Event loop only. */
    private final List<Reader> paused = new ArrayList<>();

    private final List<Reader> resuming = new ArrayList<>();
    private final AtomicBoolean waiting = new AtomicBoolean();
    private final Runnable resume = this::resume;

    ReadThrottle(EventLoop loop, Handoff handoff) {
        this.loop = loop;
        this.handoff = handoff;
        this.resumeAt = Math.max(1, handoff.capacity() / 2);
    }

    /** Event loop: {@code r} reads no more until the plan thread has caught up. */
    void pause(Reader r) {
        if (!paused.contains(r)) {
            paused.add(r);
            r.stopReading();
        }
        waiting.set(true);
        if (handoff.free() >= resumeAt && waiting.compareAndSet(true, false)) loop.execute(resume);
    }

    /** Plan thread, after each slot given back: schedules the resume when readers wait and there is room. */
    void released() {
        if (waiting.get() && handoff.free() >= resumeAt && waiting.compareAndSet(true, false)) loop.execute(resume);
    }

    /** Event loop: a reader that goes away is not resumed. */
    void forget(Reader r) {
        paused.remove(r);
    }

    private void resume() {
        resuming.addAll(paused);
        paused.clear();
        for (Reader r : resuming) r.resumeReading(); // may pause again, adding to paused
        resuming.clear();
    }
}
