package io.presence.turn.allocation;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.presence.net.DirectDatagrams;
import io.presence.stun.IntegrityKey;
import io.presence.stun.TransactionId;
import io.presence.stun.codec.TurnIndication;
import io.presence.stun.server.ConnectedPeer;
import io.presence.stun.server.StunPeer;
import io.presence.turn.TurnMetrics;
import io.presence.turn.TurnMetrics.Direction;
import io.presence.turn.TurnMetrics.Drop;
import io.presence.turn.auth.RestUsername;
import io.presence.turn.policy.PeerPolicy;
import io.presence.turn.policy.TokenBucket;
import io.presence.turn.transport.PeerSocket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One allocation (RFC 8656 §2.2): a relayed transport address bound to one client 5-tuple, its permissions
 * and channel bindings, lifetime and bandwidth budget.
 *
 * <p>Concurrency: everything mutable is confined to {@link #eventLoop()}, the loop of the client's socket,
 * which is also the loop of the relay socket — so a relayed packet in either direction runs on one thread
 * without locks. Other threads only read the volatile {@link #closed}, {@link #nextCheck}, {@link #client} and the
 * published {@link HandoffView}, charge the (thread-safe) bandwidth bucket in a hand-off, and post tasks.
 *
 * <p>Ownership: the {@link AllocationManager} owns allocations; an allocation owns its permissions, channel
 * bindings, relay socket and client socket ({@link ConnectedPeer}, from its first permission), and {@link #close}
 * releases all of them (idempotent).
 */
public final class Allocation {
    private final AllocationManager manager;
    private final RelayContext ctx;
    private final FiveTuple fiveTuple;
    // The peer the client came through, until the client gets a socket of its own (connectClient): then that one.
    // Both give the same 5-tuple; other loops' hand-offs read it.
    private volatile StunPeer client;
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
    private final TokenBucket bandwidth;
    private final Map<InetAddress, Permission> permissions = new HashMap<>(4);
    // Channels by number: a short array scanned linearly (a few entries; a HashMap<Integer, …> would box the
    // number on every ChannelData packet, channel numbers being above Integer's cache).
    private ChannelBinding[] channels = new ChannelBinding[0];
    private final Map<InetSocketAddress, ChannelBinding> channelsByPeer = new HashMap<>(4);
    private Channel relayChannel;
    // A socket of the relay address connected to the first peer the allocation sends to through the kernel.
    private PeerSocket peerSocket;
    private boolean peerSocketTried;
    private long expiresAt;
    private int liveChannels;
    private volatile long nextCheck;
    private volatile boolean closed;
    // Published on the loop after every change to permissions or channels; read by other loops' hand-offs.
    private volatile HandoffView handoffView = HandoffView.EMPTY;

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
        this.bandwidth = new TokenBucket(ctx.settings().quotas().bandwidthPerAllocation(), System.nanoTime());
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

    /** The relay socket, once bound (called on the loop by the manager). */
    void relayChannel(Channel ch) {
        this.relayChannel = ch;
    }

    /** Whether the relay socket is bound, i.e. the Allocate has been answered (on the loop). */
    public boolean ready() {
        return relayChannel != null;
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
    public boolean canPermit(java.util.Collection<InetAddress> ips) {
        java.util.Set<InetAddress> fresh = new java.util.HashSet<>();
        for (InetAddress ip : ips) {
            if (!permissions.containsKey(ip)) {
                fresh.add(ip);
            }
        }
        // Lapsed entries still count until housekeeping removes them (within a second): the quota bounds memory.
        return permissions.size() + fresh.size() <= ctx.settings().quotas().permissionsPerAllocation();
    }

    /** Installs or refreshes the permission for {@code ip} (RFC 8656 §9.2). Quota checked by the caller. */
    public void permit(InetAddress ip) {
        long now = ctx.clock().millis();
        long until = now + ctx.permissionMillis();
        Permission p = permissions.get(ip);
        if (p == null) {
            permissions.put(ip, new Permission(ip, ctx.ownHost().kind(ip), until));
            ctx.metrics().permissionsChanged(+1);
        } else {
            p.refresh(until);
        }
        nextCheck = Math.min(nextCheck, until);
        publishHandoffView();
        connectClient();
    }

    /**
     * With its first permission the allocation is about to relay data: a UDP client gets a socket of the STUN port
     * of its own, if the STUN server can give one ({@link StunPeer#connect}). Allocations that never relay (the
     * Allocate-Refresh cycles of clients gathering candidates) do not pay for it.
     */
    private void connectClient() {
        if (connectTried || closed) {
            return;
        }
        connectTried = true;
        ConnectedPeer c = client.connect();
        if (c != null) {
            c.attach(this);
            client = c;
        }
    }

    private void publishHandoffView() {
        handoffView = HandoffView.of(permissions, channelsByPeer);
    }


    public boolean hasPermission(InetAddress ip, long now) {
        Permission p = permissions.get(ip);
        return p != null && p.live(now);
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
        ChannelBinding byNumber = byNumber(number);
        ChannelBinding byPeer = channelsByPeer.get(peer);
        if (byNumber != null && !byNumber.peer().equals(peer)) {
            if (byNumber.coolingDown(now)) {
                return BindResult.CONFLICT;
            }
            removeChannel(byNumber);
            byNumber = null;
        }
        if (byPeer != null && byPeer.number() != number) {
            if (byPeer.coolingDown(now)) {
                return BindResult.CONFLICT;
            }
            removeChannel(byPeer);
        }
        boolean needPermission = !hasPermission(peer.getAddress(), now);
        if (needPermission && !permissions.containsKey(peer.getAddress())
                && permissions.size() >= ctx.settings().quotas().permissionsPerAllocation()) {
            return BindResult.QUOTA;
        }
        long until = now + ctx.channelMillis();
        if (byNumber == null) {
            if (liveChannels >= ctx.settings().quotas().channelsPerAllocation()) {
                return BindResult.QUOTA;
            }
            ChannelBinding b = new ChannelBinding(number, peer, until);
            channels = java.util.Arrays.copyOf(channels, channels.length + 1);
            channels[channels.length - 1] = b;
            channelsByPeer.put(peer, b);
            countChannel(b, true);
        } else {
            if (!byNumber.counted) {
                if (liveChannels >= ctx.settings().quotas().channelsPerAllocation()) {
                    return BindResult.QUOTA;
                }
                countChannel(byNumber, true);
            }
            byNumber.refresh(until);
        }
        nextCheck = Math.min(nextCheck, until);
        permit(peer.getAddress());
        return BindResult.BOUND;
    }

    private void countChannel(ChannelBinding b, boolean live) {
        if (b.counted == live) {
            return;
        }
        b.counted = live;
        int delta = live ? 1 : -1;
        liveChannels += delta;
        ctx.metrics().channelsChanged(delta);
    }

    private void removeChannel(ChannelBinding b) {
        countChannel(b, false);
        dropChannel(b);
        channelsByPeer.remove(b.peer());
        publishHandoffView();
    }

    private void dropChannel(ChannelBinding b) {
        ChannelBinding[] cs = channels;
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] == b) {
                ChannelBinding[] next = new ChannelBinding[cs.length - 1];
                System.arraycopy(cs, 0, next, 0, i);
                System.arraycopy(cs, i + 1, next, i, cs.length - i - 1);
                channels = next;
                return;
            }
        }
    }

    private ChannelBinding byNumber(int number) {
        for (ChannelBinding b : channels) {
            if (b.number() == number) {
                return b;
            }
        }
        return null;
    }

    /** The live binding of {@code number}, or null. Allocation-free. */
    public ChannelBinding channel(int number, long now) {
        ChannelBinding b = byNumber(number);
        return b != null && b.live(now) ? b : null;
    }

    // ---- data path ----

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
        Permission permission = admit(peer, payload, relayChannel != null, now);
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
        if (!peerSocketTried) {
            peerSocketTried = true;
            peerSocket = ctx.peerSockets().connect(relayChannel, peer, this);
        }
        PeerSocket ps = peerSocket;
        if (ps != null && (ps.peer() == peer || ps.peer().equals(peer)) && ps.channel().isActive()) {
            DirectDatagrams.write(ps.channel(), payload);
        } else {
            DirectDatagrams.send(relayChannel, payload, peer);
        }
    }

    private boolean spend(int length) {
        if (bandwidth.unlimited() && ctx.totalBandwidth().unlimited()) {
            return true;
        }
        long nanos = System.nanoTime();
        return bandwidth.tryConsume(length, nanos) && ctx.totalBandwidth().tryConsume(length, nanos);
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
        ChannelBinding b = channelsByPeer.get(from);
        deliver(client, b != null && b.live(now) ? b.number() : -1, from, payload, length);
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
        ChannelBinding b = channelsByPeer.get(from);
        deliver(client, b != null && b.live(now) ? b.number() : -1, from, payload, length);
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
     * {@link #receiveFromPeer} made against the last published {@link HandoffView}, and the frame sent through
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
        HandoffView view = handoffView;
        Drop drop = closed ? Drop.NO_ALLOCATION
                : !view.permits(from.getAddress(), now) ? Drop.NO_PERMISSION
                : !spend(length) ? Drop.BANDWIDTH
                : null;
        if (drop != null) {
            payload.release();
            ctx.metrics().drop(drop);
            return true;
        }
        deliver(via, view.channel(from, now), from, payload, length);
        return true;
    }

    /**
     * ChannelData on channel {@code number} (RFC 5766 numbers included, which the codec's encoder refuses) to the
     * client, through {@code via}. Takes ownership of {@code payload}.
     *
     * <p>A payload handed over from another allocation still sits in the buffer it arrived in, right behind the
     * 4-byte header it came with (ChannelData's, or the DATA attribute's of a Send indication). For a datagram
     * client those 4 bytes become the new header and the buffer is sent as it is: one contiguous {@code sendto}.
     * They are the frame's own bytes, which came with the ownership of the payload; the buffer's reference count
     * says nothing here (a datagram from Netty's read is a slice sharing its count with the receive buffer, which
     * Netty releases only after the read returns: the count is 2, and a check for 1 had kept every hand-off on the
     * path below). Otherwise (a datagram read from the relay socket starts at offset 0)
     * {@link StunPeer#sendChannelData} frames it: a UDP peer sends header and payload in one {@code sendmsg}
     * without copying, a stream peer copies into one padded buffer.
     */
    private void channelData(StunPeer via, int number, ByteBuf payload) {
        int length = payload.readableBytes();
        int start = payload.readerIndex() - 4;
        if (!client.transport().isStream() && start >= 0 && !payload.isReadOnly()) {
            payload.setShort(start, number);
            payload.setShort(start + 2, length);
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
        long next = expiresAt;
        boolean changed = false;
        for (Iterator<Permission> it = permissions.values().iterator(); it.hasNext(); ) {
            Permission p = it.next();
            if (!p.live(now)) {
                changed = true;
                it.remove();
                ctx.metrics().permissionsChanged(-1);
            } else {
                next = Math.min(next, p.expiresAt());
            }
        }
        for (ChannelBinding b : channels.clone()) {
            if (b.live(now)) {
                next = Math.min(next, b.expiresAt());
                continue;
            }
            changed = true;
            countChannel(b, false);
            if (b.coolingDown(now)) {
                next = Math.min(next, b.expiresAt() + ChannelBinding.COOL_DOWN_MILLIS);
            } else {
                dropChannel(b);
                channelsByPeer.remove(b.peer());
            }
        }
        nextCheck = next;
        if (changed) {
            publishHandoffView();
        }
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

    private boolean released;

    private void release() {
        if (released || relayChannel == null) {
            // Not bound yet: the manager's bind path sees the closed flag and undoes the creation itself.
            return;
        }
        released = true;
        closed = true;
        ctx.metrics().permissionsChanged(-permissions.size());
        permissions.clear();
        for (ChannelBinding b : channels) {
            countChannel(b, false);
        }
        channels = new ChannelBinding[0];
        channelsByPeer.clear();
        handoffView = HandoffView.EMPTY;
        if (client instanceof ConnectedPeer c) {
            c.close();
        }
        Future<Void> peerSocketClosed = null;
        if (peerSocket != null) {
            peerSocketClosed = peerSocket.close();
            peerSocket = null;
        }
        manager.removed(this, relayChannel, peerSocketClosed, (ctx.clock().millis() - createdAt) / 1000.0);
    }

    @Override
    public String toString() {
        return "Allocation[" + fiveTuple.transport().label() + " " + fiveTuple.client() + " relay " + relayAddress + "]";
    }
}
