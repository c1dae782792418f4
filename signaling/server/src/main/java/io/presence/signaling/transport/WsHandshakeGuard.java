package io.presence.signaling.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.presence.signaling.session.SignalingMetrics;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Admits only WebSocket upgrades on the configured path from allowed origins; answers everything else on the
 * HTTP port with 404 (or 403 for a refused Origin). Browsers always send {@code Origin}; native clients usually do
 * not, and are admitted — the allow-list protects users' browsers from hostile pages, not the server from clients.
 *
 * <p>Buffer ownership: the superclass releases each request; accepted requests are retained once and passed on.
 */
final class WsHandshakeGuard extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String path;
    private final List<String> allowedOrigins;
    private final SignalingMetrics metrics;

    WsHandshakeGuard(String path, List<String> allowedOrigins, SignalingMetrics metrics) {
        this.path = path;
        this.allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!path.equals(new QueryStringDecoder(request.uri()).path())) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, "not found");
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !originAllowed(origin, request.headers().get(HttpHeaderNames.HOST))) {
            metrics.handshakeFailed("origin_refused");
            respond(ctx, HttpResponseStatus.FORBIDDEN, "origin not allowed");
            return;
        }
        ctx.fireChannelRead(request.retain());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Before the upgrade nothing else handles failures: a slow or broken HTTP client is simply dropped.
        if (cause instanceof java.io.IOException || cause instanceof io.netty.handler.timeout.ReadTimeoutException
                || cause instanceof io.netty.handler.codec.DecoderException) {
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    boolean originAllowed(String origin, String host) {
        String o = origin.toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains("*") || allowedOrigins.contains(o)) {
            return true;
        }
        if (!allowedOrigins.isEmpty() || host == null) {
            return false;
        }
        try {
            URI uri = URI.create(o);
            String authority = uri.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
