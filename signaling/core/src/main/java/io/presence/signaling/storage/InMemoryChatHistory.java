package io.presence.signaling.storage;

import io.presence.signaling.protocol.ChatMessageView;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} messages in a ring. Ids increase, so the ring is sorted and a page is a binary search.
 * Not thread-safe: owned by one room's loop (through its {@link InMemoryChatStore} log).
 */
final class InMemoryChatHistory {
    private final ChatMessageView[] ring;
    private int start;
    private int size;

    InMemoryChatHistory(int capacity) {
        this.ring = new ChatMessageView[capacity];
    }

    void append(ChatMessageView message) {
        if (ring.length == 0) {
            return;
        }
        if (size > 0 && message.id() <= get(size - 1).id()) {
            throw new IllegalArgumentException("ids must increase: " + message.id());
        }
        if (size < ring.length) {
            ring[(start + size) % ring.length] = message;
            size++;
        } else {
            ring[start] = message;
            start = (start + 1) % ring.length;
        }
    }

    ChatPage page(Long before, int limit) {
        int end = before == null ? size : firstIndexAtLeast(before);
        int from = Math.max(0, end - limit);
        List<ChatMessageView> out = new ArrayList<>(end - from);
        for (int i = from; i < end; i++) {
            out.add(get(i));
        }
        return new ChatPage(out, from > 0);
    }

    /** Up to {@code limit} messages with id above {@code after}, oldest first; hasMore when newer ones remain. */
    ChatPage pageAfter(long after, int limit) {
        int from = firstIndexAtLeast(after + 1);
        int end = (int) Math.min(size, (long) from + limit);
        List<ChatMessageView> out = new ArrayList<>(end - from);
        for (int i = from; i < end; i++) {
            out.add(get(i));
        }
        return new ChatPage(out, end < size);
    }

    /** The message with that id, or null when the ring does not hold it. */
    ChatMessageView find(long messageId) {
        int i = firstIndexAtLeast(messageId);
        return i < size && get(i).id() == messageId ? get(i) : null;
    }

    /** Puts {@code changed} in place of the held message with the same id (edits and deletes keep the id). */
    void replace(ChatMessageView changed) {
        int i = firstIndexAtLeast(changed.id());
        if (i < size && get(i).id() == changed.id()) {
            ring[(start + i) % ring.length] = changed;
        }
    }

    boolean contains(long messageId) {
        int i = firstIndexAtLeast(messageId);
        return i < size && get(i).id() == messageId;
    }

    int size() {
        return size;
    }

    private ChatMessageView get(int i) {
        return ring[(start + i) % ring.length];
    }

    private int firstIndexAtLeast(long id) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid).id() < id) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
