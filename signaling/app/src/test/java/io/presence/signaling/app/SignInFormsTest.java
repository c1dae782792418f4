package io.presence.signaling.app;

import io.presence.signaling.http.HttpEndpoint;
import io.presence.signaling.http.HttpEndpoints;
import io.presence.signaling.http.HttpRequest;
import io.presence.signaling.http.HttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class SignInFormsTest {

    private static HttpResponse call(HttpEndpoint endpoint, String method) {
        return endpoint.handle(new HttpRequest(method, SignInForms.PATH, SignInForms.PATH, null, Map.of(), Map.of(),
                new byte[0], null)).toCompletableFuture().join();
    }

    @Test
    void namesTheEnabledProvidersOnlyAndIsNeverCached() {
        HttpResponse all = call(new SignInForms(true, true, true, true), "GET");
        assertEquals(200, all.status());
        assertEquals(HttpResponse.JSON, all.contentType());
        assertEquals("no-cache", all.headers().get("Cache-Control"));
        assertEquals("{\"providers\":[\"jwt\",\"friend\",\"guest\",\"dev\"]}", new String(all.body(), StandardCharsets.UTF_8));
        HttpResponse some = call(new SignInForms(true, false, true, false), "GET");
        assertEquals("{\"providers\":[\"jwt\",\"guest\"]}", new String(some.body(), StandardCharsets.UTF_8),
                "no developer form on a server without the development provider");
        assertEquals(405, call(new SignInForms(true, false, false, false), "POST").status());
    }

    @Test
    void anExactPathWinsOverItsFolderAndMatchesNothingElse() {
        HttpEndpoint folder = r -> null;
        HttpEndpoint file = r -> null;
        HttpEndpoints served = HttpEndpoints.NONE.with("/app/", folder).withPath(SignInForms.PATH, file);
        assertSame(file, served.find("/app/sign-in.json"));
        assertSame(folder, served.find("/app/app.js"));
        assertNull(HttpEndpoints.NONE.withPath(SignInForms.PATH, file).find("/app/sign-in.json/x"));
        assertNull(HttpEndpoints.NONE.withPath(SignInForms.PATH, file).find("/app/app.js"));
    }
}
