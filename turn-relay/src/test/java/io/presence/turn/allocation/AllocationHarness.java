package io.presence.turn.allocation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.presence.net.TokenBucket;
import io.presence.stun.server.StunPeer;
import io.presence.stun.server.StunTransport;
import io.presence.turn.MutableClock;
import io.presence.turn.auth.RestUsername;
import io.presence.turn.config.TurnSettings;
import io.presence.turn.metrics.TurnMetrics;
import io.presence.turn.policy.PeerPolicy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Allocations without sockets: a manual clock, one event loop with no channel on it, a client that records what the
 * relay sends it ({@link RecordingClient}) and relay sockets that record what the allocation sends its peers
 * ({@link RecordingSocket}). Everything that touches an allocation runs on the loop ({@link #onLoop}).
 */
final class AllocationHarness implements AutoCloseable {
    static final int PORT_MIN = 40000;
    static final int PORT_MAX = 40099;
    /** Peers on a documentation range, allowed explicitly (the default policy denies it). */
    static final String PEERS = "198.51.100.0/24";

    final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_000_000));
    final EventLoop loop = new DefaultEventLoop();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TurnMetrics metrics = new TurnMetrics(registry);
    final TurnSettings settings;
    final RecordingPool pool = new RecordingPool();
    final AllocationManager manager;

    AllocationHarness(UnaryOperator<TurnSettings.Builder> tweak) {
        settings = tweak.apply(TurnSettings.builder().relayPorts(PORT_MIN, PORT_MAX).allowPeers(List.of(PEERS)))
                .build();
        RelayContext ctx = new RelayContext(settings, clock, metrics,
                new PeerPolicy(settings.allowPeers(), settings.denyPeers(), List.of()),
                new TokenBucket.Shared(0, 0, 0), new OwnHost(false, PORT_MIN, PORT_MAX));
        manager = new AllocationManager(ctx, pool, new RelayPorts(PORT_MIN, PORT_MAX));
    }

    AllocationHarness() {
        this(b -> b);
    }

    /** Runs {@code task} on the loop and returns its result. */
    <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    void onLoop(ThrowingRunnable task) throws Exception {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A new allocation for {@code client}, its relay socket bound. */
    Allocation allocate(RecordingClient client) throws Exception {
        Allocation[] made = new Allocation[1];
        onLoop(() -> manager.allocate(new AllocationManager.Request(
                new FiveTuple(StunTransport.UDP, client.remoteAddress(), client.localAddress()), client, "user",
                new RestUsername(2_000_000, "room-1", "alice-" + client.remoteAddress().getPort()), null, null,
                600_000, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), InetAddress.getLoopbackAddress(),
                false, false, 0), new AllocationManager.Callback() {
                    @Override
                    public void created(Allocation allocation, long reservationToken) {
                        made[0] = allocation;
                    }

                    @Override
                    public void failed(AllocationManager.Failure failure) {
                        throw new AssertionError(failure.toString());
                    }
                }));
        assertNotNull(made[0]);
        return made[0];
    }

    RecordingClient client(int port) {
        return new RecordingClient(loop, new InetSocketAddress("192.0.2.10", port));
    }

    static InetSocketAddress peer(int lastOctet, int port) {
        return new InetSocketAddress("198.51.100." + lastOctet, port);
    }

    static ByteBuf bytes(String hex) {
        return UnpooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(ByteBufUtil.decodeHexDump(hex));
    }

    @Override
    public void close() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** A UDP client on the STUN port: records every frame the relay sends it, as hex. */
    static final class RecordingClient implements StunPeer {
        private final EventLoop loop;
        private final InetSocketAddress remote;
        final List<String> received = new ArrayList<>();

        RecordingClient(EventLoop loop, InetSocketAddress remote) {
            this.loop = loop;
            this.remote = remote;
        }

        @Override
        public StunTransport transport() {
            return StunTransport.UDP;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("192.0.2.1", 3478);
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public ByteBufAllocator alloc() {
            return UnpooledByteBufAllocator.DEFAULT;
        }

        @Override
        public void send(ByteBuf message) {
            received.add(ByteBufUtil.hexDump(message));
            message.release();
        }
    }

    /** A relay socket that records each datagram sent to a peer as "peer hex". */
    final class RecordingSocket implements RelaySocket {
        private final int port;
        final List<String> sent = new ArrayList<>();
        Allocation attached;
        boolean closed;

        RecordingSocket(int port) {
            this.port = port;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public boolean ipv6() {
            return false;
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void send(ByteBuf payload, InetSocketAddress peer) {
            sent.add(peer + " " + ByteBufUtil.hexDump(payload));
            payload.release();
        }

        @Override
        public void attach(Allocation allocation) {
            attached = allocation;
        }

        @Override
        public Future<?> releasePeerSockets() {
            return null;
        }

        @Override
        public Future<?> close() {
            closed = true;
            return loop.newSucceededFuture(null);
        }
    }

    /** Binds at once; parks nothing (so an ended allocation's socket is closed and its port freed). */
    final class RecordingPool implements RelaySocketPool {
        final List<RecordingSocket> bound = new ArrayList<>();

        @Override
        public Future<RelaySocket> bind(EventLoop on, InetSocketAddress address, Allocation allocation) {
            RecordingSocket s = new RecordingSocket(address.getPort());
            s.attach(allocation);
            bound.add(s);
            return on.newSucceededFuture(s);
        }

        @Override
        public RelaySocket takeParked(EventLoop on, boolean ipv6, boolean any) {
            return null;
        }

        @Override
        public RelaySocket takeParkedAnywhere(boolean ipv6) {
            return null;
        }

        @Override
        public boolean park(RelaySocket socket) {
            return false;
        }

        @Override
        public void closeAll() {
        }
    }
}
