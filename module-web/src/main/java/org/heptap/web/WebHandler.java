package org.heptap.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One connection's requests, one at a time: reading stops while a request is answered (a client
 * that pipelines requests without reading the answers cannot make the agent buffer them), and a
 * connection that takes longer than the request timeout to send a whole request, or sits idle
 * that long between requests, is closed. Only GET and HEAD are served.
 */
final class WebHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = System.getLogger(WebHandler.class.getName());

    private final WebApi api;
    private final Authenticator auth;
    private final long timeoutMillis;
    private final WebCounters counters;
    private final Executor worker;
    private ScheduledFuture<?> deadline;

    /** {@code worker} answers the {@link WebApi#slow slow} paths, off the network thread. */
    WebHandler(WebApi api, Authenticator auth, long timeoutMillis, WebCounters counters, Executor worker) {
        this.api = api;
        this.auth = auth;
        this.timeoutMillis = timeoutMillis;
        this.counters = counters;
        this.worker = worker;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        armDeadline(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (deadline != null) deadline.cancel(false);
        super.channelInactive(ctx);
    }

    private void armDeadline(ChannelHandlerContext ctx) {
        if (deadline != null) deadline.cancel(false);
        deadline = ctx.executor()
                .schedule(
                        () -> {
                            counters.timedOut.increment();
                            ctx.close();
                        },
                        timeoutMillis,
                        TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (deadline != null) deadline.cancel(false);
        ctx.channel().config().setAutoRead(false);
        counters.requests.increment();
        if (!req.decoderResult().isSuccess()) {
            Throwable cause = req.decoderResult().cause();
            counters.badRequests.increment();
            boolean tooLong = cause instanceof TooLongFrameException;
            send(
                    ctx,
                    req,
                    Reply.error(
                            tooLong
                                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                                    : HttpResponseStatus.BAD_REQUEST,
                            tooLong ? "request line or headers too large" : "not an HTTP request"),
                    true);
            return;
        }
        boolean head = req.method().equals(HttpMethod.HEAD);
        if (!req.method().equals(HttpMethod.GET) && !head) {
            send(ctx, req, Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD"), false);
            return;
        }
        Authenticator.Verdict v = auth.check(req.headers().get(HttpHeaderNames.AUTHORIZATION));
        Reply reply;
        if (v == Authenticator.Verdict.ALLOWED && WebApi.slow(req.uri())) {
            answerOnWorker(ctx, req, head);
            return;
        } else if (v == Authenticator.Verdict.ALLOWED) {
            reply = answer(req.uri(), true);
        } else if (WebApi.open(req.uri())) {
            reply = answer(req.uri(), false);
        } else if (v == Authenticator.Verdict.THROTTLED) {
            counters.unauthorized.increment();
            reply = Reply.error(HttpResponseStatus.TOO_MANY_REQUESTS, "too many sign-in attempts; try again");
        } else {
            counters.unauthorized.increment();
            reply = Reply.error(HttpResponseStatus.UNAUTHORIZED, "sign in: a user and password, or the token");
        }
        send(ctx, req, head ? headOnly(reply) : reply, false);
    }

    private static Reply headOnly(Reply r) {
        return new Reply(r.status(), r.type(), new byte[0], r.headers());
    }

    /** The answer is made on the worker and sent from the network thread; a full queue is a 503. */
    private void answerOnWorker(ChannelHandlerContext ctx, FullHttpRequest req, boolean head) {
        req.retain();
        String uri = req.uri();
        try {
            worker.execute(() -> {
                Reply r = answer(uri, true);
                try {
                    ctx.executor().execute(() -> {
                        try {
                            send(ctx, req, head ? headOnly(r) : r, false);
                        } finally {
                            req.release();
                        }
                    });
                } catch (RejectedExecutionException stopping) {
                    req.release(); // the server stopped while the answer was made: nobody to send it to
                }
            });
        } catch (RejectedExecutionException e) {
            counters.busy.increment();
            try {
                send(
                        ctx,
                        req,
                        Reply.error(
                                HttpResponseStatus.SERVICE_UNAVAILABLE,
                                "busy: too many call requests at once; try again"),
                        false);
            } finally {
                req.release();
            }
        }
    }

    private Reply answer(String uri, boolean detail) {
        try {
            return api.get(uri, detail);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "web: " + uri + " failed: " + e);
            return Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the agent could not answer: " + e);
        }
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest req, Reply reply, boolean close) {
        FullHttpResponse res =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(), Unpooled.wrappedBuffer(reply.body()));
        var h = res.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, reply.type());
        HttpUtil.setContentLength(res, reply.body().length);
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        h.set("Referrer-Policy", "no-referrer");
        if (reply.status().equals(HttpResponseStatus.UNAUTHORIZED))
            h.set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"heptap\", charset=\"UTF-8\"");
        reply.headers().forEach(h::set);
        boolean keepAlive = !close && HttpUtil.isKeepAlive(req);
        if (!keepAlive) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        f.addListener(done -> {
            if (!done.isSuccess()) {
                ctx.close();
                return;
            }
            armDeadline(ctx);
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset, a TLS failure, a decoder's complaint: nothing to answer, the connection goes
        LOG.log(Level.DEBUG, "web: connection closed: " + cause);
        ctx.close();
    }
}
