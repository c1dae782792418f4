package io.presence.signaling.transport;

import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.protocol.IceConfiguration;
import io.presence.signaling.live.IceServers;
import io.presence.signaling.live.RecordingMinter;
import io.presence.signaling.live.SdpValidator;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.room.LiveServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Live calls over real loopback sockets: join/leave, relaying and validation of signals, privacy mode, resume. */
class LiveCallTest {
    static final Duration T = Duration.ofSeconds(5);
    static final String RELAY_CANDIDATE =
            "candidate:1 1 udp 41885439 198.51.100.10 50000 typ relay raddr 203.0.113.45 rport 54321 generation 0";
    static final String HOST_CANDIDATE = "candidate:2999745851 1 udp 2122260223 192.168.1.23 54321 typ host generation 0";

    final RecordingMinter minter = new RecordingMinter();
    TestServer ts;

    @AfterEach
    void stop() {
        if (ts != null) {
            ts.close();
        }
    }

    private void start(int meshCap, boolean relayOnlyDefault) {
        ts = new TestServer(TestServer.settings().resumeGrace(Duration.ofSeconds(10)).build(), null,
                new LiveServices(minter, IceServers.appliance("198.51.100.10", 3478, 3478, OptionalInt.empty()),
                        Duration.ofMinutes(10), meshCap, relayOnlyDefault, new SdpValidator()));
    }

