package org.heptap.core.spi;

import org.heptap.core.capture.Frame;
import org.heptap.core.message.Message;

/**
 * Keeps captured frames beside the plan: a module's store of recent traffic (e.g. a ring that
 * hands a call over as a pcap later). The agent asks each recorder, at start and at every reload,
 * which sockets it records ({@link #records}); on those it calls {@link #record} for every message
 * that passed the socket's discard lists, just before the plan runs, whatever the plan then does.
 *
 * <p>{@code record} runs on the socket's capture thread (several sockets, several threads): it
 * copies what it keeps, never blocks on I/O and never throws.
 */
public interface FrameRecorder {
    /** True when the messages of socket {@code socketName} (a capture socket) are to be recorded. */
    boolean records(String socketName);

    /**
     * One message about to run through the plan, with the captured frame it came out of: the frame
     * being read when the message was complete, i.e. its last TCP segment or IP fragment (the
     * frame a dissector such as Wireshark shows the reassembled message in). Both are valid only
     * during the call.
     */
    void record(Message message, Frame frame);
}
