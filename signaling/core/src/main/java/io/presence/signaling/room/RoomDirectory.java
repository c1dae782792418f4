package io.presence.signaling.room;

import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RoomRole;
import io.presence.signaling.runtime.Loop;
import io.presence.signaling.runtime.LoopGroup;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.storage.ChatStore;
import io.presence.signaling.storage.EphemeralRoomStore;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.storage.RoomDetails;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.RoomSummary;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms: those loaded in memory by id, and the way to the others through the {@link RoomStore}. Opening a room
 * loads it from the store when it is not loaded; loading places it on one loop of the group, which owns its state
 * until it unloads. A persistent room unloads itself once it has been empty for {@link RoomSettings#idleUnload()}
 * (at once when zero) and then costs nothing here: the directory forgets it, and opening it loads it again with its
 * memberships. An ephemeral room unloads as soon as it is empty, and is gone.
 *
 * <p>Thread-safe.
 */
public final class RoomDirectory {
    /** 16 random bytes: 128 bits, 22 URL-safe characters. */
    static final int ROOM_ID_BYTES = 16;

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final LoopGroup loops;
    private final RoomStore store;
    private final ChatStore chats;
    private final RoomSettings settings;
    private final TimeSource time;
    private final RoomStats stats;
    private final LiveServices live;
    private final LiveStats liveStats;

    /** Ephemeral rooms, in-memory chat of {@code settings.historySize()} messages per room, standalone calls. */
    public RoomDirectory(LoopGroup loops, RoomSettings settings, TimeSource time, RoomStats stats) {
        this(loops, settings, time, stats, EphemeralRoomStore.INSTANCE, new InMemoryChatStore(settings.historySize()),
                LiveServices.standalone(), LiveStats.NONE);
    }

    public RoomDirectory(LoopGroup loops, RoomSettings settings, TimeSource time, RoomStats stats, RoomStore store,
                         ChatStore chats, LiveServices live, LiveStats liveStats) {
        this.loops = loops;
        this.store = store;
        this.chats = chats;
        this.settings = settings;
        this.time = time;
        this.stats = stats;
        this.live = live;
        this.liveStats = liveStats;
    }

    /**
     * A new empty room, kept by the store before it is handed out; the caller joins it at once (an empty room
     * unloads after the idle time).
     *
     * @param relayOnly privacy mode for its call; null = the server's default
     * @param preferred the creator's loop: used when it is one of the group's. The creator's requests to the room
     *                  and the room's replies and events back to it then need no hop between threads (a one-to-one
     *                  room costs one cross-loop hop per message instead of up to three). Rooms still spread over
     *                  the loops as the connections do (the transport assigns those round-robin).
     * @param creator   who creates it
     */
    public CompletionStage<Room> create(Boolean relayOnly, Loop preferred, Principal creator) {
        boolean privacy = relayOnly == null ? live.relayOnlyDefault() : relayOnly;
        Loop home = preferred != null && loops.contains(preferred) ? preferred : loops.next();
        String id;
        do {
            id = RandomIds.next(ROOM_ID_BYTES);
        } while (rooms.containsKey(id));
        RoomRecord record = new RoomRecord(id, privacy, creator.userId(), time.millis());
        return store.create(record).thenApply(written -> load(record, false, List.of(), home));
    }

    /**
     * The room {@code roomId} for {@code principal}: the loaded room, or the stored one loaded now, or a refusal.
     * Whether the principal may enter is the access policy's and the room's business, not the directory's.
     */
    public CompletionStage<RoomOpening> open(String roomId, Principal principal) {
        Room room = rooms.get(roomId);
        if (room != null) {
            return CompletableFuture.completedFuture(new RoomOpening.Opened(room));
        }
        return store.load(roomId).thenCompose(record -> record.isPresent()
                ? store.members(roomId).thenApply(members -> (RoomOpening)
                        new RoomOpening.Opened(load(record.get(), true, members, loops.next())))
                : CompletableFuture.completedFuture(new RoomOpening.Refused(RoomOpening.Reason.UNKNOWN_ROOM,
                        "no room with id '" + abbreviate(roomId) + "'")));
    }

    /**
     * The direct room of {@code caller} and {@code otherUserId} ({@link DirectRoomId}): the loaded one, the kept one
     * loaded now, or a new one kept with the two of them as its members and then loaded. Both are members; the
     * caller still joins it. Fails with {@code PersistenceUnsupportedException} when the store keeps no rooms.
     */
    public CompletionStage<RoomOpening> openDirect(Principal caller, String otherUserId) {
        String id = DirectRoomId.of(caller.userId(), otherUserId);
        Room room = rooms.get(id);
        if (room != null) {
            return CompletableFuture.completedFuture(new RoomOpening.Opened(room));
        }
        RoomRecord record = new RoomRecord(id, live.relayOnlyDefault(), caller.userId(), time.millis(), true);
        List<RoomMembership> members = List.of(
                new RoomMembership(caller.userId(), RoomRole.MEMBER.wire(), caller.displayName()),
                new RoomMembership(otherUserId, RoomRole.MEMBER.wire()));
        // Whoever kept it first, this user or the other one meanwhile: the room is then the one the store has.
        return store.keepDirect(record, members).thenCompose(kept -> open(id, caller));
    }

    /**
     * Loads {@code record} on {@code loop}, unless a concurrent open loaded it first: then that room.
     *
     * @param persistent the store keeps it (it was loaded from there)
     * @param members    its memberships as the store keeps them
     */
    private Room load(RoomRecord record, boolean persistent, List<RoomMembership> members, Loop loop) {
        String id = record.id();
        Room[] holder = new Room[1];
        Room room = new Room(record, persistent, members, loop, settings, time, stats, store, chats,
                () -> rooms.remove(id, holder[0]),
                new LiveCall(id, loop, record.relayOnly(), live, liveStats));
        holder[0] = room;
        Room earlier = rooms.putIfAbsent(id, room);
        if (earlier != null) {
            return earlier;
        }
        stats.roomOpened();
        stats.roomLoaded(persistent);
        return room;
    }

    /** Where rooms are kept while not loaded. */
    public RoomStore store() {
        return store;
    }

    /** The room if it is loaded, else null: for requests about a room, which only its members can make. */
    public Room loaded(String roomId) {
        return rooms.get(roomId);
    }

    /** The kept rooms {@code userId} is a member of, from the store. */
    public CompletionStage<List<RoomSummary>> roomsOf(String userId) {
        return store.roomsOf(userId);
    }

    /** The call services every room's call uses (and whose limits clients are told in the welcome). */
    public LiveServices live() {
        return live;
    }

    /** Rooms loaded now. */
    public int size() {
        return rooms.size();
    }

    /** Forgets every loaded room (server shutdown); their loops' pending tasks are dropped with the loops. */
    public void clear() {
        rooms.clear();
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    // --- the host-platform API: rooms the server creates and changes itself, with no member session.

    /**
     * Who creates the rooms the server makes for the host platform; their owners are the memberships it names. The
     * creator is an owner on every join, so this is an id no sign-in can produce (tokens' user ids have no ':', and
     * the development provider's start with {@code dev:}).
     */
    public static final String CREATED_BY_SYSTEM = "presence:api";

    /**
     * Creates a kept room named {@code name} with {@code members} (no one online); completes after the commit.
     * Fails with {@link io.presence.signaling.storage.PersistenceUnsupportedException} when the store keeps no rooms.
     */
    public CompletionStage<RoomRecord> createKept(String name, List<RoomMembership> members) {
        String id;
        do {
            id = RandomIds.next(ROOM_ID_BYTES);
        } while (rooms.containsKey(id));
        RoomRecord record = new RoomRecord(id, live.relayOnlyDefault(), CREATED_BY_SYSTEM, time.millis());
        return store.create(record).thenCompose(created -> store.persist(record, name, members, List.of()))
                .thenApply(kept -> record);
    }

    /** The room {@code roomId}, loaded for a change the server makes itself; else unknown. */
    public CompletionStage<RoomOpening> openForServer(String roomId) {
        return open(roomId, Principal.user(CREATED_BY_SYSTEM, CREATED_BY_SYSTEM, null));
    }

    /** The kept room's name and message count, or empty. */
    public CompletionStage<Optional<RoomDetails>> details(String roomId) {
        return store.details(roomId);
    }

    /** The kept room's memberships, from the store. */
    public CompletionStage<List<RoomMembership>> memberships(String roomId) {
        return store.members(roomId);
    }
}
