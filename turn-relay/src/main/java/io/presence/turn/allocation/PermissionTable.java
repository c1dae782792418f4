package io.presence.turn.allocation;

import io.presence.turn.metrics.TurnMetrics;

import java.net.InetAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * An allocation's permissions (RFC 8656 §9), by peer IP, at most {@code quota} of them. Lapsed entries still count
 * until {@link #expire} removes them (within a second, from the sweep): the quota bounds memory.
 *
 * <p>The owner's loop reads and changes the map. Other loops (in-process hand-offs) read {@link #permitsFromAnyLoop}:
 * an immutable copy of the map, published through a volatile field whenever an IP comes or goes (rare next to
 * packets); a refresh only moves a permission's volatile expiry, which they read at use. A copy a few microseconds old
 * judges a racing packet as if it had arrived just before the change, which is indistinguishable from network timing.
 */
final class PermissionTable {
    private final int quota;
    private final TurnMetrics metrics;
    private final OwnHost ownHost;
    private final Map<InetAddress, Permission> permissions = new HashMap<>(4);
    private volatile Map<InetAddress, Permission> published = Map.of();

    PermissionTable(int quota, TurnMetrics metrics, OwnHost ownHost) {
        this.quota = quota;
        this.metrics = metrics;
        this.ownHost = ownHost;
    }

    /** The permission for {@code ip}, live or lapsed, or null. On the loop. */
    Permission get(InetAddress ip) {
        return permissions.get(ip);
    }

    /** Whether a live permission for {@code ip} is installed at {@code now}. On the loop. */
    boolean live(InetAddress ip, long now) {
        Permission p = permissions.get(ip);
        return p != null && p.live(now);
    }

    /** As {@link #live}, from any loop. */
    boolean permitsFromAnyLoop(InetAddress ip, long now) {
        Permission p = published.get(ip);
        return p != null && p.live(now);
    }

    /** Whether permissions for all of {@code ips} fit the quota (installed ones are refreshed, not added). */
    boolean fit(Collection<InetAddress> ips) {
        Set<InetAddress> fresh = new HashSet<>();
        for (InetAddress ip : ips) {
            if (!permissions.containsKey(ip)) {
                fresh.add(ip);
            }
        }
        return permissions.size() + fresh.size() <= quota;
    }

    /** Whether a permission for {@code ip} fits the quota: it is installed, or there is room for one more. */
    boolean fits(InetAddress ip) {
        return permissions.containsKey(ip) || permissions.size() < quota;
    }

    /** Installs the permission for {@code ip} until {@code until}, or refreshes it. Quota checked by the caller. */
    void permit(InetAddress ip, long until) {
        Permission p = permissions.get(ip);
        if (p != null) {
            p.refresh(until);
            return;
        }
        permissions.put(ip, new Permission(ip, ownHost.kind(ip), until));
        metrics.permissionsChanged(+1);
        publish();
    }

    /**
     * Removes the permissions lapsed at {@code now}. Returns the earliest expiry of those left, at most {@code next}.
     */
    long expire(long now, long next) {
        boolean removed = false;
        for (Iterator<Permission> it = permissions.values().iterator(); it.hasNext(); ) {
            Permission p = it.next();
            if (!p.live(now)) {
                it.remove();
                removed = true;
                metrics.permissionsChanged(-1);
            } else {
                next = Math.min(next, p.expiresAt());
            }
        }
        if (removed) {
            publish();
        }
        return next;
    }

    /** Removes every permission (the allocation closes). */
    void clear() {
        metrics.permissionsChanged(-permissions.size());
        permissions.clear();
        published = Map.of();
    }

    int size() {
        return permissions.size();
    }

    private void publish() {
        published = Map.copyOf(permissions);
    }
}
