package org.heptap.transport;

import java.time.Duration;
import java.util.Map;
import org.heptap.core.message.Message;
import org.heptap.core.spi.Transport;

/** A transport that can send a payload without HEP ({@code send_hep_raw}): its variant "raw". */
public interface RawSender extends Transport {
    String RAW = "raw";

    boolean sendRaw(Message message);

    @Override
    default Transport variant(String name) {
        return RAW.equals(name) ? new Raw(this) : null;
    }

    /** The same collectors, each message's payload sent as it is. */
    record Raw(RawSender hep) implements Transport {
        @Override
        public String name() {
            return hep.name();
        }

        @Override
        public String describe() {
            return hep.describe() + " (raw payloads)";
        }

        @Override
        public void start() {
            /* the profile itself is started by the agent */
        }

        @Override
        public boolean send(Message message) {
            return hep.sendRaw(message);
        }

        @Override
        public boolean drain(Duration timeout) {
            return hep.drain(timeout);
        }

        @Override
        public void close() {
            /* the agent closes the profile */
        }

        @Override
        public Map<String, Long> counters() {
            return hep.counters();
        }

        @Override
        public Transport unwrap() {
            return hep.unwrap();
        }
    }
}
