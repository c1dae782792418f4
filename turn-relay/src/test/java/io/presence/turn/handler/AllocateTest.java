package io.presence.turn.handler;

import io.presence.stun.AttributeType;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunMessage;
import io.presence.stun.TransactionId;
import io.presence.stun.attr.AddressFamily;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.attr.EvenPort;
import io.presence.stun.attr.RequestedTransport;
import io.presence.stun.attr.UnknownAttributes;
import io.presence.stun.attr.XorAddress;
import io.presence.turn.TurnFixture;
import io.presence.turn.TurnTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocateTest {
    private TurnFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void unauthenticatedAllocateGetsASmall401ThenSucceeds() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice")) {
            StunMessage challenge = c.transact(Method.ALLOCATE, false, w -> RequestedTransport.write(w, RequestedTransport.UDP));
            assertEquals(401, code(challenge));
            assertNotNull(challenge.first(AttributeType.REALM));
            assertNotNull(challenge.first(AttributeType.NONCE));
            assertFalse(challenge.has(AttributeType.SOFTWARE));
            assertFalse(challenge.hasMessageIntegrity());
            assertEquals(4, challenge.first(AttributeType.ERROR_CODE).length(), "no reason phrase");
            // Header 20 + ERROR-CODE 8 + REALM 12 + NONCE 36 + FINGERPRINT 8.
            assertTrue(challenge.size() <= 84, "401 of " + challenge.size() + " bytes");

            StunMessage ok = c.allocate();
            assertEquals(0, code(ok));
            assertTrue(c.signedByServer(ok), "success responses carry MESSAGE-INTEGRITY");
            assertTrue(c.relay.getPort() >= TurnFixture.PORT_MIN && c.relay.getPort() <= TurnFixture.PORT_MAX);
            assertEquals(600, c.lifetime);
            assertEquals(c.localAddress(), XorAddress.decode(ok.first(AttributeType.XOR_MAPPED_ADDRESS)));
            assertEquals(1, f.server.activeAllocations());
            assertEquals(1.0, f.counter("turn.allocations.created", "transport", "udp"));
        }
    }

    @Test
    void allocateErrorCodes() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice")) {
            // 400: no REQUESTED-TRANSPORT.
            assertEquals(400, code(c.request(Method.ALLOCATE, w -> { })));
            // 442: TCP (RFC 6062) is not served.
            assertEquals(442, code(c.request(Method.ALLOCATE, w -> RequestedTransport.write(w, RequestedTransport.TCP))));
            // 420: an unknown comprehension-required attribute, listed back.
            StunMessage unknown = c.request(Method.ALLOCATE, w -> {
                RequestedTransport.write(w, RequestedTransport.UDP);
                w.u32(0x7F01, 1);
            });
            assertEquals(420, code(unknown));
            assertArrayEquals(new int[] {0x7F01}, UnknownAttributes.decode(unknown.first(AttributeType.UNKNOWN_ATTRIBUTES)));
            // 440: IPv6 asked for, not configured.
            assertEquals(440, code(c.request(Method.ALLOCATE, w -> {
                RequestedTransport.write(w, RequestedTransport.UDP);
                AddressFamily.writeRequested(w, AddressFamily.IPV6);
            })));
            // 400: REQUESTED-ADDRESS-FAMILY with ADDITIONAL-ADDRESS-FAMILY; RESERVATION-TOKEN with EVEN-PORT.
            assertEquals(400, code(c.request(Method.ALLOCATE, w -> {
                RequestedTransport.write(w, RequestedTransport.UDP);
                AddressFamily.writeRequested(w, AddressFamily.IPV4);
                AddressFamily.writeAdditional(w, AddressFamily.IPV6);
            })));
            assertEquals(400, code(c.request(Method.ALLOCATE, w -> {
                RequestedTransport.write(w, RequestedTransport.UDP);
                EvenPort.write(w, false);
                w.attribute(AttributeType.RESERVATION_TOKEN, new byte[8]);
            })));
            // 508: a reservation token that was never issued.
            assertEquals(508, code(c.request(Method.ALLOCATE, w -> {
                RequestedTransport.write(w, RequestedTransport.UDP);
                w.attribute(AttributeType.RESERVATION_TOKEN, new byte[] {1, 2, 3, 4, 5, 6, 7, 9});
            })));
            assertEquals(0, f.server.activeAllocations(), "no failed request left an allocation");

            // Success, then 437 for another Allocate on the same 5-tuple, and the same answer to a retransmission.
            TransactionId tid = TransactionId.random();
            byte[] req = c.build(Method.ALLOCATE, tid, true, w -> RequestedTransport.write(w, RequestedTransport.UDP));
            c.sendRaw(req);
            StunMessage first = c.await(tid, 2000);
            assertEquals(0, code(first));
            c.sendRaw(req);
            StunMessage again = c.await(tid, 2000);
            assertEquals(0, code(again), "a retransmitted Allocate gets the success response again");
            assertEquals(XorAddress.decode(first.first(AttributeType.XOR_RELAYED_ADDRESS)),
                    XorAddress.decode(again.first(AttributeType.XOR_RELAYED_ADDRESS)));
            assertEquals(437, code(c.allocate()));
            assertEquals(1, f.server.activeAllocations());
        }
    }

    @Test
    void additionalAddressFamilyGivesIpv4WithAddressErrorCode() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice")) {
            StunMessage r = c.allocate(w -> {
                RequestedTransport.write(w, RequestedTransport.UDP);
                AddressFamily.writeAdditional(w, AddressFamily.IPV6);
            });
            assertEquals(0, code(r));
            assertNotNull(r.first(AttributeType.ADDRESS_ERROR_CODE));
            assertEquals(4, c.relay.getAddress().getAddress().length);
        }
    }

    @Test
    void evenPortWithReservation() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient a = f.client("room", "alice"); TurnTestClient b = f.client("room", "bob")) {
            StunMessage r = a.allocate(w -> {
                RequestedTransport.write(w, RequestedTransport.UDP);
                EvenPort.write(w, true);
            });
            assertEquals(0, code(r));
            assertEquals(0, a.relay.getPort() % 2, "even port");
            byte[] token = r.first(AttributeType.RESERVATION_TOKEN).value();
            StunMessage r2 = b.allocate(w -> {
                RequestedTransport.write(w, RequestedTransport.UDP);
                w.attribute(AttributeType.RESERVATION_TOKEN, token);
            });
            assertEquals(0, code(r2));
            assertEquals(a.relay.getPort() + 1, b.relay.getPort(), "the reserved next port");
        }
    }

    @Test
    void staleNonceGets438WithAFreshOne() throws Exception {
        f = new TurnFixture(b -> b.nonceLifetime(Duration.ofSeconds(60)));
        try (TurnTestClient c = f.client("room", "alice")) {
            assertEquals(0, code(c.allocate()));
            f.clock.advance(Duration.ofSeconds(61));
            StunMessage stale = c.transact(Method.REFRESH, true, w -> w.u32(AttributeType.LIFETIME, 600));
            assertEquals(438, code(stale));
            assertNotNull(stale.first(AttributeType.NONCE));
            assertNotNull(stale.first(AttributeType.REALM));
            assertEquals(0, c.refresh(600), "retried with the fresh nonce");
            // The explicit request above, and the client's first try inside refresh() (it retries on 438).
            assertEquals(2.0, f.counter("turn.auth.failures", "reason", "stale_nonce"));
        }
    }

    @Test
    void badCredentialsAndMissingAttributes() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice")) {
            var good = f.mint("room", "alice");
            c.credentials(good.username(), good.password() + "x");
            assertEquals(401, code(c.allocate()));
            assertEquals(1.0, f.counter("turn.auth.failures", "reason", "bad_integrity"));
            c.credentials("not-a-rest-username", "whatever");
            assertEquals(401, code(c.allocate()));
            assertEquals(2.0, f.counter("turn.auth.failures", "reason", "malformed_username"), "try and retry");
            // MESSAGE-INTEGRITY without NONCE: 400.
            StunMessage r = c.transact(Method.ALLOCATE, false, w -> {
                RequestedTransport.write(w, RequestedTransport.UDP);
                w.string(AttributeType.USERNAME, good.username()).string(AttributeType.REALM, "presence");
                w.messageIntegrity(io.presence.stun.IntegrityKey.longTerm(good.username(), "presence", good.password()));
            });
            assertEquals(400, code(r));
            assertEquals(0, f.server.activeAllocations());
        }
    }

    @Test
    void unauthenticatedAnswersAreRateLimitedPerIp() throws Exception {
        f = new TurnFixture(b -> b.unauthenticatedRate(1, 2));
        try (TurnTestClient c = f.client("room", "alice"); TurnTestClient d = f.client("room", "bob")) {
            for (int i = 0; i < 3; i++) {
                c.sendRaw(c.build(Method.ALLOCATE, TransactionId.random(), false,
                        w -> RequestedTransport.write(w, RequestedTransport.UDP)));
                d.sendRaw(d.build(Method.ALLOCATE, TransactionId.random(), false,
                        w -> RequestedTransport.write(w, RequestedTransport.UDP)));
            }
            int answered = 0;
            while (c.receiveRaw(300) != null) {
                answered++;
            }
            while (d.receiveRaw(100) != null) {
                answered++;
            }
            // Both sockets share 127.0.0.1: the port is ignored, so they share one budget of 2.
            assertEquals(2, answered);
            TurnFixture.eventually(() -> f.counter("turn.auth.challenges", "result", "rate_limited") == 4.0,
                    "4 rate-limited");
            assertEquals(2.0, f.counter("turn.auth.challenges", "result", "sent"));
        }
    }

    @Test
    void otherMethodsAndClassesAreLeftToTheStunServer() throws Exception {
        f = new TurnFixture();
        try (TurnTestClient c = f.client("room", "alice")) {
            // An unknown method gets 400 from the STUN server (not handled here).
            StunMessage r = c.transact(0x0FF, false, w -> { });
            assertEquals(400, code(r));
            // Binding still works on the shared port.
            StunMessage b = c.transact(Method.BINDING, false, w -> { });
            assertEquals(MessageClass.SUCCESS_RESPONSE, b.messageClass());
            assertNull(b.first(AttributeType.ERROR_CODE));
            assertEquals(ErrorCode.BAD_REQUEST, 400);
        }
    }
}
