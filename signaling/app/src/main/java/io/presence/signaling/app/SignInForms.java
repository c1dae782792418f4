package io.presence.signaling.app;

import io.presence.signaling.http.HttpEndpoint;
import io.presence.signaling.http.HttpRequest;
import io.presence.signaling.http.HttpResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /app/sign-in.json}: which sign-in providers this appliance accepts, so the web client offers only the
 * forms that can work (the developer form only when the development provider is on). It names providers and
 * nothing else: no keys, no issuer, no address of FriendCore. Not cached, so a restart with other settings shows at
 * the next page load.
 */
final class SignInForms implements HttpEndpoint {
    static final String PATH = "/app/sign-in.json";

    private final byte[] body;

    SignInForms(boolean jwt, boolean friend, boolean guest, boolean dev) {
        List<String> on = new ArrayList<>();
        if (jwt) {
            on.add("jwt");
        }
        if (friend) {
            on.add("friend");
        }
        if (guest) {
            on.add("guest");
        }
        if (dev) {
            on.add("dev");
        }
        StringBuilder json = new StringBuilder("{\"providers\":[");
        for (int i = 0; i < on.size(); i++) {
            json.append(i == 0 ? "" : ",").append(HttpResponse.quote(on.get(i)));
        }
        body = json.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public CompletionStage<HttpResponse> handle(HttpRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return CompletableFuture.completedFuture(
                    HttpResponse.error(405, "method_not_allowed", "only GET").withHeader("Allow", "GET, HEAD"));
        }
        return CompletableFuture.completedFuture(new HttpResponse(200, HttpResponse.JSON,
                java.util.Map.of("Cache-Control", "no-cache"), body.clone()));
    }
}
