package io.presence.signaling.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lean room fan-out generator ({@code presence loadtest --fanout-probe}, raw TCP only): M members in one room,
 * chat offered at a total rate, spread over the members; one selector thread reads every member's socket
 * (non-blocking) and scans the newline-delimited frames for {@code chat.message} events, taking the sender's stamp
 * out of the text without decoding the JSON into objects. One selector thread, not a blocking reader per member: at
 * 100,000 deliveries/s a thread per member means ~100,000 thread wake-ups per second competing with the server for
 * the same two cores, while one selector thread drains all ready sockets per wake-up. It exists because {@link LoadTest}'s full client (every event decoded into
 * records) is the heavier process at 100,000 deliveries/s on two cores; this one costs far less per delivery, so
 * the server is what is measured. Loss and duplicates are checked per (receiver, sender) by message number.
 */
public final class FanoutProbe {

    public record Result(int members, long sent, long expected, long delivered, long lost, long duplicated,
                         long p50Micros, long p95Micros, long p99Micros, long maxMicros, double sendSeconds) {
        public String toText() {
            return String.format(Locale.ROOT, """
                    fan-out probe        %d members in one room
                    messages sent        %d (%.0f/s)
                    deliveries expected  %d
                    delivered            %d
                    lost                 %d
                    duplicated           %d
                    latency p50/p95/p99  %.3f / %.3f / %.3f ms (max %.3f ms)
                    """, members, sent, sent / sendSeconds, expected, delivered, lost, duplicated,
                    p50Micros / 1000.0, p95Micros / 1000.0, p99Micros / 1000.0, maxMicros / 1000.0);
        }
    }

    private static final byte[] MARK = "\"text\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHAT = "chat.message".getBytes(StandardCharsets.US_ASCII);

    private final LatencyHistogram latency = new LatencyHistogram();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();

