package io.presence.signaling.avatar;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.http.HttpRequest;
import io.presence.signaling.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvatarEndpointTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AvatarEndpoint endpoint = new AvatarEndpoint(Runnable::run, new AvatarMetrics(registry),
            AvatarEndpoint.DEFAULT_CACHE_BYTES);

    static HttpRequest get(String path, String query, String ifNoneMatch) {
        Map<String, String> headers = new HashMap<>();
        if (ifNoneMatch != null) {
            headers.put("if-none-match", ifNoneMatch);
        }
        Map<String, List<String>> params = new HashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], List.of(kv.length > 1 ? kv[1] : ""));
            }
        }
        return new HttpRequest("GET", query.isEmpty() ? path : path + "?" + query, path, query, params, headers,
                new byte[0], InetAddress.getLoopbackAddress());
    }

    private HttpResponse answer(HttpRequest request) {
        return endpoint.handle(request).toCompletableFuture().join();
    }

    private double count(String name) {
        return registry.get(name).counter().count();
    }

    @Test
    void servesAStableCacheablePngAndAnswers304ToItsEtag() {
        HttpResponse first = answer(get("/avatar/user/ann.png", "size=32", null));
        assertEquals(200, first.status());
        assertEquals("image/png", first.contentType());
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(first.body(), 8));
        assertEquals("public, max-age=31536000, immutable", first.headers().get("Cache-Control"));
        String etag = first.headers().get("ETag");
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), "strong: " + etag);
        assertEquals(1.0, count("presence.avatar.renders"));

        HttpResponse again = answer(get("/avatar/user/ann.png", "size=32", null));
        assertArrayEquals(first.body(), again.body());
        assertEquals(etag, again.headers().get("ETag"));
        assertEquals(1.0, count("presence.avatar.renders"), "the second came from the cache");
        assertEquals(1.0, count("presence.avatar.cache.hits"));

        HttpResponse notModified = answer(get("/avatar/user/ann.png", "size=32", "\"other\", " + etag));
        assertEquals(304, notModified.status());
        assertEquals(0, notModified.body().length);
        assertEquals(etag, notModified.headers().get("ETag"));
        assertEquals(200, answer(get("/avatar/user/ann.png", "size=32", "\"other\"")).status());

        // A fresh endpoint (a restart) renders the very same bytes.
        AvatarEndpoint other = new AvatarEndpoint(Runnable::run, new AvatarMetrics(new SimpleMeterRegistry()), 1024);
        assertArrayEquals(first.body(), other.handle(get("/avatar/user/ann.png", "size=32", null))
                .toCompletableFuture().join().body());
    }

    @Test
    void defaultSizeIs64() {
        HttpResponse r = answer(get("/avatar/room/r1.png", "", null));
        assertEquals(200, r.status());
        assertEquals(64, java.nio.ByteBuffer.wrap(r.body(), 16, 4).getInt(), "IHDR width");
    }

    @ParameterizedTest
    @ValueSource(strings = {"size=15", "size=513", "size=0", "size=-1", "size=64.0", "size=abc", "size=", "size=0064",
            "size=99999999999"})
    void otherSizesAre400(String query) {
        HttpResponse r = answer(get("/avatar/user/ann.png", query, null));
        assertEquals(400, r.status(), query);
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("\"invalid_field\"") && body.contains("16 to 512"), body);
        assertEquals(0.0, count("presence.avatar.renders"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/avatar/ann.png", "/avatar/user/a:b.png", "/avatar/user/ann", "/avatar/other/ann.png",
            "/avatar/user/../ann.png", "/avatar/user/"})
    void pathsOutsideTheRuleAre404(String path) {
        HttpResponse r = answer(get(path, "", null));
        assertEquals(404, r.status(), path);
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("\"not_found\""));
    }

    @Test
    void onlyGet() {
        HttpRequest post = new HttpRequest("POST", "/avatar/user/ann.png", "/avatar/user/ann.png", "", Map.of(),
                Map.of(), new byte[0], InetAddress.getLoopbackAddress());
        HttpResponse r = answer(post);
        assertEquals(405, r.status());
        assertEquals("GET, HEAD", r.headers().get("Allow"));
    }

    @Test
    void aFullRendererIs503() {
        AvatarEndpoint busy = new AvatarEndpoint(task -> {
            throw new RejectedExecutionException("full");
        }, new AvatarMetrics(new SimpleMeterRegistry()), 1024);
        HttpResponse r = busy.handle(get("/avatar/user/ann.png", "", null)).toCompletableFuture().join();
        assertEquals(503, r.status());
    }

    @Test
    void theCacheIsBoundedByBytes() {
        AvatarCache cache = new AvatarCache(1000);
        for (int i = 0; i < 20; i++) {
            cache.put(new AvatarCache.Key(io.presence.signaling.protocol.AvatarPath.Kind.USER, "u" + i, 16),
                    new AvatarCache.Rendered(new byte[300], "\"e\""));
        }
        assertEquals(3, cache.size());
        assertTrue(cache.bytes() <= 1000);
        assertTrue(cache.get(new AvatarCache.Key(io.presence.signaling.protocol.AvatarPath.Kind.USER, "u19", 16))
                != null, "the newest stays");
    }
}
