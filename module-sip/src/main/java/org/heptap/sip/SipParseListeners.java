package org.heptap.sip;

import java.util.Arrays;
import org.heptap.core.message.Message;
import org.heptap.core.spi.AgentContext;

/**
 * Lets a module that builds on SIP (module rtcp: a BYE ends a call's RTCP correlation) see every
 * message a plan's parse function parsed, without the plan calling it: captagent's stock plans
 * only parse a BYE, and must keep working unchanged. Listeners run on the plan's thread, after
 * a successful parse, and must be quick and never throw.
 *
 * <p>One list per configuration ({@link #of}): the SIP module of that configuration fires it, and
 * a module of the same configuration adds its listener when configured. A configuration that is
 * refused or replaced takes its list with it, so no listener outlives the modules that made it.
 */
public final class SipParseListeners {
    /** What a listener is told. */
    @FunctionalInterface
    public interface Listener {
        void parsed(Message message, SipMessage sip);
    }

    private static final Listener[] NONE = new Listener[0];
    /** Copy on write: the parse path reads one volatile array and allocates nothing. */
    private volatile Listener[] listeners = NONE;

    /** A list of its own (tests, a SIP module that was never configured). */
    public SipParseListeners() {}

    /** The list of the configuration {@code agent} belongs to. */
    public static SipParseListeners of(AgentContext agent) {
        return agent.hooks().get(SipParseListeners.class, SipParseListeners::new);
    }

    public synchronized void add(Listener l) {
        Listener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[next.length - 1] = l;
        listeners = next;
    }

    public synchronized void remove(Listener l) {
        listeners = Arrays.stream(listeners).filter(x -> x != l).toArray(Listener[]::new);
    }

    /** How many listeners are on the parse path. */
    public int count() {
        return listeners.length;
    }

    void fire(Message m, SipMessage s) {
        for (Listener l : listeners) l.parsed(m, s);
    }
}
