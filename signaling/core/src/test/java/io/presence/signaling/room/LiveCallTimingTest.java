package io.presence.signaling.room;

import io.presence.signaling.live.IceServers;
import io.presence.signaling.live.RecordingMinter;
import io.presence.signaling.live.SdpValidator;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.EphemeralRoomStore;
import io.presence.signaling.storage.InMemoryChatStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A call's credential refresh on manual time: pushed at 80 % of the lifetime, and never after leaving. */
class LiveCallTimingTest {
    static final Duration TTL = Duration.ofMinutes(10);
    static final Duration REFRESH = Duration.ofMinutes(8);

    final ManualLoops loops = new ManualLoops(1);
    final RecordingMinter minter = new RecordingMinter();

    @Test
    void credentialsArePushedBeforeTheyExpireAndNotAfterTheCallIsLeft() throws Exception {
        LiveServices live = new LiveServices(minter, IceServers.appliance("127.0.0.1", IceServers.DEFAULT_PORT,
                IceServers.DEFAULT_PORT, OptionalInt.empty()), TTL, 4, false, new SdpValidator());
        RoomDirectory directory = new RoomDirectory(loops, new RoomSettings(4, 10, Duration.ofSeconds(5)),
                loops.time(), new RoomStats() { }, EphemeralRoomStore.INSTANCE, new InMemoryChatStore(10), live,
                LiveStats.NONE);
        Room room = RoomTest.create(directory);
        RecordingSink a = new RecordingSink(loops::run);
        room.join(a, RoomTest.profile("a"), true, new Reply("j", "c"));
        a.take(ServerMessage.RoomJoined.class);
        room.joinCall(a, "a", new Reply("call", "c"));
        a.take(ServerMessage.CallJoined.class);
        assertTrue(minter.saw("mint " + room.id() + " a.1"));

        loops.advance(REFRESH.minusMillis(1));
        a.assertEmpty();
        loops.advance(Duration.ofMillis(1));
        RoomEvent.CredentialsRefreshed pushed = a.take(RoomEvent.CredentialsRefreshed.class);
        assertEquals("expiring", pushed.reason());
        loops.advance(REFRESH);
        assertEquals("expiring", a.take(RoomEvent.CredentialsRefreshed.class).reason(), "re-armed by each mint");

        room.leaveCall(a, "a", new Reply("leave", "c"));
        a.take(ServerMessage.Ok.class);
        assertTrue(minter.saw("revoke " + room.id() + " a.1"));
        loops.advance(TTL.multipliedBy(3));
        a.assertEmpty();
        assertEquals(0, loops.get(0).timers(), "no refresh timer left");
    }
}
