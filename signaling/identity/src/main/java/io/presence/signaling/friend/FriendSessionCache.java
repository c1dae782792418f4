package io.presence.signaling.friend;

import io.presence.signaling.identity.Principal;
import io.presence.signaling.runtime.TimeSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Friend sessions FriendCore vouched for a moment ago, so that a client reconnecting in a loop does not turn into a
 * request to FriendCore per attempt. Keyed by a SHA-256 of the authId: a heap dump or a debugger shows no usable
 * session id. Bounded: the oldest entry goes first when full; entries older than the TTL are never returned.
 *
 * <p>Thread-safe (one lock; every operation is a map access).
 */
final class FriendSessionCache {

    private record Entry(String login, Principal principal, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final TimeSource time;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    FriendSessionCache(java.time.Duration ttl, int maxEntries, TimeSource time) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.time = time;
    }

    /** The principal FriendCore vouched for with this authId and login, if still fresh. */
    synchronized Principal get(String authId, String login) {
        String key = key(authId);
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (time.nanos() - e.expiresAtNanos >= 0) {
            entries.remove(key);
            return null;
        }
        return e.login.equals(login) ? e.principal : null;
    }

    synchronized void put(String authId, String login, Principal principal) {
        if (ttlNanos == 0) {
            return;
        }
        String key = key(authId);
        entries.remove(key);
        entries.put(key, new Entry(login, principal, time.nanos() + ttlNanos));
        Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
        while (entries.size() > maxEntries && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Forgets every session of {@code userId}: the next sign-in asks FriendCore again. */
    synchronized int dropUser(String userId) {
        int before = entries.size();
        entries.values().removeIf(e -> e.principal.userId().equals(userId));
        return before - entries.size();
    }

    synchronized int size() {
        return entries.size();
    }

    /** The short, non-reversible handle of an authId, safe for logs. */
    static String key(String authId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(authId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
