package io.presence.signaling.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signatures of accepted signed requests, each kept until its timestamp leaves the replay window: a captured
 * request cannot be sent again while its timestamp would still pass. Bounded: when full of signatures that are all
 * still inside the window, new signed requests are refused rather than an old one forgotten (forgetting one would
 * let it be replayed).
 *
 * <p>Thread-safe: one lock, held for a lookup and insert.
 */
final class SeenSignatures {
    static final int DEFAULT_CAPACITY = 100_000;

    enum Outcome { FRESH, REPLAYED, FULL }

    private final int capacity;
    /** Signature → epoch ms after which it may be forgotten; insertion order is close to expiry order. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    SeenSignatures(int capacity) {
        this.capacity = capacity;
    }

    /** Records {@code signature} as used until {@code expiresAtMillis}, unless it was used before. */
    synchronized Outcome use(String signature, long expiresAtMillis, long nowMillis) {
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> oldest = it.next();
            if (oldest.getValue() > nowMillis) {
                break;
            }
            it.remove();
        }
        Long until = seen.get(signature);
        if (until != null && until > nowMillis) {
            return Outcome.REPLAYED;
        }
        if (seen.size() >= capacity) {
            // Entries can expire out of insertion order (timestamps vary within the window): sweep them all once.
            seen.values().removeIf(expiry -> expiry <= nowMillis);
            if (seen.size() >= capacity) {
                return Outcome.FULL;
            }
        }
        seen.put(signature, expiresAtMillis);
        return Outcome.FRESH;
    }

    synchronized int size() {
        return seen.size();
    }
}
