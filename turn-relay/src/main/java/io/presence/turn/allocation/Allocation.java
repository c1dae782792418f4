package io.presence.turn.allocation;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.presence.net.TokenBucket;
import io.presence.stun.IntegrityKey;
import io.presence.stun.TransactionId;
import io.presence.stun.codec.ChannelData;
import io.presence.stun.codec.TurnIndication;
import io.presence.stun.server.ConnectedPeer;
import io.presence.stun.server.PeerOwner;
import io.presence.stun.server.StunPeer;
import io.presence.turn.auth.RestUsername;
import io.presence.turn.metrics.TurnMetrics;
import io.presence.turn.metrics.TurnMetrics.Direction;
import io.presence.turn.metrics.TurnMetrics.Drop;
import io.presence.turn.policy.PeerPolicy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;

/**
 * One allocation (RFC 8656 §2.2): a relayed transport address bound to one client 5-tuple, its permissions
 * and channel bindings, lifetime and bandwidth budget.
 *
 * <p>Concurrency: everything mutable is confined to {@link #eventLoop()}, the loop of the client's socket,
 * which is also the loop of the relay socket — so a relayed packet in either direction runs on one thread
 * without locks. Other threads only read the volatile {@link #closed}, {@link #nextCheck} and {@link #client}, the
 * tables' published state ({@link PermissionTable#permitsFromAnyLoop}, {@link ChannelTable#liveNumber}), charge the
 * lock-free bandwidth bucket in a hand-off, and post tasks.
 *
 * <p>Ownership: the {@link AllocationManager} owns allocations; an allocation owns its permissions
 * ({@link PermissionTable}), channel bindings ({@link ChannelTable}), relay socket ({@link RelaySocket}) and client
 * socket ({@link ConnectedPeer}, from its first permission, whose data frames it then receives as their
 * {@link PeerOwner}), and {@link #close} releases all of them (idempotent).
 *
 * <p>Sockets are reached through {@link RelaySocket} and {@link StunPeer} only, and time through the context's clock
 * (and {@link System#nanoTime()} for the bandwidth budget), so the allocation runs without sockets in tests.
 */
public final class Allocation implements PeerOwner {
    private final AllocationManager manager;
    private final RelayContext ctx;
    private final FiveTuple fiveTuple;
    // The peer the client came through, until the client gets a socket of its own (connectClient): then that one.
    // Both give the same 5-tuple; other loops' hand-offs read it.
    private volatile StunPeer client;
    // The client's socket of its own, once it has one: this allocation owns it and closes it.
    private ConnectedPeer ownSocket;
    private boolean connectTried;
    private final EventLoop loop;
    private final String username;
    private final RestUsername user;
    private final IntegrityKey key;
    private final Room room;
    private final InetSocketAddress relayAddress;
    private final InetSocketAddress relayBind;
    private final TransactionId allocateTransaction;
    private final long createdAt;
    private final long credentialExpiry;
    private final TokenBucket.Shared bandwidth;
    private final PermissionTable permissions;
    private final ChannelTable channels;
    private RelaySocket relaySocket;
    private long expiresAt;
    private volatile long nextCheck;
    private volatile boolean closed;
    private boolean released;

    Allocation(AllocationManager manager, RelayContext ctx, FiveTuple fiveTuple, StunPeer client, String username,
               RestUsername user, IntegrityKey key, Room room, InetSocketAddress relayAddress,
               InetSocketAddress relayBind, TransactionId allocateTransaction, long lifetimeMillis) {
        this.manager = manager;
        this.ctx = ctx;
        this.fiveTuple = fiveTuple;
        this.client = client;
        this.loop = client.eventLoop();
        this.username = username;
        this.user = user;
        this.key = key;
        this.room = room;
        this.relayAddress = relayAddress;
        this.relayBind = relayBind;
        this.allocateTransaction = allocateTransaction;
        this.createdAt = ctx.clock().millis();
        this.credentialExpiry = user.expiryEpochSeconds() * 1000;
        this.expiresAt = capLifetime(createdAt, lifetimeMillis);
        this.nextCheck = expiresAt;
        long rate = ctx.settings().quotas().bandwidthPerAllocation();
        this.bandwidth = new TokenBucket.Shared(rate, rate, System.nanoTime());
        this.permissions = new PermissionTable(ctx.settings().quotas().permissionsPerAllocation(), ctx.metrics(),
                ctx.ownHost());
        this.channels = new ChannelTable(ctx.settings().quotas().channelsPerAllocation(), ctx.metrics());
    }

