package io.presence.signaling.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web files' paths over real HTTP on loopback (no browser needed). */
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

    /** The web client is the page at / and at every invite link; anything else under /join/ is not a page. */
    @Test
    void clientIsServedAtTheRootAndAtInviteLinks() throws Exception {
        HttpResponse<String> root = get("/");
        assertEquals(200, root.statusCode());
        assertEquals("text/html; charset=utf-8", root.headers().firstValue("content-type").orElse(""));
        assertTrue(root.body().contains("src=\"/app/app.js\""), root.body());
        HttpResponse<String> join = get("/join/Qm9uam91ciBsZXMgYW1pcw");
        assertEquals(200, join.statusCode());
        assertEquals(root.body(), join.body());
        assertTrue(join.headers().firstValue("content-security-policy").orElse("").contains("script-src 'self'"));
        for (String path : new String[] {"/join/", "/join", "/join/a/b", "/join/a.b", "/join/../sdk/presence.js",
                "/join/" + "x".repeat(129)}) {
            assertEquals(404, get(path).statusCode(), path);
        }
        assertEquals(200, get("/app/app.js").statusCode());
        assertEquals("text/css; charset=utf-8", get("/app/app.css").headers().firstValue("content-type").orElse(""));
    }

    /**
     * Text files go gzipped to a client that takes gzip, with their own ETag; the same bytes as the plain file once
     * unzipped; a client that refuses gzip (none, or q=0) gets the plain file.
     */
    @Test
    void textFilesAreGzippedForClientsThatTakeGzip() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + ts.server.webSocketAddress().getPort() + "/sdk/presence.js");
        HttpResponse<byte[]> plain = http.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> zipped = http.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "br, gzip;q=0.8")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", zipped.headers().firstValue("content-encoding").orElse(""));
        assertEquals("Accept-Encoding", zipped.headers().firstValue("vary").orElse(""));
        assertTrue(zipped.body().length * 2 < plain.body().length, zipped.body().length + " of " + plain.body().length);
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(zipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
        String etag = zipped.headers().firstValue("etag").orElseThrow();
        assertNotEquals(plain.headers().firstValue("etag").orElseThrow(), etag, "another representation, another ETag");
        assertEquals(304, http.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip")
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode());
        for (String refusing : new String[] {"identity", "gzip;q=0", "br"}) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", refusing).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertTrue(r.headers().firstValue("content-encoding").isEmpty(), refusing);
            assertArrayEquals(plain.body(), r.body(), refusing);
        }
    }

    /** The old call page's addresses lead to the client, which holds calls now; the query goes along. */
    @Test
    void oldCallPageRedirectsToTheClientKeepingTheQuery() throws Exception {
        for (String path : new String[] {"/call", "/call/"}) {
            HttpResponse<String> r = get(path);
            assertEquals(308, r.statusCode(), path);
            assertEquals("/", r.headers().firstValue("location").orElse(""), path);
            HttpResponse<String> q = get(path + "?room=abc");
            assertEquals("/?room=abc", q.headers().firstValue("location").orElse(""), path);
        }
        assertEquals(404, get("/call/call.js").statusCode(), "the old page's script is gone");
    }

    @Test
    void redirectTargetNeverLeavesTheSite() throws Exception {
        for (String path : new String[] {"/call?//evil.example", "/call/?@evil.example/", "/call?%0d%0aX:1"}) {
            HttpResponse<String> r = get(path);
            assertEquals(308, r.statusCode(), path);
            assertTrue(r.headers().firstValue("location").orElse("").startsWith("/?"), path);
        }
    }

    private HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + ts.server.webSocketAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).header("If-None-Match", ifNoneMatch)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The SDK's paths, which pages elsewhere rely on, with their types and the security headers. */
    @Test
    void sdkFilesAreServedFromTheManifestWithTypesAndSecurityHeaders() throws Exception {
        HttpResponse<String> sdk = get("/sdk/presence.js");
        assertEquals(200, sdk.statusCode());
        assertEquals("text/javascript; charset=utf-8", sdk.headers().firstValue("content-type").orElse(""));
        assertTrue(sdk.body().contains("export class PresenceClient"), "the SDK module");
        assertEquals("nosniff", sdk.headers().firstValue("x-content-type-options").orElse(""));
        assertEquals("no-referrer", sdk.headers().firstValue("referrer-policy").orElse(""));
        String csp = sdk.headers().firstValue("content-security-policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("default-src 'none'")
                && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe"), csp);
        assertEquals("*", sdk.headers().firstValue("access-control-allow-origin").orElse(""),
                "host sites on other origins import the module");
        assertEquals("", get("/app/app.js").headers().firstValue("access-control-allow-origin").orElse(""),
                "only the SDK is for other sites");
        HttpResponse<String> types = get("/sdk/presence.d.ts");
        assertEquals(200, types.statusCode());
        assertEquals("application/typescript; charset=utf-8", types.headers().firstValue("content-type").orElse(""));
        for (String path : new String[] {"/sdk/", "/sdk", "/sdk/presence.js/", "/sdk/../call/call.js", "/web/files.txt",
                "/files.txt", "/sdk/PRESENCE.JS", "/sdk/presence.js%00"}) {
            assertEquals(404, get(path).statusCode(), path);
        }
    }

    /** Browsers revalidate (no-cache) and an unchanged file costs a 304 without a body. */
    @Test
    void etagRevalidationAnswersNotModified() throws Exception {
        HttpResponse<String> first = get("/sdk/presence.js");
        String etag = first.headers().firstValue("etag").orElseThrow();
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
        assertEquals("no-cache", first.headers().firstValue("cache-control").orElse(""));
        HttpResponse<String> again = get("/sdk/presence.js", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertEquals(etag, again.headers().firstValue("etag").orElse(""));
        assertEquals(200, get("/sdk/presence.js", "\"other\"").statusCode());
        assertEquals(304, get("/sdk/presence.js", "\"other\", W/" + etag).statusCode());
        assertTrue(!etag.equals(get("/app/app.js").headers().firstValue("etag").orElse("")), "one tag per file");
    }

    @Test
    void manifestTypesFollowTheExtension() {
        assertEquals("text/javascript; charset=utf-8", StaticPages.contentType("sdk/presence.js"));
        assertEquals("application/typescript; charset=utf-8", StaticPages.contentType("sdk/presence.d.ts"));
        assertEquals("text/html; charset=utf-8", StaticPages.contentType("app/index.html"));
        assertEquals("text/css; charset=utf-8", StaticPages.contentType("sdk/example.css"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> StaticPages.contentType("secret.properties"));
    }
}
