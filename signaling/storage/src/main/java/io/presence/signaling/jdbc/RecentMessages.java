package io.presence.signaling.jdbc;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.ChatPage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest messages of one loaded persistent room, as committed: a contiguous run of ids ending at the room's
 * newest message, at most {@code capacity} of them, so history pages within it are served without a query.
 *
 * <p>Empty until seeded from the database (lazily, on the room's first page); commits (appends, edits, deletes)
 * update it. Commits that land while the seed is being read are kept aside and laid over the seed, so a seed read
 * before a commit cannot hide it. Thread-safe: the room's loop pages, storage threads report commits.
 */
final class RecentMessages {
    private final int capacity;
    private final List<ChatMessageView> messages = new ArrayList<>();
    private final Map<Long, ChatMessageView> whileSeeding = new LinkedHashMap<>();
    private boolean seeding;
    private boolean seeded;
    /** The run reaches back to the room's oldest message: nothing older is in the database. */
    private boolean complete;

    RecentMessages(int capacity) {
        this.capacity = capacity;
    }

    /** True when the caller should read the seed now (once; never with no capacity). */
    synchronized boolean startSeeding() {
        if (seeded || seeding || capacity == 0) {
            return false;
        }
        seeding = true;
        return true;
    }

    /** The seed: the room's newest messages oldest first; {@code all} when nothing older exists. */
    synchronized void seeded(List<ChatMessageView> newest, boolean all) {
        seeding = false;
        seeded = true;
        complete = all;
        messages.addAll(newest);
        for (ChatMessageView m : whileSeeding.values()) {
            put(m);
        }
        whileSeeding.clear();
    }

    synchronized void seedFailed() {
        seeding = false;
        whileSeeding.clear();
    }

    /** A committed message, new or changed. */
    synchronized void committed(ChatMessageView m) {
        if (seeded) {
            put(m);
        } else if (seeding) {
            whileSeeding.put(m.id(), m);
        }
    }

    /**
     * Up to {@code limit} messages below {@code before} (null = the newest), or null when the run cannot answer
     * (not seeded, the cursor is not in it, or the page reaches below it).
     */
    synchronized ChatPage before(Long before, int limit) {
        if (!seeded) {
            return null;
        }
        int end = before == null ? messages.size() : indexOf(before);
        if (end < 0) {
            return null;
        }
        int from = Math.max(0, end - limit);
        if (end - from < limit && !complete) {
            return null;
        }
        return new ChatPage(new ArrayList<>(messages.subList(from, end)), from > 0 || !complete);
    }

    /** Up to {@code limit} messages above {@code after}, or null when the cursor is not in the run. */
    synchronized ChatPage after(long after, int limit) {
        if (!seeded) {
            return null;
        }
        int at = indexOf(after);
        if (at < 0) {
            return null;
        }
        int from = at + 1;
        int end = (int) Math.min(messages.size(), (long) from + limit);
        return new ChatPage(new ArrayList<>(messages.subList(from, end)), end < messages.size());
    }

    /** Newer than the run's last: appended (the oldest drops out past capacity); within it: replaced. */
    private void put(ChatMessageView m) {
        int size = messages.size();
        if (size == 0 || m.id() > messages.get(size - 1).id()) {
            if (size > 0 && m.id() != messages.get(size - 1).id() + 1) {
                // A gap would break the run's promise (contiguous ids): start over from the database.
                messages.clear();
                seeded = false;
                return;
            }
            messages.add(m);
            if (messages.size() > capacity) {
                messages.remove(0);
                complete = false;
            }
            return;
        }
        int i = indexOf(m.id());
        if (i >= 0) {
            messages.set(i, m);
        }
    }

    private int indexOf(long id) {
        int lo = 0;
        int hi = messages.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long at = messages.get(mid).id();
            if (at < id) {
                lo = mid + 1;
            } else if (at > id) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }
}
