package io.presence.signaling.room;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.RoomSummary;
import io.presence.signaling.storage.StorageUnavailableException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A room store in maps for the lifecycle tests. Writes complete at once ({@link Mode#NOW}), when the test says
 * ({@link Mode#HOLD}, {@link #commit}) or fail as a database that is away ({@link Mode#FAIL}); a held or failed
 * write changes nothing until it commits.
 */
final class LifecycleRoomStore implements RoomStore {
    enum Mode { NOW, HOLD, FAIL }

    final Map<String, RoomRecord> rooms = new ConcurrentHashMap<>();
    final Map<String, String> names = new ConcurrentHashMap<>();
    final Map<String, Map<String, RoomMembership>> members = new ConcurrentHashMap<>();
    final List<String> writes = new ArrayList<>();
    private final List<Runnable> held = new ArrayList<>();
    Mode mode = Mode.NOW;

    /** Keeps a named room with these memberships, as if named before. */
    void keep(RoomRecord record, String name, RoomMembership... memberships) {
        rooms.put(record.id(), record);
        names.put(record.id(), name);
        Map<String, RoomMembership> byUser = new LinkedHashMap<>();
        for (RoomMembership m : memberships) {
            byUser.put(m.userId(), m);
        }
        members.put(record.id(), byUser);
    }

    /** Completes every held write, in order. */
    void commit() {
        List<Runnable> now = List.copyOf(held);
        held.clear();
        now.forEach(Runnable::run);
    }

    private CompletionStage<Void> write(String what, Runnable change) {
        writes.add(what);
        switch (mode) {
            case NOW -> {
                change.run();
                return CompletableFuture.completedFuture(null);
            }
            case FAIL -> {
                return CompletableFuture.failedFuture(new StorageUnavailableException("the database is away", null));
            }
            default -> {
                CompletableFuture<Void> done = new CompletableFuture<>();
                held.add(() -> {
                    change.run();
                    done.complete(null);
                });
                return done;
            }
        }
    }

    @Override
    public CompletionStage<Optional<RoomRecord>> load(String roomId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(rooms.get(roomId)));
    }

    @Override
    public CompletionStage<Void> create(RoomRecord room) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> persist(RoomRecord room, String name, List<RoomMembership> memberships,
                                         List<ChatMessageView> history) {
        return write("persist " + name, () -> {
            rooms.put(room.id(), room);
            names.put(room.id(), name);
            Map<String, RoomMembership> byUser = members.computeIfAbsent(room.id(), id -> new LinkedHashMap<>());
            memberships.forEach(m -> byUser.put(m.userId(), m));
        });
    }

    @Override
    public CompletionStage<List<RoomSummary>> roomsOf(String userId) {
        List<RoomSummary> out = new ArrayList<>();
        members.forEach((room, byUser) -> {
            if (byUser.containsKey(userId)) {
                out.add(new RoomSummary(room, names.get(room), 0));
            }
        });
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<List<RoomMembership>> members(String roomId) {
        return CompletableFuture.completedFuture(List.copyOf(members.getOrDefault(roomId, Map.of()).values()));
    }

    @Override
    public CompletionStage<Void> addMember(String roomId, RoomMembership membership) {
        return write("member " + membership.userId(), () -> members.computeIfAbsent(roomId,
                id -> new LinkedHashMap<>()).put(membership.userId(), membership));
    }

    @Override
    public CompletionStage<Void> removeMember(String roomId, String userId) {
        return write("unmember " + userId, () -> members.getOrDefault(roomId, new LinkedHashMap<>()).remove(userId));
    }

    /** Keeps the direct room unless its id is kept: the second of two racing calls changes nothing. */
    @Override
    public CompletionStage<Void> keepDirect(RoomRecord room, List<RoomMembership> memberships) {
        return write("direct " + room.id(), () -> {
            if (rooms.putIfAbsent(room.id(), room) == null) {
                names.put(room.id(), "");
                Map<String, RoomMembership> byUser = new LinkedHashMap<>();
                memberships.forEach(m -> byUser.put(m.userId(), m));
                members.put(room.id(), byUser);
            }
        });
    }

    @Override
    public CompletionStage<Void> rename(String roomId, String name) {
        return write("rename " + name, () -> names.put(roomId, name));
    }

    @Override
    public CompletionStage<Void> updateSettings(String roomId, boolean relayOnly) {
        return write("settings " + relayOnly, () -> {
            RoomRecord r = rooms.get(roomId);
            rooms.put(roomId, new RoomRecord(roomId, relayOnly, r.createdBy(), r.createdAtMillis(), r.direct()));
        });
    }

    @Override
    public CompletionStage<Void> close(String roomId) {
        return write("close", () -> {
            rooms.remove(roomId);
            names.remove(roomId);
            members.remove(roomId);
        });
    }
}
