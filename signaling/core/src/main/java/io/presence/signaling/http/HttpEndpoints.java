package io.presence.signaling.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The endpoints served on the public listener, by path prefix. A prefix ends with {@code /}, so {@code /api/v1/}
 * never matches {@code /api/v10}; the longest matching prefix wins. Immutable.
 */
public final class HttpEndpoints {
    public static final HttpEndpoints NONE = new HttpEndpoints(List.of());

    private record Route(String prefix, HttpEndpoint endpoint) { }

    private final List<Route> routes;

    private HttpEndpoints(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** These endpoints and {@code endpoint} under {@code prefix}, which must start and end with {@code /}. */
    public HttpEndpoints with(String prefix, HttpEndpoint endpoint) {
        if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 3) {
            throw new IllegalArgumentException("an endpoint prefix starts and ends with '/': " + prefix);
        }
        for (Route r : routes) {
            if (r.prefix.equals(prefix)) {
                throw new IllegalArgumentException("two endpoints under " + prefix);
            }
        }
        List<Route> more = new ArrayList<>(routes);
        more.add(new Route(prefix, endpoint));
        // Longest first, so that the first match is the most specific.
        more.sort((a, b) -> Integer.compare(b.prefix.length(), a.prefix.length()));
        return new HttpEndpoints(more);
    }

    /** The endpoint serving {@code path}, or null. */
    public HttpEndpoint find(String path) {
        for (Route r : routes) {
            if (path.startsWith(r.prefix)) {
                return r.endpoint;
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }
}
