package io.presence.signaling.room;

import io.presence.signaling.runtime.Loop;
import io.presence.signaling.runtime.LoopGroup;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.storage.ChatStore;
import io.presence.signaling.storage.InMemoryChatStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All live rooms by id. Creating a room places it on one event loop of the group, which then owns its state for
 * its whole life; a room removes itself from here when its last member has left.
 *
 * <p>Thread-safe.
 */
public final class RoomRegistry {
    /** 16 random bytes: 128 bits, 22 URL-safe characters. */
    static final int ROOM_ID_BYTES = 16;

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final LoopGroup loops;
    private final ChatStore chats;
    private final RoomSettings settings;
    private final TimeSource time;
    private final RoomStats stats;
    private final LiveServices live;
    private final LiveStats liveStats;

    /** With the in-memory chat of {@code settings.historySize()} messages per room and standalone calls. */
    public RoomRegistry(LoopGroup loops, RoomSettings settings, TimeSource time, RoomStats stats) {
        this(loops, settings, time, stats, new InMemoryChatStore(settings.historySize()), LiveServices.standalone(),
                LiveStats.NONE);
    }

    public RoomRegistry(LoopGroup loops, RoomSettings settings, TimeSource time, RoomStats stats, ChatStore chats,
                        LiveServices live, LiveStats liveStats) {
        this.chats = chats;
        this.loops = loops;
        this.settings = settings;
        this.time = time;
        this.stats = stats;
        this.live = live;
        this.liveStats = liveStats;
    }

    /** A new empty room with the server's default privacy mode. */
    public Room create() {
        return create(null);
    }

    /**
     * A new empty room; the caller joins it at once (an empty room closes when its first member leaves).
     *
     * @param relayOnly privacy mode for its call; null = the server's default
     */
    public Room create(Boolean relayOnly) {
        return create(relayOnly, null);
    }

    /**
     * As {@link #create(Boolean)}, on {@code preferred} when it is one of this registry's loops. Sessions pass
     * their own loop: the creator's requests to the room and the room's replies and events back to it then need no
     * hop between threads (a one-to-one room costs one cross-loop hop per message instead of up to three). Rooms
     * still spread over the loops as the connections do (the transport assigns those round-robin).
     */
    public Room create(Boolean relayOnly, Loop preferred) {
        boolean privacy = relayOnly == null ? live.relayOnlyDefault() : relayOnly;
        Loop home = preferred != null && loops.contains(preferred) ? preferred : null;
        while (true) {
            String id = RandomIds.next(ROOM_ID_BYTES);
            Room[] holder = new Room[1];
            Loop loop = home != null ? home : loops.next();
            Room room = new Room(id, loop, settings, time, stats,
                    chats.open(id), () -> rooms.remove(id, holder[0]),
                    new LiveCall(id, loop, privacy, live, liveStats));
            holder[0] = room;
            if (rooms.putIfAbsent(id, room) == null) {
                stats.roomOpened();
                return room;
            }
        }
    }

    /** The call services every room's call uses (and whose limits clients are told in the welcome). */
    public LiveServices live() {
        return live;
    }

    /** The room, or null when no such room is open. */
    public Room find(String roomId) {
        return rooms.get(roomId);
    }

    public int size() {
        return rooms.size();
    }

    /** Forgets every room (server shutdown); their loops' pending tasks are dropped with the loops. */
    public void clear() {
        rooms.clear();
    }
}