    static String fixture(String name) {
        try (InputStream in = LiveCallTest.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String code(Runnable r) {
        return assertThrows(SignalingException.class, r::run).error().code();
    }

    @Test
    void joinerGetsPeersAndCredentialsOthersSeeJoinedAndLeft() {
        start(8, false);
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.WS, "bob");
        String room = alice.createRoom();
        bob.join(room);
        alice.awaitEvent(RoomEvent.MemberJoined.class, T);

        ServerMessage.CallJoined a = alice.joinCall(room);
        assertEquals(List.of(), a.peers());
        assertFalse(a.relayOnly());
        IceConfiguration ice = a.ice();
        assertEquals("all", ice.iceTransportPolicy());
        assertEquals(600, ice.ttlSeconds());
        assertTrue(ice.iceServers().get(0).urls().contains("turn:198.51.100.10:3478?transport=udp"));
        assertTrue(ice.iceServers().get(0).username().endsWith(":" + room + ":" + alice.sessionId() + ".1"));

        ServerMessage.CallJoined b = bob.joinCall(room);
        assertEquals(1, b.peers().size());
        assertEquals(alice.sessionId(), b.peers().get(0).memberId());
        RoomEvent.CallJoined joined = alice.awaitEvent(RoomEvent.CallJoined.class, T);
        assertEquals(bob.sessionId(), joined.peer().memberId());
        assertEquals("bob", joined.peer().displayName());
        assertEquals(List.of("policy " + room + " open", "mint " + room + " " + alice.sessionId() + ".1",
                "mint " + room + " " + bob.sessionId() + ".2"), minter.calls);
        assertEquals(2, ts.gauge("presence.live.call.participants"));
        assertEquals(1, ts.gauge("presence.live.calls.active"));

        // Leaving the call (not the room) revokes at once; the room membership stays.
        bob.leaveCall(room);
        RoomEvent.CallLeft left = alice.awaitEvent(RoomEvent.CallLeft.class, T);
        assertEquals(bob.sessionId(), left.memberId());
        assertEquals("left", left.reason());
        assertTrue(minter.saw("revoke " + room + " " + bob.sessionId() + ".2"));
        assertEquals("not_in_call", code(() -> bob.leaveCall(room)));
        bob.chat(room, "c1", "still in the room");

        // Rejoining gets a new TURN participant id: the relay refuses to mint for a revoked one.
        bob.joinCall(room);
        assertTrue(minter.saw("mint " + room + " " + bob.sessionId() + ".3"));
        alice.awaitEvent(RoomEvent.CallJoined.class, T);

        // Leaving the room leaves the call, through the same revoking path.
        bob.leave(room);
        RoomEvent.CallLeft roomLeft = alice.awaitEvent(RoomEvent.CallLeft.class, T);
        assertEquals("room_left", roomLeft.reason());
        assertTrue(minter.saw("revoke " + room + " " + bob.sessionId() + ".3"));

        // The session ending and the room closing revoke too.
        alice.bye();
        Await.until(T, () -> minter.saw("revoke " + room + " " + alice.sessionId() + ".1")
                && minter.saw("closed " + room), "revocation at session end and room close");
        Await.until(T, () -> ts.gauge("presence.live.call.participants") == 0, "no participants");
        assertEquals(0, ts.gauge("presence.live.calls.active"));
        assertEquals(3, ts.counter("presence.live.credentials.revoked"));
        assertEquals(3, ts.counter("presence.live.credentials.minted"));
    }

    @Test
    void callNeedsRoomMembershipAndRespectsTheMeshCap() {
        start(2, false);
        ClientSession a = ts.session(Transport.TCP, "a");
        ClientSession b = ts.session(Transport.TCP, "b");
        ClientSession c = ts.session(Transport.TCP, "c");
        String room = a.createRoom();
        assertEquals("not_in_room", code(() -> b.joinCall(room)));
        b.join(room);
        c.join(room);
        a.joinCall(room);
        b.joinCall(room);
        SignalingException full = assertThrows(SignalingException.class, () -> c.joinCall(room));
        assertEquals("limit_exceeded", full.error().code());
        assertEquals("call_participants", full.error().limit());
        assertEquals("not_in_call", code(() -> c.sdp(room, a.sessionId(), "offer", fixture("chrome-offer.sdp"))));
        assertEquals("unknown_peer", code(() -> b.sdp(room, c.sessionId(), "offer", fixture("chrome-offer.sdp"))));
        assertEquals("unknown_peer", code(() -> b.sdp(room, b.sessionId(), "offer", fixture("chrome-offer.sdp"))));
        // Joining again is idempotent: same peers, fresh credentials, nobody sees a second join.
        ServerMessage.CallJoined again = a.joinCall(room);
        assertEquals(1, again.peers().size());
        assertEquals(1, ts.counter("presence.live.credentials.refreshed"));
    }

    /** PROTOCOL.md: a request without requestId gets no success response, only errors (without requestId). */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void requestsWithoutRequestIdGetErrorsButNoSuccessResponse(Transport transport) {
        start(8, false);
        ClientSession alice = ts.session(transport, "alice");
        ClientSession bob = ts.session(transport, "bob");
        String room = alice.createRoom();
        bob.join(room);
        alice.joinCall(room);
        bob.joinCall(room);
        alice.awaitEvent(RoomEvent.CallJoined.class, T);
        String signal = "{\"type\":\"live.signal\",\"roomId\":\"" + room + "\",\"to\":\"" + bob.sessionId()
                + "\",\"kind\":\"candidate\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"candidate\":\"";

        alice.sendRaw(signal + HOST_CANDIDATE + "\"}");
        RoomEvent.Signal got = bob.awaitEvent(RoomEvent.Signal.class, T);
        assertEquals(HOST_CANDIDATE, got.candidate());
        assertEquals("0", got.sdpMid());
        alice.sendRaw("{\"type\":\"chat.send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"c1\",\"text\":\"hi\"}");
        assertEquals("hi", bob.awaitEvent(RoomEvent.ChatPosted.class, T).message().text());
        assertEquals("hi", alice.awaitEvent(RoomEvent.ChatPosted.class, T).message().text(), "the echo is an event");
        alice.sendRaw(signal + "candidate:1 1 udp 1 192.0.2.1 99999 typ host\"}");

        // Neither the ok for the signal nor the chat.ack came: the first unsolicited frame is the refusal.
        ServerMessage first = alice.nextUnsolicited(T);
        ServerMessage.Error refused = assertInstanceOf(ServerMessage.Error.class, first, String.valueOf(first));
        assertEquals("invalid_sdp", refused.code());
        assertNull(refused.requestId());
        assertNull(alice.nextUnsolicited(Duration.ofMillis(200)));
        assertEquals(1, ts.counter("presence.live.signals", "kind", "candidate"));
    }

    @Test
    void signalsAreRelayedByteForByteToTheirAddresseeOnlyAndTheNewerPeerOffers() {
        start(8, false);
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.WS, "bob");
        ClientSession carol = ts.session(Transport.TCP, "carol");
        String room = alice.createRoom();
        bob.join(room);
        carol.join(room);
        alice.joinCall(room);
        carol.joinCall(room);
        bob.joinCall(room);
        alice.awaitEvent(RoomEvent.CallJoined.class, T);
        alice.awaitEvent(RoomEvent.CallJoined.class, T);
        carol.awaitEvent(RoomEvent.CallJoined.class, T);

        String offer = fixture("chrome-offer.sdp");
        bob.sdp(room, alice.sessionId(), "offer", offer);
        RoomEvent.Signal got = alice.awaitEvent(RoomEvent.Signal.class, T);
        assertEquals("offer", got.kind());
        assertEquals(bob.sessionId(), got.from());
        assertEquals(offer, got.sdp(), "a non-private room forwards the SDP untouched");

        String answer = fixture("chrome-answer.sdp");
        alice.sdp(room, bob.sessionId(), "answer", answer);
        assertEquals(answer, bob.awaitEvent(RoomEvent.Signal.class, T).sdp());
        alice.candidate(room, bob.sessionId(), HOST_CANDIDATE, "0", 0);
        RoomEvent.Signal cand = bob.awaitEvent(RoomEvent.Signal.class, T);
        assertEquals(HOST_CANDIDATE, cand.candidate());
        assertEquals("0", cand.sdpMid());
        assertEquals(0, cand.sdpMLineIndex());

        // The older peer may not offer: glare is impossible. It asks for a restart instead.
        assertEquals("invalid_field", code(() -> alice.sdp(room, bob.sessionId(), "offer", offer)));
        alice.expect(alice.request(new ClientMessage.Signal(alice.nextRequestId(), room, bob.sessionId(), "restart",
                null, null, null, null, null)));
        assertEquals("restart", bob.awaitEvent(RoomEvent.Signal.class, T).kind());
        bob.expect(bob.request(new ClientMessage.Signal(bob.nextRequestId(), room, alice.sessionId(), "offer",
                offer, null, null, null, true)));
        assertEquals(Boolean.TRUE, alice.awaitEvent(RoomEvent.Signal.class, T).iceRestart());
        assertEquals(2, ts.counter("presence.live.ice.restarts"));

        // Bad SDP: typed error with the reason, not relayed, counted.
        SignalingException bad = assertThrows(SignalingException.class,
                () -> bob.sdp(room, alice.sessionId(), "offer", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"));
        assertEquals("invalid_sdp", bad.error().code());
        assertEquals("no_media", bad.error().reason());
        assertEquals("invalid_sdp", code(() -> alice.candidate(room, bob.sessionId(), "candidate:garbage", null, null)));
        assertEquals(1, ts.counter("presence.live.sdp.rejected", "reason", "no_media"));
        assertEquals(1, ts.counter("presence.live.sdp.rejected", "reason", "unparsable"));
        assertEquals(1, ts.counter("presence.live.signals", "kind", "answer"));
        assertEquals(2, ts.counter("presence.live.signals", "kind", "offer"));

        // Media state goes to the others.
        bob.expect(bob.request(new ClientMessage.MediaState(bob.nextRequestId(), room, true, null, null)));
        RoomEvent.MediaStateChanged state = alice.awaitEvent(RoomEvent.MediaStateChanged.class, T);
        assertTrue(state.muted());
        assertFalse(state.camera());

        // Carol saw none of the signals between alice and bob.
        assertNotNull(carol.awaitEvent(RoomEvent.MediaStateChanged.class, T));
        assertNull(carol.nextEvent(Duration.ofMillis(100)));
        assertEquals(0, alice.gaps() + bob.gaps() + carol.gaps());
    }

    @Test
    void relayOnlyRoomsStripEveryClientAddressFromSdpAndCandidates() {
        start(8, false);
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.TCP, "bob");
        String room = alice.createRoom(true);
        bob.join(room);
        ServerMessage.CallJoined a = alice.joinCall(room);
        assertTrue(a.relayOnly());
        assertEquals("relay", a.ice().iceTransportPolicy());
        assertTrue(minter.saw("policy " + room + " relay"));
        bob.joinCall(room);

        bob.sdp(room, alice.sessionId(), "offer", fixture("chrome-offer.sdp"));
        String relayed = alice.awaitEvent(RoomEvent.Signal.class, T).sdp();
        for (String address : List.of("192.168.1.23", "203.0.113.45", "2001:db8:85a3::8a2e:370:7334")) {
            assertFalse(relayed.contains(address), "relayed SDP reveals " + address);
        }
        assertFalse(relayed.contains("typ host") || relayed.contains("typ srflx") || relayed.contains("typ prflx"));
        assertTrue(ts.counter("presence.live.candidates.stripped", "kind", "host") > 0);
        assertTrue(ts.counter("presence.live.candidates.stripped", "kind", "srflx") > 0);

        // A trickled host candidate is accepted but goes nowhere; a relay candidate loses its related address.
        bob.candidate(room, alice.sessionId(), HOST_CANDIDATE, "0", 0);
        bob.candidate(room, alice.sessionId(), RELAY_CANDIDATE, "0", 0);
        RoomEvent.Signal cand = alice.awaitEvent(RoomEvent.Signal.class, T);
        assertTrue(cand.candidate().contains("typ relay"));
        assertTrue(cand.candidate().contains("198.51.100.10"));
        assertFalse(cand.candidate().contains("203.0.113.45"));
        assertNull(alice.nextEvent(Duration.ofMillis(100)), "the host candidate was not relayed");

        // A room created without a choice follows the server default (off here).
        assertFalse(alice.joinCall(alice.createRoom()).relayOnly());
    }

    /**
     * A hostile sender in a relay-only room: addresses in the origin and connection lines (IPv6, odd spacing, several
     * c=), a candidate labelled relay at its own address, and free text in mid-independent fields (i=, u=, msid,
     * cname, label, extmap URI, candidate extensions, sdpMid). The receiver gets none of it, and the sender's ok
     * says what was left out.
     */
    @Test
    void relayOnlyRoomsRebuildHostileSdpAndCandidatesAndTellTheSenderWhatWasRemoved() {
        start(8, true);
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.TCP, "bob");
        String room = alice.createRoom();
        bob.join(room);
        alice.joinCall(room);
        bob.joinCall(room);
        alice.awaitEvent(RoomEvent.CallJoined.class, T);
        String hostile = "v=0\r\no=evil.example 1 2  IN  IP6 2001:db8:e::1\r\ns=192.0.2.66\r\n"
                + "i=call me at 192.0.2.66\r\nu=http://evil.example/\r\nc=IN IP6 2001:db8:e::2\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "m=audio 50000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 192.0.2.66\r\nc=IN IP6 ::ffff:192.0.2.67\r\n"
                + "a=candidate:1 1 udp 41885439 192.0.2.66 50000 typ relay raddr 192.0.2.68 rport 1\r\n"
                + "a=candidate:2 1 udp 41885439 198.51.100.10 50002 typ relay raddr 192.0.2.68 rport 1 "
                + "network-id 192.0.2.69\r\n"
                + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=mid:0\r\n"
                + "a=msid:evil.example t\r\na=ssrc:1 cname:192.0.2.70\r\na=label:2001:db8:e::3\r\n"
                + "a=extmap:1 http://evil.example/ext\r\na=rtpmap:111 opus/48000/2\r\n";
        ServerMessage.Ok ok = (ServerMessage.Ok) ClientSession.expect(bob.request(new ClientMessage.Signal(
                "h1", room, alice.sessionId(), "offer", hostile, null, null, null, null)));
        String relayed = alice.awaitEvent(RoomEvent.Signal.class, T).sdp();
        for (String leak : List.of("192.0.2.", "2001:db8:e:", "evil")) {
            assertFalse(relayed.contains(leak), "relayed SDP reveals " + leak + ":\n" + relayed);
        }
        assertTrue(relayed.contains("a=candidate:2 1 udp 41885439 198.51.100.10 50002 typ relay raddr 0.0.0.0 rport 0\r\n"),
                relayed);
        assertTrue(relayed.contains("a=rtpmap:111 opus/48000/2\r\n") && relayed.contains("a=mid:0\r\n"), relayed);
        assertNotNull(ok.removed(), "not a silent ok");
        assertEquals(1, ok.removed().candidates());
        assertEquals(List.of("candidate network-id", "extmap", "i=", "label", "msid", "u="), ok.removed().attributes());

        // A trickled candidate labelled relay at the sender's own address goes nowhere, and the ok says so.
        ServerMessage.Ok dropped = (ServerMessage.Ok) ClientSession.expect(bob.request(new ClientMessage.Signal(
                "h2", room, alice.sessionId(), "candidate", null,
                "candidate:1 1 udp 41885439 192.0.2.66 50000 typ relay", "0", 0, null)));
        assertEquals(new ServerMessage.Removed(1, List.of()), dropped.removed());
        // The sdpMid beside a candidate is held to the mid grammar too.
        ServerMessage.Ok mid = (ServerMessage.Ok) ClientSession.expect(bob.request(new ClientMessage.Signal(
                "h3", room, alice.sessionId(), "candidate", null,
                "candidate:2 1 udp 41885439 198.51.100.10 50002 typ relay", "192.0.2.71", 0, null)));
        RoomEvent.Signal candidate = alice.awaitEvent(RoomEvent.Signal.class, T);
        assertNull(candidate.sdpMid());
        assertEquals(List.of("sdpMid"), mid.removed().attributes());
        assertNull(alice.nextEvent(Duration.ofMillis(100)), "the foreign relay candidate was not relayed");
        // A mid no browser writes cannot be rebuilt: the offer is refused with a typed reason, nothing is relayed.
        ServerMessage.Error refused = (ServerMessage.Error) ClientSession.await(bob.request(new ClientMessage.Signal(
                "h4", room, alice.sessionId(), "offer", hostile.replace("a=mid:0", "a=mid:192.0.2.72"), null, null,
                null, null)), T);
        assertEquals("invalid_sdp", refused.code());
        assertEquals("not_rebuildable", refused.reason());
        assertNull(alice.nextEvent(Duration.ofMillis(100)));
        // An open room forwards as sent, with a plain ok.
        String open = alice.createRoom(false);
        bob.join(open);
        alice.joinCall(open);
        bob.joinCall(open);
        ServerMessage.Ok plain = (ServerMessage.Ok) ClientSession.expect(bob.request(new ClientMessage.Signal(
                "h5", open, alice.sessionId(), "candidate", null, HOST_CANDIDATE, "0", 0, null)));
        assertNull(plain.removed());
    }

