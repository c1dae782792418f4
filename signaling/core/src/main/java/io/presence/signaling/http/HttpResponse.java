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

    /**
     * A typed error, {@code {"error":{"code":…,"message":…}}}: what every endpoint answers to a request it refuses,
     * so a caller can act on {@code code} and show {@code message}.
     */
    public static HttpResponse error(int status, String code, String message) {
        return json(status, "{\"error\":{\"code\":" + quote(code) + ",\"message\":" + quote(message) + "}}");
    }

    /** {@code s} as a JSON string literal. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
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
