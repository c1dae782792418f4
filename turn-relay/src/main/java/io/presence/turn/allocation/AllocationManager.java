package io.presence.turn.allocation;

import io.netty.util.concurrent.Future;
import io.presence.stun.IntegrityKey;
import io.presence.stun.TransactionId;
import io.presence.stun.server.StunPeer;
import io.presence.turn.auth.RestUsername;
import io.presence.turn.config.RoomPolicy;
import io.presence.turn.metrics.TurnMetrics;
import io.presence.turn.policy.PeerPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Owns every allocation: indexes them by 5-tuple (requests and client traffic) and by relayed address
 * (in-process hand-off, the "relay address is a legitimate peer" rule), enforces the allocation quotas, hands
 * out relay ports, and expires allocations, permissions and channels from one periodic sweep (no timer per
 * object).
 *
 * <p>Thread-safe: lookups are lock-free (concurrent maps); creation, removal and quota counting take this
 * object's lock — they happen once per allocation, never per packet.
 */
public final class AllocationManager {
    private static final Logger log = LoggerFactory.getLogger(AllocationManager.class);
    /** Another process may hold a port of the range; try a few others before answering 508. */
    private static final int BIND_ATTEMPTS = 8;

    /** Why an allocation could not be made. */
    public enum Failure {
        /** 486 Allocation Quota Reached (per participant, per room or server total). */
        QUOTA,
        /** 508 Insufficient Capacity: no relay port, a bad reservation token, or the server is draining. */
        CAPACITY,
        /** 508 as well, but because {@link #stopAccepting()} was called. */
        STOPPED,
        /** 437: an allocation (maybe still being created) already holds this 5-tuple. */
        MISMATCH
    }

    /** Receives the outcome of {@link #allocate}, on the client's event loop. */
    public interface Callback {
        void created(Allocation allocation, long reservationToken);

        void failed(Failure failure);
    }

    /** What the Allocate handler asks for. */
    public record Request(FiveTuple fiveTuple, StunPeer client, String username, RestUsername user, IntegrityKey key,
                          TransactionId transaction, long lifetimeMillis, InetSocketAddress bind,
                          InetAddress advertised, boolean evenPort, boolean reserveNext, long reservationToken) {
    }

    private final RelayContext ctx;
    private final RelaySocketPool sockets;
    private final ClientFrames clientFrames;
    private final RelayPorts ports;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<FiveTuple, Allocation> byFiveTuple = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetSocketAddress, Allocation> byRelay = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RoomPolicy> policies = new ConcurrentHashMap<>();
    private final Map<String, Room> rooms = new HashMap<>();
    private final Map<String, Integer> perParticipant = new HashMap<>();
    private final java.util.Set<Future<?>> closing = ConcurrentHashMap.newKeySet();
    private final ClosedRelays closedRelays;
    private int total;
    private volatile boolean stopped;

    public AllocationManager(RelayContext ctx, RelaySocketPool sockets, RelayPorts ports) {
        this.ctx = ctx;
        this.sockets = sockets;
        this.clientFrames = new ClientFrames(ctx.metrics(), ctx.settings().legacyChannelNumbers());
        this.ports = ports;
        this.closedRelays = new ClosedRelays(ctx.settings().relayPortMin(), ctx.settings().relayPortMax());
    }

    public RelayContext context() {
        return ctx;
    }

    /** The client → peer data path every allocation shares. */
    public ClientFrames clientFrames() {
        return clientFrames;
    }

    // ---- lookups (any thread, lock-free) ----

    /** The live allocation of a 5-tuple, or null (an expired one is closed on the way). */
    public Allocation find(FiveTuple fiveTuple) {
        return find(fiveTuple, ctx.clock().millis());
    }

    /** {@link #find(FiveTuple)} with the caller's clock reading (one per packet on the data path). */
    public Allocation find(FiveTuple fiveTuple, long now) {
        return live(byFiveTuple.get(fiveTuple), now);
    }

    /**
     * {@code a} (the allocation of a 5-tuple, found by the caller) if it is live at {@code now}, else null (an expired
     * one is closed on the way), as {@link #find} would answer for its 5-tuple.
     */
    public Allocation live(Allocation a, long now) {
        if (a != null && (a.isClosed() || a.expired(now))) {
            a.close();
            return null;
        }
        return a;
    }

