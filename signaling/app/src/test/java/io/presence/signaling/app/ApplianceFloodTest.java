package io.presence.signaling.app;

import io.presence.signaling.app.config.PresenceConfig;
import java.time.Duration;
import io.presence.net.Refusals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With every TCP listener's connection cap reached, the appliance still answers probes and UDP STUN. */
@Timeout(120)
class ApplianceFloodTest {
    /** The descriptor limit of the process under test: small, so that a flood of a few hundred sockets exceeds it. */
    private static final int CHILD_DESCRIPTOR_LIMIT = 600;
    private static final int FLOOD = 800;

    @TempDir
    Path data;

    private final List<Socket> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    private static int port(String printed, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+\\S*?:(\\d+)").matcher(printed);
        assertTrue(m.find(), label + " in " + printed);
        return Integer.parseInt(m.group(1));
    }

    private Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(5000);
        sockets.add(s);
        return s;
    }



    /**
     * The appliance as a process with a descriptor limit of 600, flooded with more idle STUN connections than it has
     * descriptors: the caps derived from the limit keep the descriptors the admin listener, signaling and UDP need.
     */
    @Test
    void aFloodOfIdleConnectionsBeyondTheDescriptorLimitLeavesProbesSignalingAndUdpWorking() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(data.resolve("data"));
        env.put("PRESENCE_SERVER_DESCRIPTOR_RESERVE", "100");
        env.put("PRESENCE_STUN_MAX_CONNECTIONS_PER_IP", "100000");
        env.put("PRESENCE_STUN_CLIENT_SOCKETS", "0");
        env.put("PRESENCE_TURN_PEER_SOCKETS", "0");
        Path console = data.resolve("console.txt");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -n " + CHILD_DESCRIPTOR_LIMIT
                        + " && exec \"$@\"", "sh", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PRESENCE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            String printed = "";
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!printed.matches("(?s).*presence \\S+ ready in \\d+ ms.*") && p.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
                printed = java.nio.file.Files.readString(console);
            }
            assertTrue(p.isAlive(), printed);
            int admin = port(printed, "admin");
            int stun = port(printed, "stun/turn tcp");
            int signaling = port(printed, "signaling tcp");
            for (int i = 0; i < FLOOD; i++) {
                Socket s = new Socket();
                sockets.add(s);
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", stun), 2000);
                } catch (SocketException refused) {
                    // reset at accept: what the caps do
                }
            }
            HttpClient probe = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
            HttpResponse<String> ready = probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin
                    + "/readyz")).timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode());
            String scrape = probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
                    .timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(scrape.contains("presence_connections_refused_total{listener=\"stun\",reason=\"total\"}"),
                    scrape);

            Socket client = connect(signaling);
            client.getOutputStream().write("{\"type\":\"ping\",\"requestId\":\"p\"}\n".getBytes(StandardCharsets.UTF_8));
            byte[] line = new byte[64];
            int n = client.getInputStream().read(line);
            assertTrue(n > 0 && new String(line, 0, n, StandardCharsets.UTF_8).contains("pong"), "signaling answers");
            assertTrue(udpBinding(port(printed, "stun/turn udp")), "UDP STUN answers");
        } finally {
            p.destroy();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static boolean udpBinding(int port) throws IOException {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            udp.setSoTimeout(5000);
            byte[] binding = new byte[20];
            binding[1] = 1; // Binding request, length 0
            binding[4] = 0x21;
            binding[5] = 0x12;
            binding[6] = (byte) 0xA4;
            binding[7] = 0x42;
            binding[8] = 7; // transaction id
            udp.send(new DatagramPacket(binding, binding.length, new InetSocketAddress("127.0.0.1", port)));
            DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
            udp.receive(answer);
            return ((answer.getData()[0] & 0xFF) << 8 | (answer.getData()[1] & 0xFF)) == 0x0101;
        }
    }

    @Test
    void probesAndUdpStunAnswerWithEveryConnectionCapReached() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(data);
        env.put("PRESENCE_STUN_MAX_CONNECTIONS", "3");
        env.put("PRESENCE_SIGNALING_MAX_CONNECTIONS", "3");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Appliance a = new Appliance(PresenceConfig.load(null, env), new PrintStream(out, true,
                StandardCharsets.UTF_8))) {
            a.start();
            String printed = out.toString(StandardCharsets.UTF_8);
            int stun = port(printed, "stun/turn tcp");
            int signaling = port(printed, "signaling tcp");
            int ws = port(printed, "signaling ws");
            for (int i = 0; i < 3; i++) {
                connect(stun);
            }
            connect(signaling);
            connect(ws);
            connect(signaling);
            assertTrue(Refusals.refusedAtOnce(new InetSocketAddress("127.0.0.1", stun), null, Duration.ofSeconds(5), sockets), "STUN over TCP at its cap: reset at once");
            assertTrue(Refusals.refusedAtOnce(new InetSocketAddress("127.0.0.1", ws), null, Duration.ofSeconds(5), sockets), "signaling at its cap: reset at once");

            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + a.adminAddress().getPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode());
            String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + a.adminAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(scrape.contains("presence_connections_refused_total{listener=\"stun\",reason=\"total\"} 1.0"),
                    scrape);
            assertTrue(scrape.contains("presence_connections_refused_total{listener=\"signaling\",reason=\"total\"} 1.0"),
                    scrape);

            assertTrue(udpBinding(port(printed, "stun/turn udp")), "UDP STUN answers");
        }
    }
}