    public FiveTuple fiveTuple() {
        return fiveTuple;
    }

    public StunPeer client() {
        return client;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public String username() {
        return username;
    }

    public RestUsername user() {
        return user;
    }

    public IntegrityKey key() {
        return key;
    }

    public Room room() {
        return room;
    }

    /** The relayed transport address as advertised to the client (XOR-RELAYED-ADDRESS). */
    public InetSocketAddress relayAddress() {
        return relayAddress;
    }

    /** Where the relay socket is bound (differs from {@link #relayAddress()} behind NAT). */
    public InetSocketAddress relayBind() {
        return relayBind;
    }

    public boolean ipv6() {
        return relayAddress.getAddress() instanceof java.net.Inet6Address;
    }

    public TransactionId allocateTransaction() {
        return allocateTransaction;
    }

    public boolean isClosed() {
        return closed;
    }

    long nextCheck() {
        return nextCheck;
    }

    /** Seconds until expiry (for LIFETIME in responses). */
    public long remainingSeconds(long now) {
        return Math.max(0, (expiresAt - now + 999) / 1000);
    }

    public boolean expired(long now) {
        return now >= expiresAt;
    }

    /** The relay socket, once bound (called on the loop by the manager); attaches this allocation to it. */
    void relaySocket(RelaySocket socket) {
        socket.attach(this);
        this.relaySocket = socket;
    }

    /** Whether the relay socket is bound, i.e. the Allocate has been answered (on the loop). */
    public boolean ready() {
        return relaySocket != null;
    }

    /** Strict expiry: the allocation never outlives the credentials it was made with. */
    private long capLifetime(long now, long lifetimeMillis) {
        return Math.min(now + lifetimeMillis, credentialExpiry);
    }

    /** Refresh (RFC 8656 §7.3) with a non-zero lifetime; returns the granted seconds. On the loop. */
    public long refresh(long lifetimeMillis) {
        long now = ctx.clock().millis();
        expiresAt = capLifetime(now, lifetimeMillis);
        nextCheck = Math.min(nextCheck, expiresAt);
        return remainingSeconds(now);
    }

    // ---- permissions (RFC 8656 §9) ----

    /** Whether permissions for all of {@code ips} fit the per-allocation quota (existing ones are refreshed). */
    public boolean canPermit(Collection<InetAddress> ips) {
        return permissions.fit(ips);
    }

    /** Installs or refreshes the permission for {@code ip} (RFC 8656 §9.2). Quota checked by the caller. */
    public void permit(InetAddress ip) {
        long until = ctx.clock().millis() + ctx.permissionMillis();
        permissions.permit(ip, until);
        nextCheck = Math.min(nextCheck, until);
        connectClient();
    }

    /**
     * With its first permission the allocation is about to relay data: a UDP client gets a socket of the STUN port
     * of its own, if the STUN server can give one ({@link StunPeer#connect}), and this allocation becomes its owner.
     * Allocations that never relay (the Allocate-Refresh cycles of clients gathering candidates) do not pay for it.
     */
    private void connectClient() {
        if (connectTried || closed) {
            return;
        }
        connectTried = true;
        ConnectedPeer c = client.connect();
        if (c != null) {
            c.attach(this);
            ownSocket = c;
            client = c;
        }
    }

    public boolean hasPermission(InetAddress ip, long now) {
        return permissions.live(ip, now);
    }

    // ---- channels (RFC 8656 §11, §12) ----

    /** The outcome of a ChannelBind on this allocation. */
    public enum BindResult { BOUND, CONFLICT, QUOTA }

    /**
     * Binds or refreshes channel {@code number} to {@code peer}, and installs or refreshes the permission for
     * the peer's IP (RFC 8656 §11.2). The rebinding rules: a number bound (or cooling down) to another address,
     * or an address bound (or cooling down) to another number, is a CONFLICT (400).
     */
    public BindResult bind(int number, InetSocketAddress peer) {
        long now = ctx.clock().millis();
        if (channels.conflicts(number, peer, now)) {
            return BindResult.CONFLICT;
        }
        long until = now + ctx.channelMillis();
        if (!permissions.fits(peer.getAddress()) || !channels.bind(number, peer, until)) {
            return BindResult.QUOTA;
        }
        nextCheck = Math.min(nextCheck, until);
        permit(peer.getAddress());
        return BindResult.BOUND;
    }

    /** The live binding of {@code number}, or null. Allocation-free. */
    public ChannelBinding channel(int number, long now) {
        return channels.live(number, now);
    }

    /** Live channel bindings (the quota counts these). On the loop. */
    int liveChannels() {
        return channels.counted();
    }

    /** Permissions held, lapsed ones until the sweep removes them. On the loop. */
    int permissionCount() {
        return permissions.size();
    }

    // ---- data path ----

    /** ChannelData from the client on its own socket ({@link PeerOwner}). On the loop. */
    @Override
    public boolean onChannelData(ByteBuf frame) {
        long now = ctx.clock().millis();
        manager.clientFrames().channelData(manager.live(this, now), frame, now);
        return true;
    }

    /** A Send indication from the client on its own socket ({@link PeerOwner}). On the loop. */
    @Override
    public boolean onSendIndication(ByteBuf frame) {
        long now = ctx.clock().millis();
        manager.clientFrames().sendIndication(manager.live(this, now), frame, now);
        return true;
    }

    /**
     * The checks both directions make on every packet (RFC 8656 §9: a permission for the peer's IP; the
     * bandwidth quota), at clock reading {@code now}. Returns the permission; null after releasing {@code payload}
     * and counting the drop.
     */
    private Permission admit(InetSocketAddress peer, ByteBuf payload, boolean relayOpen, long now) {
        Permission p = closed || !relayOpen ? null : permissions.get(peer.getAddress());
        Drop drop = closed || !relayOpen ? Drop.NO_ALLOCATION
                : p == null || !p.live(now) ? Drop.NO_PERMISSION
                : !spend(payload.readableBytes()) ? Drop.BANDWIDTH
                : null;
        if (drop == null) {
            return p;
        }
        payload.release();
        ctx.metrics().drop(drop);
        return null;
    }

    /** Releases a datagram refused by the peer rules and counts it under {@code why}. */
    private void deny(ByteBuf payload, TurnMetrics.PeerDenial why) {
        payload.release();
        ctx.metrics().peerDenied(why);
        ctx.metrics().drop(Drop.PEER_DENIED);
    }

    /**
     * Client → peer (ChannelData or Send indication, RFC 8656 §11.3, §12.6): checks permission, bandwidth and
     * the peer rules on every packet, then hands the payload to another allocation of this server or sends it
     * from the relay socket. {@code now}: the caller's clock reading for this packet (one per packet). Takes
     * ownership of {@code payload}. On the loop.
     *
     * <p>The peer rules: a relayed address of this server is reached only by an allocation of its own room, in
     * process — checked here for the receiving allocation's room as much as the sender's, so a room (relay-only or
     * not) takes nothing from another room's allocations. Any other address of this host is never sent to (the
     * permission knows whether its IP is this host's). A relay-only room reaches nothing else; an open one what the
     * {@link PeerPolicy} allows.
     */
    public void sendToPeer(InetSocketAddress peer, ByteBuf payload, long now) {
        TurnMetrics m = ctx.metrics();
        int length = payload.readableBytes();
        Permission permission = admit(peer, payload, relaySocket != null, now);
        if (permission == null) {
            return;
        }
        Allocation target = manager.relayTarget(peer);
        if (target != null) {
            // In-process hand-off: the peer is another allocation here. Same checks as the kernel path would
            // have on the other side (its permission for our relay address), same framing, no syscalls.
            if (target.room != room) {
                deny(payload, manager.hostDenial(this, peer, now));
                return;
            }
            m.relayed(Direction.TO_PEER, length);
            m.handoff();
            if (target.loop.inEventLoop()) {
                target.receiveHandedOff(relayAddress, payload, now);
            } else if (!target.receiveHandoff(relayAddress, payload, client, now)) {
                target.loop.execute(() -> target.receiveHandedOff(relayAddress, payload, ctx.clock().millis()));
            }
            return;
        }
        if (permission.hostKind() != OwnHost.Kind.ELSEWHERE && permission.ownHostPort(peer.getPort(), ctx.ownHost())) {
            deny(payload, manager.hostDenial(this, peer, now));
            return;
        }
        if (room.relayOnly()) {
            deny(payload, TurnMetrics.PeerDenial.ROOM_SCOPE);
            return;
        }
        PeerPolicy.Verdict verdict = ctx.policy().check(peer);
        if (!verdict.allowed()) {
            deny(payload, AllocationManager.denial(verdict));
            return;
        }
        m.relayed(Direction.TO_PEER, length);
        relaySocket.send(payload, peer);
    }

    private boolean spend(int length) {
        if (bandwidth.unlimited() && ctx.totalBandwidth().unlimited()) {
            return true;
        }
        long nanos = System.nanoTime();
        return bandwidth.tryTake(length, nanos) && ctx.totalBandwidth().tryTake(length, nanos);
    }

    /**
     * Peer → client (RFC 8656 §11.4, §12.7): a datagram that reached the relay address from {@code from} through
     * the kernel (the relay socket, or a peer socket). Without a permission for the sender's IP it is dropped; with
     * a live channel to the sender it goes as ChannelData, else as a Data indication. Takes ownership of
     * {@code payload}. On the loop.
     *
     * <p>Dropped as well, whatever the permission: a datagram from this host (the relay never sends one there, so
     * it came from another local socket, or bears a forged source), and any datagram of a relay-only room — its
     * allocations only ever get their own room's datagrams, and those come in process
     * ({@link #receiveHandedOff}). Two field reads, no lookup.
     */
    public void receiveFromPeer(InetSocketAddress from, ByteBuf payload) {
        long now = ctx.clock().millis();
        int length = payload.readableBytes();
        Permission p = admit(from, payload, true, now);
        if (p == null) {
            return;
        }
        if (p.hostKind() != OwnHost.Kind.ELSEWHERE && p.ownHostPort(from.getPort(), ctx.ownHost())) {
            deny(payload, TurnMetrics.PeerDenial.OWN_ADDRESS);
            return;
        }
        if (room.relayOnly()) {
            deny(payload, TurnMetrics.PeerDenial.ROOM_SCOPE);
            return;
        }
        deliver(client, channels.liveNumber(from, now), from, payload, length);
    }

    /**
     * A datagram handed over in process by the allocation at {@code from} (of this allocation's room: the sender
     * checked), on this allocation's loop: the permission check of {@link #receiveFromPeer}, then delivery. Takes
     * ownership of {@code payload}.
     */
    private void receiveHandedOff(InetSocketAddress from, ByteBuf payload, long now) {
        int length = payload.readableBytes();
        if (admit(from, payload, true, now) == null) {
            return;
        }
        deliver(client, channels.liveNumber(from, now), from, payload, length);
    }

    /**
     * Sends {@code payload} from {@code from} to the client through {@code via} (the client's own peer, or a sibling
     * socket's in a hand-off): ChannelData on channel {@code number}, or a Data indication when {@code number} is -1.
     * Takes ownership of {@code payload}; a Data indication too large to encode is dropped and counted.
     */
    private void deliver(StunPeer via, int number, InetSocketAddress from, ByteBuf payload, int length) {
        TurnMetrics m = ctx.metrics();
        if (number >= 0) {
            m.relayed(Direction.TO_CLIENT, length);
            channelData(via, number, payload);
            return;
        }
        ByteBuf out;
        try {
            out = TurnIndication.encodeData(client.alloc(), from, payload);
        } catch (IllegalArgumentException e) {
            m.drop(Drop.TOO_LARGE); // the encoder released the payload
            return;
        }
        m.relayed(Direction.TO_CLIENT, length);
        send(via, out);
    }

    /** A framed message to the client, through its own peer or a sibling socket's ({@link StunPeer#sendFor}). */
    private void send(StunPeer via, ByteBuf frame) {
        if (via == client) {
            client.send(frame);
        } else {
            via.sendFor(client, frame);
        }
    }

    /**
     * The in-process hand-off from an allocation on another event loop, done on the caller's loop: the checks of
     * {@link #receiveFromPeer} made against the tables' published state, and the frame sent through
     * the caller's own client socket ({@link StunPeer#sendFor}); the bandwidth buckets are thread-safe. Posting
     * the packet to this allocation's loop instead costs a task (and at low load a wake-up of that loop) per
     * datagram. Returns false, having done nothing, when {@code via} cannot reach this allocation's client
     * (TCP/TLS, another local address); the caller then posts the task. Takes ownership of {@code payload} when
     * it returns true. {@code now}: the caller's clock reading for this packet. On the caller's loop.
     */
    boolean receiveHandoff(InetSocketAddress from, ByteBuf payload, StunPeer via, long now) {
        if (!via.canSendFor(client)) {
            return false;
        }
        int length = payload.readableBytes();
        Drop drop = closed ? Drop.NO_ALLOCATION
                : !permissions.permitsFromAnyLoop(from.getAddress(), now) ? Drop.NO_PERMISSION
                : !spend(length) ? Drop.BANDWIDTH
                : null;
        if (drop != null) {
            payload.release();
            ctx.metrics().drop(drop);
            return true;
        }
        deliver(via, channels.liveNumber(from, now), from, payload, length);
        return true;
    }

    /**
     * ChannelData on channel {@code number} (a bound channel: RFC 5766 numbers included when allowed) to the
     * client, through {@code via}. Takes ownership of {@code payload}.
     *
     * <p>A payload handed over from another allocation still sits in the buffer it arrived in, right behind the
     * 4-byte header it came with (ChannelData's, or the DATA attribute's of a Send indication). For a datagram
     * client those 4 bytes become the new header and the buffer is sent as it is: one contiguous {@code sendto}.
     * They are the frame's own bytes, which came with the ownership of the payload; the buffer's reference count
     * says nothing here (a datagram from Netty's read is a slice sharing its count with the receive buffer, which
     * Netty releases only after the read returns: the count is 2, so a check for a count of 1 would send every
     * hand-off the path below). Otherwise (a datagram read from the relay socket starts at offset 0)
     * {@link StunPeer#sendChannelData} frames it: a UDP peer sends header and payload in one {@code sendmsg}
     * without copying, a stream peer copies into one padded buffer.
     */
    private void channelData(StunPeer via, int number, ByteBuf payload) {
        int length = payload.readableBytes();
        int start = payload.readerIndex() - 4;
        if (!client.transport().isStream() && start >= 0 && !payload.isReadOnly()) {
            payload.setInt(start, ChannelData.header(number, length));
            send(via, payload.readerIndex(start));
            return;
        }
        via.sendChannelData(client, number, payload);
    }

    // ---- lifetime ----

    /** Expires what is due; closes the allocation when it is due itself. On the loop. */
    void housekeep() {
        if (closed) {
            return;
        }
        long now = ctx.clock().millis();
        if (now >= expiresAt) {
            close();
            return;
        }
        long next = permissions.expire(now, expiresAt);
        next = channels.expire(now, next);
        nextCheck = next;
    }

    /**
     * Marks the allocation closed at once (from any thread: packets stop being relayed from this instant)
     * and releases its resources on its loop.
     */
    public void close() {
        closed = true;
        if (loop.inEventLoop()) {
            release();
        } else {
            loop.execute(this::release);
        }
    }

    private void release() {
        if (released || relaySocket == null) {
            // Not bound yet: the manager's bind path sees the closed flag and undoes the creation itself.
            return;
        }
        released = true;
        closed = true;
        permissions.clear();
        channels.clear();
        if (ownSocket != null) {
            ownSocket.close();
        }
        Future<?> peerSocketsClosed = relaySocket.releasePeerSockets();
        manager.removed(this, relaySocket, peerSocketsClosed, (ctx.clock().millis() - createdAt) / 1000.0);
    }

    @Override
    public String toString() {
        return "Allocation[" + fiveTuple.transport().label() + " " + fiveTuple.client() + " relay " + relayAddress + "]";
    }
}
