package io.presence.signaling.transport;

import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomBehaviourTest extends LoopbackServerTest {
    @Test
    void concurrentSendersAreSeenInOneOrderByEveryoneAndEachSendersOrderIsKept() throws Exception {
        ts = TestServer.start();
        int senders = 4;
        int perSender = 100;
        List<ClientSession> clients = new ArrayList<>();
        ClientSession owner = ts.session(Transport.TCP, "owner");
        String room = owner.createRoom();
        clients.add(owner);
        for (int i = 1; i < senders; i++) {
            ClientSession c = ts.session(i % 2 == 0 ? Transport.TCP : Transport.WS, "s" + i);
            c.join(room);
            clients.add(c);
        }
        // drain join events
        for (ClientSession c : clients) {
            while (c.nextEvent(Duration.ofMillis(100)) != null) {
                // skip
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                ClientSession c = clients.get(s);
                int sender = s;
                done.add(CompletableFuture.runAsync(() -> {
                    List<CompletableFuture<ServerMessage>> acks = new ArrayList<>();
                    for (int i = 0; i < perSender; i++) {
                        acks.add(c.request(new ClientMessage.SendChat(c.nextRequestId(), room,
                                sender + "-" + i, sender + ":" + i, null)));
                    }
                    acks.forEach(a -> ClientSession.expect(a));
                }, pool));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<Long> reference = null;
        for (ClientSession c : clients) {
            List<Long> ids = new ArrayList<>();
            int[] nextPerSender = new int[senders];
            while (ids.size() < senders * perSender) {
                RoomEvent.ChatPosted p = c.awaitEvent(RoomEvent.ChatPosted.class, T);
                assertNotNull(p, "message " + ids.size());
                ids.add(p.message().id());
                String[] parts = p.message().text().split(":");
                int sender = Integer.parseInt(parts[0]);
                assertEquals(nextPerSender[sender]++, Integer.parseInt(parts[1]), "per-sender order");
            }
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(ids.get(i) > ids.get(i - 1), "ids increase in delivery order");
            }
            if (reference == null) {
                reference = ids;
            } else {
                assertEquals(reference, ids, "same order for everyone");
            }
            assertEquals(0, c.gaps());
            assertEquals(0, c.duplicates());
        }
    }

    @Test
    void aRetryWithTheSameClientIdIsNeitherStoredNorDeliveredTwice() {
        ts = TestServer.start();
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.WS, "bob");
        String room = alice.createRoom();
        bob.join(room);
        ServerMessage.ChatAck first = alice.chat(room, "same-id", "once");
        ServerMessage.ChatAck retry = alice.chat(room, "same-id", "once");
        assertFalse(first.duplicate());
        assertTrue(retry.duplicate());
        assertEquals(first.messageId(), retry.messageId());
        assertEquals(first.ts(), retry.ts());
        assertNotNull(bob.awaitEvent(RoomEvent.ChatPosted.class, T));
        assertNull(bob.awaitEvent(RoomEvent.ChatPosted.class, Duration.ofMillis(200)));
        assertEquals(1, bob.history(room, null, 10).messages().size());

        // after a resume, the retry is recognised too
        alice.dropConnection();
        alice.resume();
        assertTrue(alice.chat(room, "same-id", "once").duplicate());
        assertEquals(1, bob.history(room, null, 10).messages().size());
    }

    @Test
    void aSlowConsumerIsClosedWithoutHoldingUpTheRoom() throws Exception {
        ts = new TestServer(TestServer.settings().outboundQueueMessages(64).resumeGrace(Duration.ofSeconds(10))
                .build());
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession fast = ts.session(Transport.WS, "fast");
        String room = alice.createRoom();
        fast.join(room);
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(ts.server.tcpAddress());
            OutputStream out = slow.getOutputStream();
            out.write(("{\"type\":\"hello\",\"version\":1,\"auth\":{\"provider\":\"dev\",\"displayName\":\"slow\"}}\n"
                    + "{\"type\":\"room.join\",\"roomId\":\"" + room + "\"}\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals("fast", alice.awaitEvent(RoomEvent.MemberJoined.class, T).member().displayName());
            assertEquals("slow", alice.awaitEvent(RoomEvent.MemberJoined.class, T).member().displayName());
            // never read from `slow` again
            // More than the largest socket buffers can absorb (tcp_wmem max is 4 MiB here): 1,800 × 3.9 kB ≈ 7 MB.
            String text = "z".repeat(3900);
            int messages = 1800;
            List<CompletableFuture<ServerMessage>> acks = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                acks.add(alice.request(new ClientMessage.SendChat(alice.nextRequestId(), room, "f" + i, text, null)));
                if (i % 200 == 199) {
                    ClientSession.expect(acks.get(i));
                }
            }
            acks.forEach(ClientSession::expect);
            int received = 0;
            while (received < messages) {
                RoomEvent.ChatPosted p = fast.awaitEvent(RoomEvent.ChatPosted.class, Duration.ofSeconds(15));
                assertNotNull(p, "fast member got " + received + " of " + messages);
                received++;
            }
            Await.until(Duration.ofSeconds(15), () -> ts.counter("presence.outbound.queue.closes", "transport", "tcp") >= 1,
                    "slow consumer closed");
            assertNotNull(alice.awaitEvent(RoomEvent.MemberReconnecting.class, T),
                    "slow member shown reconnecting: its session may resume");
            assertEquals(0, fast.gaps());
        }
    }

    @Test
    void limitsAreEnforcedWithTypedErrorsNamingThem() {
        ts = new TestServer(TestServer.settings().membersPerRoom(2).roomsPerSession(2).build());
        ClientSession a = ts.session(Transport.TCP, "a");
        ClientSession b = ts.session(Transport.TCP, "b");
        ClientSession c = ts.session(Transport.WS, "c");
        String r1 = a.createRoom();
        a.createRoom();
        ServerMessage.Error tooManyRooms = (ServerMessage.Error) ClientSession.await(a.request(
                new ClientMessage.CreateRoom("x")), T);
        assertEquals("limit_exceeded", tooManyRooms.code());
        assertEquals("rooms_per_session", tooManyRooms.limit());

        b.join(r1);
        ServerMessage.Error full = (ServerMessage.Error) ClientSession.await(c.request(
                new ClientMessage.JoinRoom("j", r1)), T);
        assertEquals("members_per_room", full.limit());
        // a refused join does not count against c's rooms
        String c1 = c.createRoom();
        c.createRoom();
        c.leave(c1);
        // leaving frees a slot
        b.leave(r1);
        assertNotNull(c.join(r1));
        assertEquals("rooms_per_session", ((ServerMessage.Error) ClientSession.await(c.request(
                new ClientMessage.CreateRoom("y")), T)).limit());
    }

    @Test
    void messageRateIsLimitedPerSession() {
        ts = new TestServer(TestServer.settings().messageRate(1, 5).build());
        ClientSession a = ts.session(Transport.TCP, "chatty");
        String room = a.createRoom(); // 1 token
        List<CompletableFuture<ServerMessage>> replies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            replies.add(a.request(new ClientMessage.SendChat("q" + i, room, "c" + i, "x", null)));
        }
        int accepted = 0;
        int limited = 0;
        for (CompletableFuture<ServerMessage> r : replies) {
            ServerMessage m = ClientSession.await(r, T);
            if (m instanceof ServerMessage.ChatAck) {
                accepted++;
            } else {
                assertEquals("message_rate", ((ServerMessage.Error) m).limit());
                limited++;
            }
        }
        assertEquals(4, accepted);
        assertEquals(6, limited);
        assertTrue(a.isConnected());
    }

    @Test
    void typingIndicatorsExpireByThemselves() {
        ts = new TestServer(TestServer.settings().typingTimeout(Duration.ofMillis(200)).build());
        ClientSession a = ts.session(Transport.TCP, "a");
        ClientSession b = ts.session(Transport.TCP, "b");
        String room = a.createRoom();
        b.join(room);
        a.typing(room, true);
        RoomEvent.MemberTyping on = b.awaitEvent(RoomEvent.MemberTyping.class, T);
        assertTrue(on.active());
        long start = System.nanoTime();
        RoomEvent.MemberTyping off = b.awaitEvent(RoomEvent.MemberTyping.class, T);
        assertFalse(off.active());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 100, "expired by timeout, not at once");
        // sending a message clears typing at once
        a.typing(room, true);
        assertTrue(b.awaitEvent(RoomEvent.MemberTyping.class, T).active());
        a.chat(room, "m", "done typing");
        assertFalse(b.awaitEvent(RoomEvent.MemberTyping.class, T).active());
    }

    @Test
    void profileUpdatesReachEveryRoom() {
        ts = TestServer.start();
        ClientSession a = ts.session(Transport.TCP, "a");
        ClientSession b = ts.session(Transport.TCP, "b");
        String room = a.createRoom();
        b.join(room);
        ClientSession.expect(a.request(new ClientMessage.UpdateProfile("u", "Alice", "/avatar/user/alice-1.png")));
        RoomEvent.MemberUpdated u = b.awaitEvent(RoomEvent.MemberUpdated.class, T);
        assertEquals("Alice", u.member().displayName());
        assertEquals("/avatar/user/alice-1.png", u.member().avatarUrl());
        ServerMessage.Error blank = (ServerMessage.Error) ClientSession.await(a.request(
                new ClientMessage.UpdateProfile("v", "  ", null)), T);
        assertEquals("invalid_field", blank.code());
        ServerMessage.Error script = (ServerMessage.Error) ClientSession.await(a.request(
                new ClientMessage.UpdateProfile("w", null, "javascript:alert(1)")), T);
        assertEquals("invalid_field", script.code());
        assertNull(b.awaitEvent(RoomEvent.MemberUpdated.class, Duration.ofMillis(150)), "nothing changed");
        // later joiners see the new profile in their snapshot
        ClientSession c = ts.session(Transport.WS, "c");
        assertEquals("Alice", c.join(room).members().get(0).displayName());
    }

    /**
     * Every member's client fetches every other member's avatar: an external URL would tell its server each
     * member's address. None reaches another member, in any room, whether sent at hello or by profile.update.
     */
    @Test
    void externalAvatarUrlsNeverReachAnotherMember() {
        ts = TestServer.start();
        ClientSession a = ts.session(Transport.TCP, "a");
        ClientSession b = ts.session(Transport.WS, "b");
        List<String> rooms = List.of(a.createRoom(true), a.createRoom(false));
        for (String room : rooms) {
            b.join(room);
        }
        List<String> external = List.of("http://evil.example/a.png", "https://evil.example/a.png",
                "HtTpS://EVIL.example/a.png", "//evil.example/a.png", "/\\evil.example/a", "data:image/png;base64,AA==",
                "javascript:alert(1)", "JAVASCRIPT:alert(1)", " https://evil.example/a.png",
                "\thttps://evil.example/a.png", "https://198.51.100.7/a.png", "https://[2001:db8::7]/a.png",
                "/avatar/a?next=https://evil.example", "/avatar/../evil");
        int n = 0;
        for (String url : external) {
            ServerMessage.Error e = (ServerMessage.Error) ClientSession.await(a.request(
                    new ClientMessage.UpdateProfile("p" + n++, "Eve", url)), T);
            assertEquals("invalid_field", e.code(), url);
            assertTrue(e.message().contains("avatarUrl"), e.message());

            ClientSession eve = ts.client(Transport.TCP);
            SignalingException refused = org.junit.jupiter.api.Assertions.assertThrows(SignalingException.class,
                    () -> eve.hello(new ClientMessage.Credentials("dev", "eve", url, null)), url);
            assertEquals("auth_failed", refused.error().code(), url);
            eve.close();
        }
        assertNull(b.awaitEvent(RoomEvent.MemberUpdated.class, Duration.ofMillis(200)), "no profile changed");
        for (String room : rooms) {
            for (var member : b.join(room).members()) {
                // Nothing chosen: the appliance's own pixel avatar for the user id.
                assertEquals(io.presence.signaling.protocol.AvatarPath.forUser(member.userId()), member.avatarUrl(),
                        member.toString());
            }
        }
    }

    @Test
    void historyIsPagedWithABeforeCursor() {
        ts = new TestServer(TestServer.settings().historySize(20).build());
        ClientSession a = ts.session(Transport.WS, "a");
        String room = a.createRoom();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(a.chat(room, "h" + i, "m" + i).messageId());
        }
        ServerMessage.HistoryPage newest = a.history(room, null, 8);
        assertEquals(ids.subList(17, 25), newest.messages().stream().map(m -> m.id()).toList());
        assertTrue(newest.hasMore());
        ServerMessage.HistoryPage older = a.history(room, newest.messages().get(0).id(), 100);
        assertEquals(ids.subList(5, 17), older.messages().stream().map(m -> m.id()).toList());
        assertFalse(older.hasMore(), "only the last 20 are kept");
    }

    @Test
    void lastMemberLeavingRemovesTheRoom() {
        ts = TestServer.start();
        ClientSession a = ts.session(Transport.TCP, "a");
        String room = a.createRoom();
        assertEquals(1, ts.server.activeRooms());
        a.leave(room);
        Await.until(T, () -> ts.server.activeRooms() == 0, "room removed");
        ServerMessage.Error e = (ServerMessage.Error) ClientSession.await(a.request(
                new ClientMessage.JoinRoom("j", room)), T);
        assertEquals("unknown_room", e.code());
    }
}
