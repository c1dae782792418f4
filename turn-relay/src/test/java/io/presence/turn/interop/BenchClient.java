package io.presence.turn.interop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.presence.stun.AttributeType;
import io.presence.stun.IntegrityKey;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.TransactionId;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.attr.RequestedTransport;
import io.presence.turn.auth.RestCredentials;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Load for the benchmark script (bench/run.sh), for any TURN server with REST credentials:
 * <ul>
 *   <li>{@code cycles <port> <secret> <seconds> <threads>}: each thread repeats unauthenticated Allocate → 401 →
 *       authenticated Allocate → Refresh(0) on a fresh socket; prints {@code CYCLES n SECONDS s ERRORS e};</li>
 *   <li>{@code idle <port> <secret> <count>}: makes {@code count} allocations, each from its own socket, prints
 *       {@code HELD n} and keeps them until stdin closes.</li>
 * </ul>
 * Blocking sockets and a few threads: the server, not this client, is meant to be the bottleneck.
 */
public final class BenchClient {
    private BenchClient() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
        String secret = args[2];
        if (args[0].equals("cycles")) {
            cycles(server, secret, Double.parseDouble(args[3]), Integer.parseInt(args[4]));
        } else {
            idle(server, secret, Integer.parseInt(args[3]));
        }
    }

    private static final class Session {
        final DatagramSocket socket;
        final InetSocketAddress server;
        final String username;
        final String password;
        final byte[] buf = new byte[2048];
        String realm;
        String nonce;
        IntegrityKey key;

        Session(InetSocketAddress server, String username, String password) throws Exception {
            this.server = server;
            this.username = username;
            this.password = password;
            this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            socket.setSoTimeout(2000);
        }

        StunMessage call(int method, boolean sign, Consumer<StunMessageWriter> body) throws Exception {
            TransactionId tid = TransactionId.random();
            ByteBuf out = Unpooled.buffer(200);
            StunMessageWriter w = StunMessageWriter.begin(out, method, MessageClass.REQUEST, tid);
            body.accept(w);
            if (sign) {
                w.string(AttributeType.USERNAME, username).string(AttributeType.REALM, realm)
                        .string(AttributeType.NONCE, nonce).messageIntegrity(key);
            }
            w.finish();
            byte[] bytes = ByteBufUtil.getBytes(out);
            socket.send(new DatagramPacket(bytes, bytes.length, server));
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                if ((buf[0] & 0xC0) != 0) {
                    continue;
                }
                StunMessage m = StunMessage.decode(buf, 0, p.getLength());
                if (m.transactionId().equals(tid)) {
                    return m;
                }
            }
        }

        /** The 401 round trip, then an authenticated Allocate; true on success. */
        int lastError;

        boolean allocate() throws Exception {
            StunMessage r = call(Method.ALLOCATE, false, w -> RequestedTransport.write(w, RequestedTransport.UDP));
            if (code(r) != ErrorCode.UNAUTHENTICATED) {
                lastError = code(r);
                return false;
            }
            String newRealm = r.first(AttributeType.REALM).utf8();
            if (key == null || !newRealm.equals(realm)) {
                key = IntegrityKey.longTerm(username, newRealm, password);
            }
            realm = newRealm;
            nonce = r.first(AttributeType.NONCE).utf8();
            r = call(Method.ALLOCATE, true, w -> RequestedTransport.write(w, RequestedTransport.UDP));
            lastError = code(r);
            return code(r) == 0;
        }

        boolean delete() throws Exception {
            lastError = 1000 + code(call(Method.REFRESH, true, w -> w.u32(AttributeType.LIFETIME, 0)));
            return lastError == 1000;
        }
    }

    static int code(StunMessage m) {
        if (m.messageClass() == MessageClass.SUCCESS_RESPONSE) {
            return 0;
        }
        return ErrorCode.decode(m.first(AttributeType.ERROR_CODE)).code();
    }

    private static String[] credentials(String secret, String participant) {
        String username = (System.currentTimeMillis() / 1000 + 3600) + ":bench:" + participant;
        return new String[] {username, RestCredentials.password(secret.getBytes(StandardCharsets.UTF_8), username)};
    }

    private static void cycles(InetSocketAddress server, String secret, double seconds, int threads) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        java.util.concurrent.ConcurrentHashMap<Integer, Integer> reasons = new java.util.concurrent.ConcurrentHashMap<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            String[] c = credentials(secret, "cycler" + t);
            Thread th = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        Session s = new Session(server, c[0], c[1]);
                        boolean ok = false;
                        try {
                            if (s.allocate() && s.delete()) {
                                ok = true;
                                done.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                                reasons.merge(s.lastError, 1, Integer::sum);
                            }
                        } finally {
                            if (!ok) {
                                tryDelete(s);
                            }
                            s.socket.close();
                        }
                    } catch (Exception e) {
                        // A lost datagram (timeout): the cycle failed. Its socket is closed below after a best-effort
                        // delete, so a later socket on the same port does not meet a leftover allocation (437).
                        errors.incrementAndGet();
                        reasons.merge(-1, 1, Integer::sum);
                    }
                }
            });
            th.start();
            workers.add(th);
        }
        for (Thread th : workers) {
            th.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("CYCLES %d SECONDS %.3f ERRORS %d %s%n", done.get(), elapsed, errors.get(), reasons);
    }

    private static void tryDelete(Session s) {
        try {
            if (s.nonce != null) {
                s.delete();
            }
        } catch (Exception e) {
            // best effort
        }
    }

    private static void idle(InetSocketAddress server, String secret, int count) throws Exception {
        List<Session> held = new ArrayList<>(count);
        String[] c = credentials(secret, "idler");
        int failed = 0;
        for (int i = 0; i < count; i++) {
            Session s = new Session(server, c[0], c[1]);
            if (s.allocate()) {
                held.add(s);
            } else {
                failed++;
                s.socket.close();
            }
        }
        System.out.println("HELD " + held.size() + " FAILED " + failed);
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold until stdin closes
        }
        for (Session s : held) {
            s.socket.close();
        }
    }
}
