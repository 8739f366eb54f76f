package org.heptap.rtp;

import java.util.List;

/** A call's streams being analysed, each direction (and SSRC) one entry. */
public record CallQuality(String callId, List<StreamQuality> streams) {
    public CallQuality {
        streams = List.copyOf(streams);
    }
}
