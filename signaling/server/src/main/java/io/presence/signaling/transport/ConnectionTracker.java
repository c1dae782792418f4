package io.presence.signaling.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every open connection of one server, so that drain and close can reach them. Thread-safe. */
final class ConnectionTracker {
    private final Set<ChannelConnection> open = ConcurrentHashMap.newKeySet();

    void opened(ChannelConnection c) {
        open.add(c);
    }

    void closed(ChannelConnection c) {
        open.remove(c);
    }

    Set<ChannelConnection> snapshot() {
        return Set.copyOf(open);
    }

    int size() {
        return open.size();
    }
}
