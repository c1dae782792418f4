package io.presence.net;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionGateTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NetStack net = NetStack.create(1, true);
    private final List<Socket> sockets = new ArrayList<>();
    private Channel server;
    private ConnectionGate gate;

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        net.shutdown(Duration.ofSeconds(2));
    }

    /** An echo server behind a gate. */
    private InetSocketAddress start(ConnectionLimits limits) {
        gate = new ConnectionGate("test", limits, registry);
        server = new ServerBootstrap().group(net.acceptors(), net.workers()).channel(net.serverSocketChannel())
                .handler(gate)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                ctx.writeAndFlush(msg.retain());
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
        return (InetSocketAddress) server.localAddress();
    }

    private Socket connect(InetSocketAddress to, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(to, 2000);
        s.setSoTimeout(2000);
        sockets.add(s);
        return s;
    }

    private static boolean echoes(Socket s) throws IOException {
        s.getOutputStream().write('x');
        return s.getInputStream().read() == 'x';
    }



    private double refused(String reason) {
        return registry.get("presence.connections.refused").tag("listener", "test").tag("reason", reason).counter().count();
    }

    @Test
    void theExcessOverThePerSourceCapIsResetAtOnceAndCountedWhileEarlierOnesAreServed() throws Exception {
        InetSocketAddress at = start(new ConnectionLimits(100, 3));
        List<Socket> admitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            admitted.add(connect(at, "127.0.0.1"));
        }
        for (Socket s : admitted) {
            assertTrue(echoes(s));
        }
        assertTrue(Refusals.refusedAtOnce(at, "127.0.0.1", WAIT, sockets),
                "the fourth connection from one source is closed at once");
        assertEquals(1.0, refused("per_source"));
        assertTrue(echoes(connect(at, "127.0.0.2")), "another source is still admitted");
        for (Socket s : admitted) {
            assertTrue(echoes(s), "connections admitted earlier are still served");
        }
        admitted.get(0).close();
        waitFor(() -> gate.openFrom(InetAddress.getByName("127.0.0.1")) == 2);
        assertTrue(echoes(connect(at, "127.0.0.1")), "a closed connection frees its place");
    }

    @Test
    void theTotalCapHoldsAcrossSources() throws Exception {
        InetSocketAddress at = start(new ConnectionLimits(2, 10));
        assertTrue(echoes(connect(at, "127.0.0.1")));
        assertTrue(echoes(connect(at, "127.0.0.2")));
        assertTrue(Refusals.refusedAtOnce(at, "127.0.0.3", WAIT, sockets));
        assertEquals(1.0, refused("total"));
        assertEquals(0.0, refused("per_source"));
        assertEquals(2, gate.open());
    }

    @Test
    void ipv6SourcesCountByTheir64() throws Exception {
        assertEquals(ConnectionGate.source(InetAddress.getByName("2001:db8:1:2::1")),
                ConnectionGate.source(InetAddress.getByName("2001:db8:1:2:ffff:1:2:3")));
        assertTrue(!ConnectionGate.source(InetAddress.getByName("2001:db8:1:2::1"))
                .equals(ConnectionGate.source(InetAddress.getByName("2001:db8:1:3::1"))));
        assertEquals(InetAddress.getByName("192.0.2.7"), ConnectionGate.source(InetAddress.getByName("192.0.2.7")));
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!check.ok()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }
}
