package io.presence.turn.handler;

import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.attr.AddressFamily;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.attr.EvenPort;
import io.presence.stun.attr.Lifetime;
import io.presence.stun.attr.RequestedTransport;
import io.presence.stun.server.StunPeer;
import io.presence.turn.allocation.Allocation;
import io.presence.turn.allocation.AllocationManager;
import io.presence.turn.allocation.FiveTuple;
import io.presence.turn.config.TurnSettings;
import io.presence.turn.metrics.TurnMetrics;
import io.presence.turn.metrics.TurnMetrics.AllocationFailure;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Allocate (RFC 8656 §7.2). The numbered steps of the RFC, each followed by its check and its error.
 * Runs on the client socket's event loop.
 */
final class AllocateHandler {
    private final Authenticator auth;
    private final AllocationManager manager;
    private final TurnSettings settings;
    private final RelayAddresses relay;
    private final TurnMetrics metrics;

    AllocateHandler(Authenticator auth, AllocationManager manager, TurnSettings settings, RelayAddresses relay,
                    TurnMetrics metrics) {
        this.auth = auth;
        this.manager = manager;
        this.settings = settings;
        this.relay = relay;
        this.metrics = metrics;
    }

    void handle(StunPeer peer, StunMessage req) {
        // 1. The server MUST require that the request be authenticated (long-term mechanism).
        Authenticator.Auth who = auth.authenticate(peer, req);
        if (who == null) {
            return;
        }
        FiveTuple ft = new FiveTuple(peer.transport(), peer.remoteAddress(), peer.localAddress());
        // 2. The server checks if the 5-tuple is currently in use by an existing allocation: 437 — unless this
        //    is a retransmission of the request that made it, which gets the same success response again.
        Allocation existing = manager.findAny(ft);
        if (existing != null && !existing.isClosed()) {
            if (existing.allocateTransaction().equals(req.transactionId()) && who.username().equals(existing.username())) {
                if (existing.ready() && !existing.expired(manager.context().clock().millis())) {
                    respond(peer, req, existing, 0, false);
                }
                return; // still binding: the response is on its way
            }
            fail(peer, req, who, ErrorCode.ALLOCATION_MISMATCH, AllocationFailure.ALLOCATION_MISMATCH);
            return;
        }
        // (RFC 8489 §6.3.1) Unknown comprehension-required attributes: 420.
        if (req.hasUnknownComprehensionRequired()) {
            metrics.allocationFailed(AllocationFailure.BAD_REQUEST);
            metrics.response(TurnMetrics.Request.ALLOCATE, false);
            Responses.unknownAttributes(peer, req, who.key());
            return;
        }
        // 3. REQUESTED-TRANSPORT missing or malformed: 400; a protocol other than UDP: 442.
        StunAttribute transport = req.first(AttributeType.REQUESTED_TRANSPORT);
        if (transport == null) {
            fail(peer, req, who, ErrorCode.BAD_REQUEST, AllocationFailure.BAD_REQUEST);
            return;
        }
        if (RequestedTransport.decode(transport) != RequestedTransport.UDP) {
            fail(peer, req, who, ErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL, AllocationFailure.UNSUPPORTED_TRANSPORT);
            return;
        }
        // 4. DONT-FRAGMENT: supported — Linux sends UDP with DF set by default (path MTU discovery), which is
        //    what the client asks for. Nothing to do.
        // 5. RESERVATION-TOKEN with EVEN-PORT or REQUESTED-ADDRESS-FAMILY: 400. (Its validity is checked at
        //    step 7 when the port is claimed: unknown or expired → 508.)
        StunAttribute token = req.first(AttributeType.RESERVATION_TOKEN);
        StunAttribute even = req.first(AttributeType.EVEN_PORT);
        StunAttribute requestedFamily = req.first(AttributeType.REQUESTED_ADDRESS_FAMILY);
        StunAttribute additionalFamily = req.first(AttributeType.ADDITIONAL_ADDRESS_FAMILY);
        if (token != null && (even != null || requestedFamily != null)) {
            fail(peer, req, who, ErrorCode.BAD_REQUEST, AllocationFailure.BAD_REQUEST);
            return;
        }
        // 6. REQUESTED-ADDRESS-FAMILY and ADDITIONAL-ADDRESS-FAMILY together: 400. A family the server does not
        //    serve: 440. ADDITIONAL-ADDRESS-FAMILY must ask for IPv6 (RFC 8656 §18.11): else 400.
        if (requestedFamily != null && additionalFamily != null) {
            fail(peer, req, who, ErrorCode.BAD_REQUEST, AllocationFailure.BAD_REQUEST);
            return;
        }
        boolean ipv6 = false;
        if (requestedFamily != null) {
            int family = AddressFamily.decode(requestedFamily);
            if (family == AddressFamily.IPV6) {
                if (relay.bindV6().isEmpty()) {
                    fail(peer, req, who, ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED, AllocationFailure.ADDRESS_FAMILY);
                    return;
                }
                ipv6 = true;
            } else if (family != AddressFamily.IPV4) {
                fail(peer, req, who, ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED, AllocationFailure.ADDRESS_FAMILY);
                return;
            }
        }
        boolean addressErrorV6 = false;
        if (additionalFamily != null) {
            if (AddressFamily.decode(additionalFamily) != AddressFamily.IPV6) {
                fail(peer, req, who, ErrorCode.BAD_REQUEST, AllocationFailure.BAD_REQUEST);
                return;
            }
            // Dual allocations are not served: the IPv4 one is made and ADDRESS-ERROR-CODE says why there is
            // no IPv6 one (RFC 8656 §7.2 allows exactly this).
            addressErrorV6 = true;
        }
        // 7. EVEN-PORT: an even port, and with R=1 the next one reserved (508 when impossible).
        boolean evenPort = even != null;
        boolean reserveNext = even != null && EvenPort.reserveNext(even);
        long reservation = token == null ? 0 : token.u32(0) << 32 | token.u32(4);
        if (token != null && reservation == 0) {
            fail(peer, req, who, ErrorCode.INSUFFICIENT_CAPACITY, AllocationFailure.CAPACITY);
            return;
        }
        // 8. Quotas (486) and the port range (508) are checked by the manager.
        long lifetime = Lifetimes.millis(req, settings);
        if (lifetime < 0) {
            lifetime = settings.allocationDefaultLifetime().toMillis();
        }
        InetSocketAddress bind = ipv6 ? relay.bindV6().get() : relay.bindV4();
        InetAddress advertised = ipv6 ? relay.advertisedV6().get() : relay.advertisedV4();
        AllocationManager.Request request = new AllocationManager.Request(ft, peer, who.username(), who.user(),
                who.key(), req.transactionId(), lifetime, bind, advertised, evenPort, reserveNext, reservation);
        boolean withAddressError = addressErrorV6;
        manager.allocate(request, new AllocationManager.Callback() {
            @Override
            public void created(Allocation allocation, long reservationToken) {
                respond(peer, req, allocation, reservationToken, withAddressError);
            }

            @Override
            public void failed(AllocationManager.Failure failure) {
                switch (failure) {
                    case QUOTA -> fail(peer, req, who, ErrorCode.ALLOCATION_QUOTA_REACHED, AllocationFailure.QUOTA);
                    case MISMATCH -> fail(peer, req, who, ErrorCode.ALLOCATION_MISMATCH,
                            AllocationFailure.ALLOCATION_MISMATCH);
                    case STOPPED -> fail(peer, req, who, ErrorCode.INSUFFICIENT_CAPACITY, AllocationFailure.STOPPED);
                    default -> fail(peer, req, who, ErrorCode.INSUFFICIENT_CAPACITY, AllocationFailure.CAPACITY);
                }
            }
        });
    }

