package io.presence.signaling.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of an endpoint. The transport adds {@code Content-Length}, {@code Connection} and
 * {@code X-Content-Type-Options: nosniff}; everything else an endpoint wants sent is in {@link #headers}.
 *
 * @param contentType null for a response without a body (e.g. 304)
 * @param headers     extra headers by name
 */
public record HttpResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
    public static final String JSON = "application/json; charset=utf-8";
    public static final String PNG = "image/png";
    public static final String TEXT = "text/plain; charset=utf-8";

    public HttpResponse {
        headers = Map.copyOf(headers);
    }

    public static HttpResponse json(int status, String json) {
        return new HttpResponse(status, JSON, Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, TEXT, Map.of(), text.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse empty(int status) {
        return new HttpResponse(status, null, Map.of(), new byte[0]);
    }

    /** This response with one more header. */
    public HttpResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, contentType, more, body);
    }
}
