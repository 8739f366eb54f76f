package org.heptap.hep.transport;

import org.heptap.core.message.Message;

/** A transport that can send a payload without HEP ({@code send_hep_raw}). */
public interface RawHepSender {
    boolean sendRaw(Message message);
}
