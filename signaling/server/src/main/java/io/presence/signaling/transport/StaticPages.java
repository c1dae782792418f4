package io.presence.signaling.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves the call page on the HTTP port: a fixed table of paths to classpath resources, each with its content type,
 * loaded once. Nothing else is served — no directory listing, no path from the request ever reaches the class
 * loader — and nothing a user sent is ever rendered: the page builds its DOM with {@code textContent}. Every other
 * request (the WebSocket upgrade, 404s) goes on to {@link WsHandshakeGuard}.
 *
 * <p>Buffer ownership: a request it answers is released here; any other is passed on untouched. Sharable.
 */
@io.netty.channel.ChannelHandler.Sharable
final class StaticPages extends ChannelInboundHandlerAdapter {
    static final String HTML = "text/html; charset=utf-8";
    static final String JS = "text/javascript; charset=utf-8";
    /** Scripts only from this origin, WebSocket to it; no framing by other sites. */
    static final String CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self'; "
            + "media-src 'self' blob: mediastream:; style-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private record Page(byte[] body, String contentType) { }

    /**
     * The page's directory without its slash: answered with a redirect, because the page loads {@code call.js}
     * relative to its own address, which only resolves inside {@code /call/}.
     */
    static final String DIRECTORY = "/call";

    private final Map<String, Page> pages;

    StaticPages() {
        pages = Map.of(DIRECTORY + "/", load("call.html", HTML), DIRECTORY + "/call.js", load("call.js", JS));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (path.equals(DIRECTORY)) {
            try {
                redirectToDirectory(ctx, uri);
            } finally {
                ReferenceCountUtil.release(request);
            }
            return;
        }
        Page page = pages.get(path);
        if (page == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            boolean get = HttpMethod.GET.equals(request.method());
            boolean head = HttpMethod.HEAD.equals(request.method());
            if (!get && !head) {
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.METHOD_NOT_ALLOWED, Unpooled.EMPTY_BUFFER);
                r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                send(ctx, r);
                return;
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(page.body()));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, page.contentType());
            r.headers().set("X-Content-Type-Options", "nosniff");
            r.headers().set("Content-Security-Policy", CSP);
            r.headers().set("Referrer-Policy", "no-referrer");
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            HttpUtil.setContentLength(r, page.body().length);
            send(ctx, r);
        } finally {
            ReferenceCountUtil.release(request);
        }
    }

    /**
     * 308 keeps the method; the query string goes along as sent. The target always starts with {@code /call/}, so
     * no request can turn it into a redirect to another site.
     */
    private static void redirectToDirectory(ChannelHandlerContext ctx, QueryStringDecoder uri) {
        String raw = uri.rawQuery();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PERMANENT_REDIRECT,
                Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.LOCATION, DIRECTORY + "/" + (raw.isEmpty() ? "" : "?" + raw));
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        send(ctx, r);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(response, response.content().readableBytes());
        }
        // One response per connection keeps the pre-upgrade pipeline simple (its read timeout stays armed).
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static Page load(String name, String contentType) {
        try (InputStream in = StaticPages.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /web/" + name);
            }
            return new Page(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
