package io.presence.signaling.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.presence.signaling.http.HttpEndpoint;
import io.presence.signaling.http.HttpEndpoints;
import io.presence.signaling.http.HttpRequest;
import io.presence.signaling.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Hands complete HTTP requests whose path one of the {@link HttpEndpoints} serves to that endpoint, and writes its
 * answer; every other request goes on untouched (to the static pages and the WebSocket guard). The aggregator in
 * front of it bounds the body ({@link Pipelines#MAX_HTTP_REQUEST_BYTES}; larger is answered 413 there). HEAD reaches
 * the endpoint as GET and is answered without the body. A failing endpoint is answered 500 with no detail.
 *
 * <p>Buffer ownership: a request it dispatches is copied into the endpoint's request and released here before the
 * endpoint runs; any other is passed on untouched. Sharable.
 */
@ChannelHandler.Sharable
final class EndpointDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(EndpointDispatcher.class);
    static final String INTERNAL_ERROR =
            "{\"error\":{\"code\":\"internal\",\"message\":\"the server failed to answer this request\"}}";

    private final HttpEndpoints endpoints;

    EndpointDispatcher(HttpEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || !request.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        HttpEndpoint endpoint = endpoints.find(uri.path());
        if (endpoint == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean head = HttpMethod.HEAD.equals(request.method());
        HttpRequest converted;
        try {
            converted = convert(request, uri, head, ctx.channel().remoteAddress());
        } finally {
            ReferenceCountUtil.release(request);
        }
        CompletionStage<HttpResponse> answer;
        try {
            answer = endpoint.handle(converted);
        } catch (RuntimeException e) {
            log.warn("endpoint for {} failed", converted.path(), e);
            send(ctx, failed(), head);
            return;
        }
        answer.whenComplete((response, failure) -> {
            if (failure != null || response == null) {
                log.warn("endpoint for {} failed", converted.path(), failure);
                send(ctx, failed(), head);
            } else {
                send(ctx, response, head);
            }
        });
    }

    private static HttpRequest convert(FullHttpRequest request, QueryStringDecoder uri, boolean head,
                                       SocketAddress remote) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
        }
        InetAddress address = remote instanceof InetSocketAddress inet ? inet.getAddress()
                : InetAddress.getLoopbackAddress();
        String method = head ? HttpMethod.GET.name() : request.method().name();
        return new HttpRequest(method, request.uri(), uri.path(), uri.rawQuery(), uri.parameters(), headers,
                ByteBufUtil.getBytes(request.content()), address);
    }

    private static HttpResponse failed() {
        return HttpResponse.json(500, INTERNAL_ERROR);
    }

    /** May run on any thread: Netty hands the write to the channel's loop. */
    private static void send(ChannelHandlerContext ctx, HttpResponse response, boolean head) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
        response.headers().forEach(r.headers()::set);
        if (response.contentType() != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        }
        r.headers().set("X-Content-Type-Options", "nosniff");
        HttpUtil.setContentLength(r, response.body().length);
        // One response per connection, as the static pages do: the pre-upgrade pipeline keeps its read deadline.
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
