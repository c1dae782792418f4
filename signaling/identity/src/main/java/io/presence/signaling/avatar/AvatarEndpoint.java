package io.presence.signaling.avatar;

import io.presence.signaling.http.HttpEndpoint;
import io.presence.signaling.http.HttpRequest;
import io.presence.signaling.http.HttpResponse;
import io.presence.signaling.protocol.AvatarPath;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code GET /avatar/{user|room|guest}/{id}.png?size=N}: the pixel avatar of that id, exactly for the paths
 * {@link AvatarPath} accepts. An avatar never changes (it is a function of the path and size), so it is sent with a
 * strong ETag (a hash of its bytes) and cached by browsers for a year; {@code If-None-Match} is answered 304.
 * Rendered images are kept in a bounded {@link AvatarCache}.
 *
 * <p>Rendering runs on the given executor, never on the calling event loop: a 512-pixel avatar takes a few
 * milliseconds (mostly deflate; see signaling/API.md for the measured numbers). Cache hits are answered inline.
 */
public final class AvatarEndpoint implements HttpEndpoint {
    public static final int MIN_SIZE = 16;
    public static final int MAX_SIZE = 512;
    public static final int DEFAULT_SIZE = 64;
    /** Enough for every size of a few hundred members' avatars. */
    public static final long DEFAULT_CACHE_BYTES = 8L * 1024 * 1024;
    static final String CACHE_CONTROL = "public, max-age=31536000, immutable";
    static final String SIZE_RULE = "size must be a whole number of pixels from " + MIN_SIZE + " to " + MAX_SIZE;

    private final Executor renderer;
    private final AvatarMetrics metrics;
    private final AvatarCache cache;

    /**
     * @param renderer   where cache misses are rendered (bounded; a rejection is answered 503)
     * @param cacheBytes the most bytes of rendered images kept
     */
    public AvatarEndpoint(Executor renderer, AvatarMetrics metrics, long cacheBytes) {
        this.renderer = renderer;
        this.metrics = metrics;
        this.cache = new AvatarCache(cacheBytes);
    }

    @Override
    public CompletionStage<HttpResponse> handle(HttpRequest request) {
        if (!"GET".equals(request.method())) {
            return done(HttpResponse.error(405, "method_not_allowed", "avatars answer GET and HEAD only")
                    .withHeader("Allow", "GET, HEAD"));
        }
        AvatarPath.Parsed parsed = AvatarPath.parse(request.path());
        if (parsed == null) {
            return done(HttpResponse.error(404, "not_found", "no avatar at this path; avatar paths are "
                    + AvatarPath.PREFIX + "{user|room|guest}/<id>" + AvatarPath.SUFFIX));
        }
        Integer size = size(request.queryParameter("size"));
        if (size == null) {
            return done(HttpResponse.error(400, "invalid_field", SIZE_RULE));
        }
        AvatarCache.Key key = new AvatarCache.Key(parsed.kind(), parsed.id(), size);
        AvatarCache.Rendered cached = cache.get(key);
        if (cached != null) {
            metrics.cacheHit();
            return done(answer(request, cached));
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                AvatarCache.Rendered rendered = render(key);
                metrics.rendered();
                cache.put(key, rendered);
                return answer(request, rendered);
            }, renderer);
        } catch (RejectedExecutionException e) {
            return done(HttpResponse.error(503, "busy", "too many avatars being drawn; retry shortly")
                    .withHeader("Retry-After", "1"));
        }
    }

    static AvatarCache.Rendered render(AvatarCache.Key key) {
        byte[] png = PixelAvatar.png(key.kind(), key.id(), key.size());
        return new AvatarCache.Rendered(png, etagOf(png));
    }

    private static HttpResponse answer(HttpRequest request, AvatarCache.Rendered rendered) {
        Map<String, String> headers = Map.of("ETag", rendered.etag(), "Cache-Control", CACHE_CONTROL);
        if (matches(request.header("If-None-Match"), rendered.etag())) {
            return new HttpResponse(304, null, headers, new byte[0]);
        }
        return new HttpResponse(200, HttpResponse.PNG, headers, rendered.png());
    }

    /** {@code If-None-Match}: {@code *}, or a list of ETags, weak ones compared weakly (RFC 9110 §13.1.2). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** The requested size, the default when absent, or null when it is not an allowed size. */
    static Integer size(String value) {
        if (value == null) {
            return DEFAULT_SIZE;
        }
        if (value.isEmpty() || value.length() > 3) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return null;
            }
        }
        int size = Integer.parseInt(value);
        return size >= MIN_SIZE && size <= MAX_SIZE ? size : null;
    }

    static String etagOf(byte[] png) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(png);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static CompletionStage<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
