package io.presence.signaling.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The endpoints served on the public listener, by path prefix. A prefix ends with {@code /}, so {@code /api/v1/}
 * never matches {@code /api/v10}; the longest matching prefix wins. An exact path ({@link #withPath}) wins over
 * every prefix, so one file can be served among the static pages of its folder. Immutable.
 */
public final class HttpEndpoints {
    public static final HttpEndpoints NONE = new HttpEndpoints(List.of());

    /** {@code exact}: the route matches its path only, not what lies under it. */
    private record Route(String prefix, HttpEndpoint endpoint, boolean exact) { }

    private final List<Route> routes;

    private HttpEndpoints(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** These endpoints and {@code endpoint} under {@code prefix}, which must start and end with {@code /}. */
    public HttpEndpoints with(String prefix, HttpEndpoint endpoint) {
        if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 3) {
            throw new IllegalArgumentException("an endpoint prefix starts and ends with '/': " + prefix);
        }
        return add(new Route(prefix, endpoint, false));
    }

    /** These endpoints and {@code endpoint} at exactly {@code path} (no query), which starts with {@code /}. */
    public HttpEndpoints withPath(String path, HttpEndpoint endpoint) {
        if (!path.startsWith("/") || path.endsWith("/") || path.length() < 2) {
            throw new IllegalArgumentException("an endpoint path starts with '/' and names a file: " + path);
        }
        return add(new Route(path, endpoint, true));
    }

    private HttpEndpoints add(Route route) {
        for (Route r : routes) {
            if (r.prefix.equals(route.prefix)) {
                throw new IllegalArgumentException("two endpoints at " + route.prefix);
            }
        }
        List<Route> more = new ArrayList<>(routes);
        more.add(route);
        // Exact paths first, then the longest prefix, so that the first match is the most specific.
        more.sort((a, b) -> a.exact != b.exact ? (a.exact ? -1 : 1) : Integer.compare(b.prefix.length(), a.prefix.length()));
        return new HttpEndpoints(more);
    }

    /** The endpoint serving {@code path}, or null. */
    public HttpEndpoint find(String path) {
        for (Route r : routes) {
            if (r.exact ? path.equals(r.prefix) : path.startsWith(r.prefix)) {
                return r.endpoint;
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }
}
