package io.presence.signaling.avatar;

import io.presence.signaling.protocol.AvatarPath;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rendered avatars by kind, id and size, least recently used first out, bounded by the bytes it holds: a member
 * list fetched by every member asks for the same few images again and again, while ids are unbounded (anyone may
 * ask for any id), so the bound is on memory, not on ids.
 *
 * <p>Thread-safe: one lock around a small map; held for a lookup or an insert, never while rendering.
 */
final class AvatarCache {

    record Key(AvatarPath.Kind kind, String id, int size) { }

    /** A PNG and its strong ETag (quoted). */
    record Rendered(byte[] png, String etag) { }

    private final long maxBytes;
    private final LinkedHashMap<Key, Rendered> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    AvatarCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized Rendered get(Key key) {
        return entries.get(key);
    }

    /** Keeps {@code rendered} unless it alone is larger than the bound; evicts the least recently used to fit. */
    synchronized void put(Key key, Rendered rendered) {
        long size = rendered.png().length;
        if (size > maxBytes) {
            return;
        }
        Rendered previous = entries.put(key, rendered);
        if (previous != null) {
            bytes -= previous.png().length;
        }
        bytes += size;
        Iterator<Map.Entry<Key, Rendered>> oldest = entries.entrySet().iterator();
        while (bytes > maxBytes && oldest.hasNext()) {
            bytes -= oldest.next().getValue().png().length;
            oldest.remove();
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }
}
