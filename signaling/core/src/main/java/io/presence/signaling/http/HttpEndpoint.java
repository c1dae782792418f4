package io.presence.signaling.http;

import java.util.concurrent.CompletionStage;

/**
 * Something served over plain HTTP on the public listener under a path prefix (see {@link HttpEndpoints}): avatars,
 * the host-platform API. The transport hands it complete, bounded requests and writes what it answers.
 *
 * <p>Called on an event loop: an endpoint must not block. Slow work goes to an executor and completes the stage
 * from there. A stage that completes exceptionally, or a throw, is answered 500 with no detail: an endpoint turns
 * every failure it expects into a typed response itself.
 */
@FunctionalInterface
public interface HttpEndpoint {

    CompletionStage<HttpResponse> handle(HttpRequest request);
}
