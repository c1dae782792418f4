package io.presence.signaling.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lean room fan-out generator ({@code presence loadtest --fanout-probe}, raw TCP only): M members in one room,
 * chat offered at a total rate, spread over the members; each member's socket is read by its own thread that scans
 * the newline-delimited frames for {@code chat.message} events and takes the sender's stamp out of the text without
 * decoding the JSON into objects. It exists because {@link LoadTest}'s full client (every event decoded into
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
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(target, 5000);
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
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            int me = i;
            Thread t = new Thread(() -> readLoop(sockets.get(me), last[me]), "fan-read-" + i);
            t.setDaemon(true);
            t.start();
            readers.add(t);
        }
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
                write(outs.get(sender), "{\"type\":\"chat.send\",\"roomId\":\"" + roomId + "\",\"clientMsgId\":\"f"
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
        for (Socket s : sockets) {
            s.close();
        }
        long total = delivered.get() + warmDelivered.get();
        return new Result(members, measuredSent, expectedAll, total, Math.max(0, expectedAll - total),
                duplicated.get(), latency.percentileMicros(0.5), latency.percentileMicros(0.95),
                latency.percentileMicros(0.99), latency.maxMicros(), sendSeconds);
    }

    private volatile long volatileMeasureFrom;
    private final AtomicLong warmDelivered = new AtomicLong();

    private void readLoop(Socket socket, long[] lastFrom) {
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[1 << 16];
        int len = 0;
        try {
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                long now = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        onLine(line, len, lastFrom, now);
                        len = 0;
                    } else if (len < line.length) {
                        line[len++] = b;
                    }
                }
            }
        } catch (IOException e) {
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
