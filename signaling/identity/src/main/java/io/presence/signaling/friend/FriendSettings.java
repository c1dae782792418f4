package io.presence.signaling.friend;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how Friend sign-in asks FriendCore about a session.
 *
 * @param url       FriendCore's base address ({@code https://friend.example.org}); the request goes to
 *                  {@link #MODULE_PATH} below it
 * @param caFile    a PEM file of CA certificates trusted in addition to the JDK's (a FriendCore with a private CA),
 *                  or null
 * @param timeout   connect and answer deadline of one request
 * @param cacheTtl  how long a validated session is believed without asking again; zero = never cached
 * @param cacheSize the most sessions remembered at once
 */
public record FriendSettings(URI url, Path caFile, Duration timeout, Duration cacheTtl, int cacheSize) {

    public static final String MODULE_PATH = "/system.library/module/";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    public static final int DEFAULT_CACHE_SIZE = 10_000;

    public FriendSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (!url.isAbsolute() || url.getHost() == null) {
            throw new IllegalArgumentException("url must be an absolute http(s) address with a host");
        }
        if (!isAcceptableScheme(url)) {
            throw new IllegalArgumentException("url must be https (http only towards loopback): the authId "
                    + "travels in it");
        }
        if (timeout.isNegative() || timeout.isZero() || cacheTtl.isNegative() || cacheSize < 1) {
            throw new IllegalArgumentException("timeout must be > 0, cacheTtl >= 0 and cacheSize >= 1");
        }
    }

    /**
     * https, or http to this machine only: a Friend session id sent in clear text over a network can be replayed by
     * whoever reads it, and the answer could be forged.
     */
    public static boolean isAcceptableScheme(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return true;
        }
        return scheme.equals("http") && url.getHost() != null && isLoopbackHost(url.getHost());
    }

    static boolean isLoopbackHost(String host) {
        String h = host.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        return h.equals("localhost") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || h.equals("::1");
    }

    /** The userinfoget endpoint. */
    public URI endpoint() {
        String base = url.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + MODULE_PATH);
    }
}
