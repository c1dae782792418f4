package io.presence.signaling.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The call page's paths over real HTTP on loopback (no browser needed). */
class StaticPagesTest {

    private final TestServer ts = TestServer.start();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        ts.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + ts.server.webSocketAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Without the slash the page's relative {@code call.js} would resolve to {@code /call.js}, which is not served. */
    @Test
    void callWithoutTrailingSlashRedirectsIntoTheDirectoryKeepingTheQuery() throws Exception {
        HttpResponse<String> bare = get("/call");
        assertEquals(308, bare.statusCode());
        assertEquals("/call/", bare.headers().firstValue("location").orElse(""));
        HttpResponse<String> query = get("/call?room=abc");
        assertEquals(308, query.statusCode());
        assertEquals("/call/?room=abc", query.headers().firstValue("location").orElse(""));

        HttpResponse<String> followed = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ts.server.webSocketAddress().getPort()
                        + "/call")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, followed.statusCode());
        assertTrue(followed.uri().getPath().equals("/call/"), followed.uri().toString());
        assertTrue(followed.body().contains("<script src=\"call.js\">"), followed.body());
        assertEquals(200, get("/call/call.js").statusCode());
        assertEquals(404, get("/call.js").statusCode(), "the script is only served inside the directory");
    }

    @Test
    void redirectTargetNeverLeavesTheSite() throws Exception {
        for (String path : new String[] {"/call?//evil.example", "/call?@evil.example/", "/call?%0d%0aX:1"}) {
            HttpResponse<String> r = get(path);
            assertEquals(308, r.statusCode(), path);
            assertTrue(r.headers().firstValue("location").orElse("").startsWith("/call/?"), path);
        }
    }
}