    private void respond(StunPeer peer, StunMessage req, Allocation a, long reservationToken, boolean addressErrorV6) {
        long now = manager.context().clock().millis();
        metrics.response(TurnMetrics.Request.ALLOCATE, true);
        Responses.success(peer, req, a.key(), w -> {
            w.xorAddress(AttributeType.XOR_RELAYED_ADDRESS, a.relayAddress());
            Lifetime.write(w, a.remainingSeconds(now));
            if (reservationToken != 0) {
                byte[] t = new byte[8];
                for (int i = 0; i < 8; i++) {
                    t[i] = (byte) (reservationToken >>> (56 - 8 * i));
                }
                w.attribute(AttributeType.RESERVATION_TOKEN, t);
            }
            w.xorAddress(AttributeType.XOR_MAPPED_ADDRESS, peer.remoteAddress());
            if (addressErrorV6) {
                addressErrorCode(w, AddressFamily.IPV6, ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
            }
        });
    }

    /** ADDRESS-ERROR-CODE (RFC 8656 §18.12): family, reserved, class and number — without a reason phrase. */
    private static void addressErrorCode(StunMessageWriter w, int family, int code) {
        w.attribute(AttributeType.ADDRESS_ERROR_CODE,
                new byte[] {(byte) family, 0, (byte) (code / 100), (byte) (code % 100)});
    }

    private void fail(StunPeer peer, StunMessage req, Authenticator.Auth who, int code, AllocationFailure reason) {
        metrics.allocationFailed(reason);
        metrics.response(TurnMetrics.Request.ALLOCATE, false);
        Responses.error(peer, req, code, who.key());
    }
}