    /** Like {@link #find} but also returns an allocation still being created (to tell retransmissions apart). */
    public Allocation findAny(FiveTuple fiveTuple) {
        return byFiveTuple.get(fiveTuple);
    }

    /** The live allocation whose relayed transport address is {@code address}, or null. */
    public Allocation relayTarget(InetSocketAddress address) {
        if (byRelay.isEmpty()) {
            return null;
        }
        Allocation a = byRelay.get(address);
        return a == null || a.isClosed() ? null : a;
    }

    public int size() {
        return byFiveTuple.size();
    }

    public RoomPolicy policy(String room) {
        return policies.getOrDefault(room, RoomPolicy.OPEN);
    }

    // ---- creation ----

    public boolean isStopped() {
        return stopped;
    }

    /** Stops new allocations (draining); existing ones live on until they expire or are deleted. */
    public void stopAccepting() {
        stopped = true;
    }

    /** Creates an allocation for {@code req}; the callback runs on the client's event loop. */
    public void allocate(Request req, Callback callback) {
        Failure refused = admit(req);
        if (refused != null) {
            callback.failed(refused);
            return;
        }
        boolean plain = req.reservationToken() == 0 && !req.evenPort();
        boolean ipv6 = req.bind().getAddress() instanceof java.net.Inet6Address;
        if (plain) {
            RelaySocket parked = sockets.takeParked(req.client().eventLoop(), ipv6, false);
            if (parked != null && reuse(req, parked, callback)) {
                return;
            }
        }
        int port;
        if (req.reservationToken() != 0) {
            port = ports.claim(req.reservationToken(), ctx.clock().millis());
        } else {
            port = ports.acquire(req.evenPort(), req.reserveNext());
        }
        if (port < 0 && plain) {
            // The range is exhausted: a parked socket, even one still in quarantine, is better than 508. One of
            // this loop is taken as it is; one of another loop is closed and its port bound again here.
            RelaySocket parked = sockets.takeParked(req.client().eventLoop(), ipv6, true);
            if (parked != null && reuse(req, parked, callback)) {
                return;
            }
            RelaySocket elsewhere = sockets.takeParkedAnywhere(ipv6);
            if (elsewhere != null) {
                int freed = elsewhere.port();
                elsewhere.close().addListener(f -> req.client().eventLoop().execute(() -> create(req, freed, callback)));
                return;
            }
        }
        if (port < 0) {
            unadmit(req);
            callback.failed(Failure.CAPACITY);
            return;
        }
        create(req, port, callback);
    }

    /** Creates the allocation on {@code port} (already taken from the range) and binds its relay socket. */
    private void create(Request req, int port, Callback callback) {
        Room room;
        synchronized (this) {
            room = rooms.get(req.user().room());
        }
        Allocation a = new Allocation(this, ctx, req.fiveTuple(), req.client(), req.username(), req.user(), req.key(),
                room, new InetSocketAddress(req.advertised(), port), new InetSocketAddress(req.bind().getAddress(), port),
                req.transaction(), req.lifetimeMillis());
        if (byFiveTuple.putIfAbsent(req.fiveTuple(), a) != null) {
            ports.release(port);
            if (req.reserveNext()) {
                ports.release(port + 1);
            }
            unadmit(req);
            callback.failed(Failure.MISMATCH);
            return;
        }
        bind(req, a, port, 1, callback);
    }

    /** Gives a parked relay socket to a new allocation (no syscalls); false when the 5-tuple is taken. */
    private boolean reuse(Request req, RelaySocket socket, Callback callback) {
        int port = socket.port();
        Room room;
        synchronized (this) {
            room = rooms.get(req.user().room());
        }
        Allocation a = new Allocation(this, ctx, req.fiveTuple(), req.client(), req.username(), req.user(), req.key(),
                room, new InetSocketAddress(req.advertised(), port), new InetSocketAddress(req.bind().getAddress(), port),
                req.transaction(), req.lifetimeMillis());
        if (byFiveTuple.putIfAbsent(req.fiveTuple(), a) != null) {
            if (!sockets.park(socket)) {
                socket.close();
                ports.release(port);
            }
            unadmit(req);
            callback.failed(Failure.MISMATCH);
            return true;
        }
        a.relaySocket(socket);
        byRelay.put(a.relayAddress(), a);
        ctx.metrics().allocationCreated(req.fiveTuple().transport());
        callback.created(a, 0);
        return true;
    }

