package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.RoomSummary;
import io.presence.signaling.storage.StorageUnavailableException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A persistent room that cannot be loaded because the store is away: {@code storage_unavailable}, not joined. */
class RoomLoadFailureTest {
    final ManualLoops loops = new ManualLoops(1);
    final SignalingSettings settings = SignalingSettings.builder().devAuthEnabled(true).build();

    /** Knows room "kept", but cannot read its memberships now. */
    static final class AwayStore implements RoomStore {
        @Override
        public CompletionStage<Optional<RoomRecord>> load(String roomId) {
            return CompletableFuture.completedFuture(Optional.of(new RoomRecord(roomId, false, "dev:Ann", 0)));
        }

        @Override
        public CompletionStage<List<RoomMembership>> members(String roomId) {
            return CompletableFuture.failedFuture(new StorageUnavailableException("the database is away", null));
        }

        @Override
        public CompletionStage<Void> create(RoomRecord room) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> persist(RoomRecord room, String name, List<RoomMembership> members,
                                             List<ChatMessageView> history) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<List<RoomSummary>> roomsOf(String userId) {
            return CompletableFuture.completedFuture(List.of());
        }
    }

    @Test
    void aRoomTheStoreCannotLoadIsRefusedWithStorageUnavailable() {
        SignalingCore core = SignalingCore.builder(settings).loops(loops).time(loops.time())
                .meters(new SimpleMeterRegistry()).roomStore(new AwayStore()).chatStore(new InMemoryChatStore(10))
                .build();
        RecordingConnection ann = new RecordingConnection("Ann", loops::run);
        core.sessions().hello(ann, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("dev", "Ann", null, null), null));
        ann.take(ServerMessage.Welcome.class);

        ann.session.request(ann, new ClientMessage.JoinRoom("j", "kept"));
        ServerMessage.Error refused = ann.take(ServerMessage.Error.class);
        assertEquals("storage_unavailable", refused.code());
        assertEquals("j", refused.requestId());
        assertEquals(0, core.rooms().size(), "nothing loaded");
        core.close();
    }
}