    public Result run(InetSocketAddress target, int members, double rate, int seconds, int warmupSeconds)
            throws Exception {
        if (target.getAddress() == null || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the fan-out probe only targets loopback");
        }
        List<Socket> sockets = new ArrayList<>();
        List<OutputStream> outs = new ArrayList<>();
        String roomId = null;
        for (int i = 0; i < members; i++) {
            // Opened as a channel so the selector can read it later; the handshake below uses blocking streams.
            SocketChannel channel = SocketChannel.open();
            channel.socket().setTcpNoDelay(true);
            channel.socket().connect(target, 5000);
            Socket s = channel.socket();
            sockets.add(s);
            OutputStream out = s.getOutputStream();
            outs.add(out);
            InputStream in = s.getInputStream();
            write(out, "{\"type\":\"hello\",\"requestId\":\"h\",\"version\":1,\"auth\":{\"provider\":\"dev\","
                    + "\"displayName\":\"fan-" + i + "\"}}");
            readLineContaining(in, "\"welcome\"");
            if (roomId == null) {
                write(out, "{\"type\":\"room.create\",\"requestId\":\"c\"}");
                String joined = readLineContaining(in, "\"room.joined\"");
                int a = joined.indexOf("\"roomId\":\"") + 10;
                roomId = joined.substring(a, joined.indexOf('"', a));
            } else {
                write(out, "{\"type\":\"room.join\",\"requestId\":\"j\",\"roomId\":\"" + roomId + "\"}");
                readLineContaining(in, "\"room.joined\"");
            }
        }
        long[][] last = new long[members][members];
        for (long[] row : last) {
            java.util.Arrays.fill(row, -1);
        }
        volatileMeasureFrom = Long.MAX_VALUE;
        Selector selector = Selector.open();
        for (int i = 0; i < members; i++) {
            SocketChannel ch = sockets.get(i).getChannel();
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, new Reader(last[i]));
        }
        Thread reader = new Thread(() -> selectLoop(selector), "fan-read");
        reader.setDaemon(true);
        reader.start();
        long[] next = new long[members];
        long sent = 0;
        long measuredSent = 0;
        long start = System.nanoTime();
        long end = start + (long) (warmupSeconds + seconds) * 1_000_000_000L;
        long measureAt = start + (long) warmupSeconds * 1_000_000_000L;
        double credit = 0;
        long lastTick = start;
        int sender = 0;
        long measureSentFrom = -1;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (measureSentFrom < 0 && now >= measureAt) {
                measureSentFrom = sent;
                volatileMeasureFrom = now;
            }
            credit = Math.min(credit + rate * (now - lastTick) / 1e9, Math.max(1, rate * 0.1));
            lastTick = now;
            while (credit >= 1) {
                credit -= 1;
                long n = next[sender]++;
                send(sockets.get(sender).getChannel(), "{\"type\":\"chat.send\",\"roomId\":\"" + roomId + "\",\"clientMsgId\":\"f"
                        + n + "\",\"text\":\"" + sender + ":" + n + ":" + System.nanoTime() + "\"}");
                sent++;
                sender = (sender + 1) % members;
            }
            Thread.sleep(2);
        }
        double sendSeconds = (System.nanoTime() - volatileMeasureFrom) / 1e9;
        measuredSent = sent - Math.max(0, measureSentFrom);
        long expectedAll = sent * members;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (delivered.get() + warmDelivered.get() < expectedAll && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        running = false;
        selector.wakeup();
        reader.join(1000);
        for (Socket s : sockets) {
            s.close();
        }
        selector.close();
        long total = delivered.get() + warmDelivered.get();
        return new Result(members, measuredSent, expectedAll, total, Math.max(0, expectedAll - total),
                duplicated.get(), latency.percentileMicros(0.5), latency.percentileMicros(0.95),
                latency.percentileMicros(0.99), latency.maxMicros(), sendSeconds);
    }

    private volatile long volatileMeasureFrom;
    private final AtomicLong warmDelivered = new AtomicLong();

    private volatile boolean running = true;

    /** One member's read state: its partial line and the last message number seen per sender. */
    private static final class Reader {
        final long[] lastFrom;
        final byte[] line = new byte[1 << 16];
        int len;

        Reader(long[] lastFrom) {
            this.lastFrom = lastFrom;
        }
    }

    private void selectLoop(Selector selector) {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
        byte[] bytes = new byte[1 << 16];
        try {
            while (running) {
                selector.select();
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    Reader r = (Reader) key.attachment();
                    int n;
                    while ((n = ch.read(buf)) > 0) {
                        buf.flip();
                        buf.get(bytes, 0, n);
                        buf.clear();
                        for (int i = 0; i < n; i++) {
                            byte b = bytes[i];
                            if (b == '\n') {
                                onLine(r.line, r.len, r.lastFrom, now);
                                r.len = 0;
                            } else if (r.len < r.line.length) {
                                r.line[r.len++] = b;
                            }
                        }
                    }
                    if (n < 0) {
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed at the end
        }
    }

    private void onLine(byte[] line, int len, long[] lastFrom, long now) {
        if (indexOf(line, len, CHAT, 0) < 0) {
            return; // acks, other events
        }
        int p = indexOf(line, len, MARK, 0);
        if (p < 0) {
            return;
        }
        p += MARK.length;
        long[] fields = new long[3];
        int f = 0;
        long v = 0;
        for (; p < len && f < 3; p++) {
            byte b = line[p];
            if (b >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
            } else {
                fields[f++] = v;
                v = 0;
                if (b == '"') {
                    break;
                }
            }
        }
        int sender = (int) fields[0];
        long number = fields[1];
        long stamp = fields[2];
        if (number <= lastFrom[sender]) {
            duplicated.incrementAndGet();
            return;
        }
        lastFrom[sender] = number;
        if (stamp >= volatileMeasureFrom) {
            delivered.incrementAndGet();
            latency.record((now - stamp) / 1000);
        } else {
            warmDelivered.incrementAndGet();
        }
    }

    private static int indexOf(byte[] hay, int len, byte[] needle, int from) {
        outer:
        for (int i = from; i <= len - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** After the switch to non-blocking: writes the whole frame (tiny frames; the socket buffer is never full). */
    private static void send(SocketChannel ch, String frame) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap((frame + "\n").getBytes(StandardCharsets.UTF_8));
        while (bb.hasRemaining()) {
            if (ch.write(bb) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    private static void write(OutputStream out, String frame) throws IOException {
        synchronized (out) {
            out.write((frame + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String readLineContaining(InputStream in, String needle) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed while waiting for " + needle);
            }
            if (b == '\n') {
                String l = sb.toString();
                if (l.contains(needle)) {
                    return l;
                }
                if (l.contains("\"type\":\"error\"")) {
                    throw new IOException("server error: " + l);
                }
                sb.setLength(0);
            } else {
                sb.append((char) b);
            }
        }
    }
}