    private void bind(Request req, Allocation a, int port, int attempt, Callback callback) {
        Future<RelaySocket> f = sockets.bind(a.eventLoop(), new InetSocketAddress(req.bind().getAddress(), port), a);
        f.addListener(done -> {
            if (done.isSuccess()) {
                RelaySocket socket = f.getNow();
                if (a.isClosed()) { // revoked or server closing while binding: no response, undo everything
                    socket.close();
                    abandon(req, a, port);
                    return;
                }
                a.relaySocket(socket);
                byRelay.put(a.relayAddress(), a);
                long token = 0;
                if (req.reserveNext()) {
                    token = random.nextLong() | 1; // never 0, which means "none"
                    ports.reserve(token, port + 1, ctx.clock().millis());
                }
                ctx.metrics().allocationCreated(req.fiveTuple().transport());
                callback.created(a, token);
                return;
            }
            log.debug("relay port {} not bindable: {}", port, done.cause().toString());
            if (a.isClosed()) {
                abandon(req, a, port);
                return;
            }
            ports.release(port);
            if (req.reserveNext()) {
                ports.release(port + 1);
            }
            int next = attempt < BIND_ATTEMPTS && req.reservationToken() == 0
                    ? ports.acquire(req.evenPort(), req.reserveNext()) : -1;
            if (next < 0) {
                byFiveTuple.remove(req.fiveTuple(), a);
                unadmit(req);
                callback.failed(Failure.CAPACITY);
                return;
            }
            Allocation retry = new Allocation(this, ctx, req.fiveTuple(), req.client(), req.username(), req.user(),
                    req.key(), a.room(), new InetSocketAddress(req.advertised(), next),
                    new InetSocketAddress(req.bind().getAddress(), next), req.transaction(), req.lifetimeMillis());
            byFiveTuple.replace(req.fiveTuple(), a, retry);
            bind(req, retry, next, attempt + 1, callback);
        });
    }

    private void abandon(Request req, Allocation a, int port) {
        byFiveTuple.remove(req.fiveTuple(), a);
        ports.release(port);
        if (req.reserveNext()) {
            ports.release(port + 1);
        }
        unadmit(req);
    }

    private synchronized Failure admit(Request req) {
        if (stopped) {
            return Failure.STOPPED;
        }
        if (byFiveTuple.containsKey(req.fiveTuple())) {
            return Failure.MISMATCH;
        }
        var q = ctx.settings().quotas();
        String participant = participantKey(req.user());
        Room room = rooms.get(req.user().room());
        if (total >= q.allocations()
                || room != null && room.allocations >= q.allocationsPerRoom()
                || perParticipant.getOrDefault(participant, 0) >= q.allocationsPerParticipant()) {
            return Failure.QUOTA;
        }
        if (room == null) {
            room = new Room(req.user().room(), policy(req.user().room()));
            rooms.put(room.id(), room);
        }
        room.allocations++;
        perParticipant.merge(participant, 1, Integer::sum);
        total++;
        return null;
    }

    private synchronized void unadmit(Request req) {
        release(req.user());
    }

    private void release(RestUsername user) {
        total--;
        String participant = participantKey(user);
        perParticipant.computeIfPresent(participant, (k, n) -> n > 1 ? n - 1 : null);
        Room room = rooms.get(user.room());
        if (room != null && --room.allocations <= 0) {
            rooms.remove(user.room());
        }
    }

    private static String participantKey(RestUsername user) {
        return user.room() + ':' + user.participant();
    }

    /**
     * Called by an allocation once it has released its permissions and channels (on its loop): its relay socket
     * is parked for reuse or closed — once its peer socket is closed, when it had one ({@code peerSocketClosed}; a
     * port must not be bound again while a socket of the old allocation still holds it) — and its indexes and
     * quota counts are dropped.
     */
    void removed(Allocation a, RelaySocket relaySocket, Future<?> peerSocketClosed, double livedSeconds) {
        // The socket first, the indexes after: close() waits until no allocation is indexed and then for the
        // sockets closed at shutdown, so a socket must be in `closing` before its allocation leaves the index. (One
        // whose peer socket was still closing when the shutdown began is closed by its listener, unawaited; the
        // event loops' shutdown closes it in any case.)
        // The close is on record before the relay address leaves the index: a datagram that misses the
        // allocation finds why.
        closedRelays.closed(a.relayAddress(), a.room().id(), ctx.clock().millis());
        if (peerSocketClosed == null || stopped) {
            retire(a, relaySocket);
        } else {
            peerSocketClosed.addListener(f -> retire(a, relaySocket));
        }
        byFiveTuple.remove(a.fiveTuple(), a);
        byRelay.remove(a.relayAddress(), a);
        synchronized (this) {
            release(a.user());
        }
        ctx.metrics().allocationClosed(a.fiveTuple().transport(), livedSeconds);
    }