    /** A member learns the room's real call mode when it joins the room, before it joins the call. */
    @Test
    void roomJoinedCarriesTheRoomsCallModeForEveryMember() {
        for (boolean serverDefault : List.of(false, true)) {
            start(8, serverDefault);
            ClientSession alice = ts.session(Transport.TCP, "alice");
            ClientSession bob = ts.session(Transport.WS, "bob");
            for (Boolean asked : java.util.Arrays.asList(Boolean.TRUE, Boolean.FALSE, null)) {
                String room = asked == null ? alice.createRoom() : alice.createRoom(asked);
                boolean expected = asked == null ? serverDefault : asked;
                assertEquals(expected, bob.join(room).relayOnly(), "joiner, asked " + asked);
                assertEquals(expected, alice.join(room).relayOnly(), "creator's fresh snapshot, asked " + asked);
                assertEquals(expected, bob.joinCall(room).relayOnly(), "the call agrees");
            }
            ts.close();
            ts = null;
        }
    }

    @Test
    void aSessionThatNeverComesBackLeavesTheCallAndItsCredentialsAreRevoked() {
        ts = new TestServer(TestServer.settings().resumeGrace(Duration.ofMillis(300)).build(), null,
                new LiveServices(minter, IceServers.appliance("198.51.100.10", 3478, 3478, OptionalInt.empty()),
                        Duration.ofMinutes(10), 8, false, new SdpValidator()));
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.TCP, "bob");
        String room = alice.createRoom();
        bob.join(room);
        alice.joinCall(room);
        bob.joinCall(room);
        alice.awaitEvent(RoomEvent.CallJoined.class, T);
        bob.dropConnection();
        RoomEvent.CallLeft left = alice.awaitEvent(RoomEvent.CallLeft.class, T);
        assertEquals(bob.sessionId(), left.memberId());
        assertEquals("timeout", left.reason());
        assertTrue(minter.saw("revoke " + room + " " + bob.sessionId() + ".2"));
        assertEquals(1, ts.gauge("presence.live.call.participants"));
    }

    @Test
    void serverPushesFreshCredentialsBeforeTheyExpireAndStopsAfterLeaving() {
        ts = new TestServer(TestServer.settings().build(), null,
                new LiveServices(minter, IceServers.appliance("198.51.100.10", 3478, 3478, OptionalInt.empty()),
                        Duration.ofSeconds(2), 8, false, new SdpValidator()));
        ClientSession alice = ts.session(Transport.TCP, "alice");
        String room = alice.createRoom();
        assertEquals(2, alice.joinCall(room).ice().ttlSeconds());
        // At 80 % of 2 s, then again 80 % after that: two pushes well within 5 s.
        for (int i = 0; i < 2; i++) {
            RoomEvent.CredentialsRefreshed pushed = alice.awaitEvent(RoomEvent.CredentialsRefreshed.class, T);
            assertEquals("expiring", pushed.reason());
            assertEquals(2, pushed.ice().ttlSeconds());
        }
        alice.leaveCall(room);
        assertNull(alice.nextEvent(Duration.ofMillis(2500)), "no pushes once out of the call");
        assertTrue(ts.counter("presence.live.credentials.refreshed") >= 2);
    }

    /** Real Chrome and Firefox offers (fixtures): untouched in open rooms, no client address left in private ones. */
    @ParameterizedTest
    @ValueSource(strings = {"chrome-offer.sdp", "chrome-offer-mdns.sdp", "firefox-offer.sdp",
            "firefox-offer-trickle.sdp"})
    void browserOffersAreForwardedUntouchedOrStrippedOfEveryClientAddress(String name) {
        start(8, false);
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.TCP, "bob");
        String open = alice.createRoom(false);
        String closed = alice.createRoom(true);
        for (String room : List.of(open, closed)) {
            bob.join(room);
            alice.joinCall(room);
            bob.joinCall(room);
        }
        String offer = fixture(name);
        bob.sdp(open, alice.sessionId(), "offer", offer);
        assertEquals(offer, alice.awaitEvent(RoomEvent.Signal.class, T).sdp());
        bob.sdp(closed, alice.sessionId(), "offer", offer);
        String filtered = alice.awaitEvent(RoomEvent.Signal.class, T).sdp();
        for (String address : List.of("192.168.1.23", "203.0.113.45", "2001:db8:85a3::8a2e:370:7334", ".local")) {
            assertFalse(filtered.contains(address), name + " still reveals " + address + ":\n" + filtered);
        }
        // Lines privacy mode does not mean to change stay byte for byte (the o= session id among them).
        String origin = offer.lines().filter(l -> l.startsWith("o=")).findFirst().orElseThrow();
        String sessionId = origin.split(" ")[1];
        assertTrue(filtered.contains(" " + sessionId + " "), "o= session id kept: " + sessionId);
        for (String line : offer.split("\r\n")) {
            if (line.startsWith("a=fingerprint") || line.startsWith("a=ice-ufrag") || line.startsWith("a=rtpmap")) {
                assertTrue(filtered.contains(line + "\r\n"), "kept: " + line);
            }
        }
    }

    @Test
    void resumeKeepsCallMembershipAndPushesFreshCredentials() {
        start(8, true);
        ClientSession alice = ts.session(Transport.TCP, "alice");
        ClientSession bob = ts.session(Transport.WS, "bob");
        String room = alice.createRoom();
        bob.join(room);
        assertTrue(alice.joinCall(room).relayOnly(), "server default: relay-only");
        bob.joinCall(room);
        alice.awaitEvent(RoomEvent.CallJoined.class, T);

        bob.dropConnection();
        alice.awaitEvent(RoomEvent.MemberReconnecting.class, T);
        // A signal sent while bob is away is replayed on resume.
        alice.candidate(room, bob.sessionId(), RELAY_CANDIDATE, "0", 0);
        bob.resume(ts.options(Transport.TCP));
        assertNotNull(bob.awaitEvent(RoomEvent.Signal.class, T));
        RoomEvent.CredentialsRefreshed fresh = bob.awaitEvent(RoomEvent.CredentialsRefreshed.class, T);
        assertEquals("relay", fresh.ice().iceTransportPolicy());
        assertEquals("resumed", fresh.reason());
        assertTrue(fresh.ice().iceServers().get(0).username().endsWith(":" + bob.sessionId() + ".2"));

        alice.awaitEvent(RoomEvent.MemberBack.class, T);
        assertNull(alice.nextEvent(Duration.ofMillis(200)), "no live.left for a resumed participant");
        assertFalse(minter.calls.stream().anyMatch(c -> c.startsWith("revoke")));
        assertEquals(bob.sessionId() + ".2", bob.refreshCredentials(room).ice().iceServers().get(0).username()
                .split(":")[2]);
        assertEquals(2, ts.counter("presence.live.credentials.refreshed"));
    }
}
