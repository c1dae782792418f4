package io.presence.signaling.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.presence.signaling.http.HttpEndpoints;
import io.presence.signaling.http.HttpRequest;
import io.presence.signaling.http.HttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndpointDispatcherTest {
    private final AtomicReference<HttpRequest> seen = new AtomicReference<>();
    private final HttpEndpoints endpoints = HttpEndpoints.NONE
            .with("/echo/", r -> {
                seen.set(r);
                return CompletableFuture.completedFuture(HttpResponse.text(200, "hello " + r.path())
                        .withHeader("ETag", "\"x\""));
            })
            .with("/fail/", r -> CompletableFuture.failedFuture(new IllegalStateException("secret detail")))
            .with("/throw/", r -> {
                throw new IllegalStateException("secret detail");
            });

    private FullHttpResponse exchange(FullHttpRequest request) {
        EmbeddedChannel ch = new EmbeddedChannel(new EndpointDispatcher(endpoints));
        assertFalse(ch.writeInbound(request), "answered requests go no further");
        FullHttpResponse response = ch.readOutbound();
        assertEquals(0, request.refCnt());
        assertFalse(ch.isOpen(), "one response per connection");
        return response;
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String body) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().add("X-Thing", "a").add("x-thing", "b");
        return r;
    }

    @Test
    void dispatchesByPrefixWithPathQueryHeadersAndBody() {
        FullHttpResponse r = exchange(request(HttpMethod.POST, "/echo/one?size=5&raw=%2F", "{\"a\":1}"));
        assertEquals(200, r.status().code());
        assertEquals("hello /echo/one", r.content().toString(StandardCharsets.UTF_8));
        assertEquals("\"x\"", r.headers().get("etag"));
        assertEquals("nosniff", r.headers().get("x-content-type-options"));
        HttpRequest got = seen.get();
        assertEquals("POST", got.method());
        assertEquals("size=5&raw=%2F", got.rawQuery());
        assertEquals("/echo/one?size=5&raw=%2F", got.target());
        assertEquals("/", got.queryParameter("raw"));
        assertEquals("a, b", got.header("X-THING"));
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), got.body());
        r.release();
    }

    @Test
    void headIsAnsweredLikeGetWithoutTheBody() {
        FullHttpResponse r = exchange(request(HttpMethod.HEAD, "/echo/x", ""));
        assertEquals(200, r.status().code());
        assertEquals("GET", seen.get().method());
        assertEquals(0, r.content().readableBytes());
        assertEquals(String.valueOf("hello /echo/x".length()), r.headers().get("content-length"));
        r.release();
    }

    @Test
    void otherPathsGoOnUntouched() {
        EmbeddedChannel ch = new EmbeddedChannel(new EndpointDispatcher(endpoints));
        FullHttpRequest other = request(HttpMethod.GET, "/echo", "");
        assertTrue(ch.writeInbound(other));
        assertSame(other, ch.readInbound());
        assertEquals(1, other.refCnt());
        assertNull(ch.readOutbound());
        other.release();
        assertFalse(ch.finish());
    }

    @Test
    void failuresAre500WithoutDetail() {
        for (String path : new String[] {"/fail/x", "/throw/x"}) {
            FullHttpResponse r = exchange(request(HttpMethod.GET, path, ""));
            assertEquals(500, r.status().code());
            String body = r.content().toString(StandardCharsets.UTF_8);
            assertFalse(body.contains("secret"), body);
            assertEquals(EndpointDispatcher.INTERNAL_ERROR, body);
            r.release();
        }
    }

    @Test
    void prefixesMustBeDirectories() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HttpEndpoints.NONE.with("/api", r -> null));
    }
}
