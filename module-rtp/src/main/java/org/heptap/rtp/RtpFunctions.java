package org.heptap.rtp;

import java.util.List;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.Transport;

/**
 * The RTP plan functions. Return values are captagent's: &gt;0 true, &lt;0 false.
 *
 * <ul>
 *   <li>{@code is_rtp()}: the UDP payload is an RTP packet (RFC 3550 header that fits; RTCP on an
 *       rtcp-mux port is not).
 *   <li>{@code analyse_rtp()}: adds the packet to its stream's figures when an SDP announced the
 *       stream's address and port (true), else only counts it (false). Every call site of a
 *       socket's plan shares the socket's streams.
 *   <li>{@code send_rtp_reports("profile")}: the socket's stream reports go to that transport:
 *       an interval report every {@code modules.rtp.interval} and a final one when a stream
 *       ends, sent on the socket's timer, between packets too. Nothing is sent per packet: the
 *       call names a destination and returns 1.
 * </ul>
 */
final class RtpFunctions {
    private static final int TRUE = 1;
    private static final int FALSE = -1;

    private final RtpModule module;

    RtpFunctions(RtpModule module) {
        this.module = module;
    }

    List<PlanFunction> all() {
        return List.of(
                PlanFunction.of("is_rtp", 0, (a, c) -> isRtp()),
                PlanFunction.of("analyse_rtp", 0, (a, c) -> bindAnalyse(c)),
                PlanFunction.of("send_rtp_reports", 1, this::bindSendReports));
    }

    private static BoundCall isRtp() {
        return m -> ParsedRtp.of(m).isRtp() ? TRUE : FALSE;
    }

    private BoundCall bindAnalyse(BindContext ctx) {
        RtpAnalyser analyser = module.analyser(ctx.socketName());
        ctx.addTimer(analyser, RtpAnalyser.TICK_MICROS);
        return analyser::analyse;
    }

    private BoundCall bindSendReports(List<String> args, BindContext ctx) {
        Transport t = ctx.transport(args.get(0));
        if (t == null) return null;
        RtpAnalyser analyser = module.analyser(ctx.socketName());
        analyser.addDestination(args.get(0), t);
        ctx.addTimer(analyser, RtpAnalyser.TICK_MICROS);
        return BoundCall.ALWAYS_TRUE; // nothing per packet: the plan leaves it out of its run
    }
}
