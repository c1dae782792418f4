package io.presence.signaling.api;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.ChatPage;
import io.presence.signaling.storage.ChatStore;
import io.presence.signaling.storage.RoomDetails;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.RoomSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Rooms and their chat kept in maps, every write completing at once: a database as the API sees it. */
final class KeptRooms implements RoomStore, ChatStore {
    final Map<String, RoomRecord> rooms = new ConcurrentHashMap<>();
    final Map<String, String> names = new ConcurrentHashMap<>();
    final Map<String, Map<String, RoomMembership>> members = new ConcurrentHashMap<>();
    final Map<String, List<ChatMessageView>> messages = new ConcurrentHashMap<>();

    private static <T> CompletionStage<T> now(T value) {
        return CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletionStage<Optional<RoomRecord>> load(String roomId) {
        return now(Optional.ofNullable(rooms.get(roomId)));
    }

    @Override
    public CompletionStage<Void> create(RoomRecord room) {
        return now(null);
    }

    @Override
    public CompletionStage<Void> persist(RoomRecord room, String name, List<RoomMembership> memberships,
                                         List<ChatMessageView> history) {
        rooms.put(room.id(), room);
        names.put(room.id(), name);
        Map<String, RoomMembership> byUser = members.computeIfAbsent(room.id(), id -> new LinkedHashMap<>());
        memberships.forEach(m -> byUser.put(m.userId(), m));
        return now(null);
    }

    @Override
    public CompletionStage<List<RoomSummary>> roomsOf(String userId) {
        return now(List.of());
    }

    @Override
    public CompletionStage<List<RoomMembership>> members(String roomId) {
        return now(List.copyOf(members.getOrDefault(roomId, Map.of()).values()));
    }

    @Override
    public CompletionStage<Void> addMember(String roomId, RoomMembership membership) {
        members.computeIfAbsent(roomId, id -> new LinkedHashMap<>()).put(membership.userId(), membership);
        return now(null);
    }

    @Override
    public CompletionStage<Void> rename(String roomId, String name) {
        names.put(roomId, name);
        return now(null);
    }

    @Override
    public CompletionStage<Void> close(String roomId) {
        rooms.remove(roomId);
        names.remove(roomId);
        members.remove(roomId);
        messages.remove(roomId);
        return now(null);
    }

    @Override
    public CompletionStage<Optional<RoomDetails>> details(String roomId) {
        String name = names.get(roomId);
        return now(name == null ? Optional.empty()
                : Optional.of(new RoomDetails(roomId, name, messages.getOrDefault(roomId, List.of()).size())));
    }

    @Override
    public ChatLog open(String roomId) {
        return new ChatLog() {
            @Override
            public CompletionStage<AppendResult> append(ChatDraft draft) {
                List<ChatMessageView> log = messages.computeIfAbsent(roomId, id -> new ArrayList<>());
                ChatMessageView stored = draft.withId(log.size() + 1);
                log.add(stored);
                return now(new AppendResult.Stored(stored));
            }

            @Override
            public CompletionStage<ChatPage> page(Long before, int limit) {
                return now(new ChatPage(List.copyOf(messages.getOrDefault(roomId, List.of())), false));
            }
        };
    }
}
