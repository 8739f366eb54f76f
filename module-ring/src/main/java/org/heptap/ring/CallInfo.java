package org.heptap.ring;

/**
 * A recent call as the ring knows it.
 *
 * @param number    the ring's number for it
 * @param idHash    hash of the whole Call-ID
 * @param callId    the Call-ID (its first {@value CallTable#ID_BYTES} bytes)
 * @param from      From user of its first request
 * @param to        To user
 * @param uriUser   request-URI user
 * @param firstTime capture time of its first frame (ns)
 * @param lastTime  capture time of its last frame (ns)
 * @param state     setup, ringing, answered, failed CODE, cancelled, ended, or METHOD [CODE]
 * @param frames    frames recorded for it
 */
record CallInfo(
        long number,
        long idHash,
        String callId,
        String from,
        String to,
        String uriUser,
        long firstTime,
        long lastTime,
        String state,
        int frames) {
    boolean hasUser(String user) {
        return user.equals(from) || user.equals(to) || user.equals(uriUser);
    }

    /** True when the call was active at some point between {@code since} and {@code until} (ns). */
    boolean overlaps(long since, long until) {
        return lastTime >= since && firstTime <= until;
    }
}
