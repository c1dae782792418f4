package io.presence.signaling.http;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One complete HTTP request as an endpoint sees it, free of any transport type: the transport has read and bounded
 * the body already. A HEAD request reaches an endpoint as GET (the transport drops the body of the answer).
 *
 * @param method        upper case, e.g. {@code GET}
 * @param target        the request target as sent: raw path and query (what a request signature covers)
 * @param path          the decoded path, without the query
 * @param rawQuery      the query as sent, without {@code ?} ({@code ""} when none)
 * @param query         the decoded query parameters
 * @param headers       by lower-case name; repeated headers joined with {@code ", "}
 * @param body          the request body ({@code byte[0]} when none); owned by the endpoint
 * @param remoteAddress where the request came from (throttles count failures per source)
 */
public record HttpRequest(String method, String target, String path, String rawQuery, Map<String, List<String>> query,
                          Map<String, String> headers, byte[] body, InetAddress remoteAddress) {

    public HttpRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** The header's value, or null; {@code name} in any case. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The first value of query parameter {@code name}, or null. */
    public String queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

}