    /** Parks an ended allocation's relay socket, or closes it and frees its port. On its loop. */
    private void retire(Allocation a, RelaySocket relaySocket) {
        if (stopped || !sockets.park(relaySocket)) {
            Future<?> closed = relaySocket.close();
            if (stopped) {
                closing.add(closed);
                closed.addListener(f -> closing.remove(closed));
            }
            ports.release(a.relayAddress().getPort());
        }
    }

    // ---- control ----

    /** Closes every allocation matching {@code which}; returns how many. */
    public int closeWhere(Predicate<Allocation> which) {
        List<Allocation> hit = new ArrayList<>();
        for (Allocation a : byFiveTuple.values()) {
            if (which.test(a)) {
                hit.add(a);
            }
        }
        hit.forEach(Allocation::close);
        return hit.size();
    }

    public void setRoomPolicy(String room, RoomPolicy policy) {
        synchronized (this) {
            if (policy == RoomPolicy.OPEN) {
                policies.remove(room);
            } else {
                policies.put(room, policy);
            }
            Room r = rooms.get(room);
            if (r != null) {
                r.policy(policy);
            }
        }
    }

    public void forgetRoom(String room) {
        policies.remove(room);
    }

    /** Posts housekeeping to every allocation that has something due. Run periodically, from any thread. */
    public void sweep() {
        long now = ctx.clock().millis();
        for (Allocation a : byFiveTuple.values()) {
            if (now >= a.nextCheck() || a.isClosed()) {
                a.eventLoop().execute(a::housekeep);
            }
        }
        ports.expireReservations(now);
    }

    /** Closes every allocation (server shutdown); {@link #closeParked()} afterwards closes the pool. */
    public void closeAll() {
        stopped = true;
        closeWhere(a -> true);
    }

    /** Closes the parked relay sockets and waits (bounded) for every relay socket closed at shutdown. */
    public void closeParked() {
        sockets.closeAll();
        for (Future<?> f : List.copyOf(closing)) {
            f.awaitUninterruptibly(1000);
        }
    }

    /**
     * The metric label for refusing {@code from} a peer on this host ({@link OwnHost}): another room's allocation, or
     * a relay port where none of its room lives. {@code allocation_gone} when an allocation of its own room closed
     * there lately (the end of a call), {@code room_scope} for any other relay address, {@code own_address} for the
     * host's other ports. Only the label: the client's answer is the same in every case. Off the data path (a
     * denial).
     */
    public TurnMetrics.PeerDenial hostDenial(Allocation from, InetSocketAddress peer, long now) {
        Allocation closing = byRelay.get(peer); // closed, not yet released: its close is not on record yet
        if (closing != null && closing.isClosed() && closing.room().id().equals(from.room().id())
                || closedRelays.lately(peer, from.room().id(), now)) {
            return TurnMetrics.PeerDenial.ALLOCATION_GONE;
        }
        return ctx.ownHost().relayAddress(peer) || relayTarget(peer) != null
                ? TurnMetrics.PeerDenial.ROOM_SCOPE : TurnMetrics.PeerDenial.OWN_ADDRESS;
    }

    static TurnMetrics.PeerDenial denial(PeerPolicy.Verdict verdict) {
        return switch (verdict) {
            case DENIED_CONFIG -> TurnMetrics.PeerDenial.CONFIG;
            case DENIED_OWN_ADDRESS -> TurnMetrics.PeerDenial.OWN_ADDRESS;
            default -> TurnMetrics.PeerDenial.DEFAULT_RANGE;
        };
    }

    /** The metric label for a policy verdict (for handlers). */
    public static TurnMetrics.PeerDenial denialOf(PeerPolicy.Verdict verdict) {
        return denial(verdict);
    }
}
