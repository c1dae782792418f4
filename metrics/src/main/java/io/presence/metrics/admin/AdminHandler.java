package io.presence.metrics.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.presence.metrics.MetricsRegistry;
import io.presence.metrics.health.Readiness;

import java.nio.charset.StandardCharsets;

/**
 * Routes the three admin endpoints. Stateless, so one instance serves every connection.
 * The aggregated request is released by {@link SimpleChannelInboundHandler}.
 */
@ChannelHandler.Sharable
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String PLAIN = "text/plain; charset=utf-8";

    private final MetricsRegistry metrics;
    private final Readiness readiness;

    public AdminHandler(MetricsRegistry metrics, Readiness readiness) {
        this.metrics = metrics;
        this.readiness = readiness;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, PLAIN, "bad request\n");
            return;
        }
        boolean head = HttpMethod.HEAD.equals(request.method());
        if (!head && !HttpMethod.GET.equals(request.method())) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, PLAIN, "GET only\n");
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        switch (path) {
            case "/metrics" -> respond(ctx, request, HttpResponseStatus.OK, PROMETHEUS_TEXT, metrics.scrape());
            case "/healthz" -> respond(ctx, request, HttpResponseStatus.OK, PLAIN, "ok\n");
            case "/readyz" -> {
                Readiness.Report report = readiness.probe();
                respond(ctx, request, report.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        PLAIN, report.body());
            }
            default -> respond(ctx, request, HttpResponseStatus.NOT_FOUND, PLAIN,
                    "not found; try /metrics, /healthz, /readyz\n");
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean head = HttpMethod.HEAD.equals(request.method());
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a read timeout on a probe connection is routine; the connection is simply dropped.
        ctx.close();
    }
}
