package io.presence.signaling.app;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplianceTest {
    /**
     * Threads alive before the test: not the appliance's to stop. Another test in this JVM may have left one behind
     * on purpose (the doctor abandons an ice4j free that can deadlock, on a daemon thread).
     */
    private static final Set<Thread> EARLIER = Collections.newSetFromMap(new IdentityHashMap<>());

    @BeforeEach
    void rememberEarlierThreads() {
        EARLIER.clear();
        EARLIER.addAll(Thread.getAllStackTraces().keySet());
    }

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(Appliance a, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.adminAddress().getPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startsReadyAndPrintsListenersAndReadyLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Appliance a = new Appliance(TestConfigs.ephemeral(data), new PrintStream(out, true,
                StandardCharsets.UTF_8))) {
            a.start();
            assertEquals(200, get(a, "/readyz").statusCode());
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("admin            http://127.0.0.1:" + a.adminAddress().getPort()), printed);
            assertTrue(printed.matches("(?s).*presence \\S+ ready in \\d+ ms.*"), printed);
            int ws = a.webSocketAddress().getPort();
            assertTrue(printed.contains("web client       http://127.0.0.1:" + ws + "/\n"), printed);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ws
                    + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), "the printed address serves the page");
        }
    }

    /** Every address a person opens is printed whole, and each answers. */
    @Test
    void printsTheAdminEndpointsAsUrlsThatAnswer() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Appliance a = new Appliance(TestConfigs.ephemeral(data), new PrintStream(out, true,
                StandardCharsets.UTF_8))) {
            a.start();
            String printed = out.toString(StandardCharsets.UTF_8);
            for (String endpoint : List.of("metrics", "healthz", "readyz")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + endpoint + "\\s+(http://\\S+)$")
                        .matcher(printed);
                assertTrue(m.find(), endpoint + " in " + printed);
                assertEquals("http://127.0.0.1:" + a.adminAddress().getPort() + "/" + endpoint, m.group(1));
                assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode(), m.group(1));
            }
        }
    }

    /**
     * STUN/TURN bound to loopback: the one line about the public host says remote browsers cannot reach it and
     * which key (and variable) to set. A public host that was configured is printed without one.
     */
    @Test
    void printsThePublicHostAndWhichKeyToSetWhenRemoteBrowsersCannotReachIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Appliance a = new Appliance(TestConfigs.ephemeral(data), new PrintStream(out, true,
                StandardCharsets.UTF_8), io.presence.signaling.app.config.HostAddresses.of(
                        List.of(java.net.InetAddress.getByName("198.51.100.9"))))) {
            a.start();
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("public host")).toList();
            assertEquals(1, lines.size(), lines.toString());
            String line = lines.get(0);
            assertTrue(line.matches("public host\\s+127\\.0\\.0\\.1 \\(stun\\.host\\): remote browsers cannot reach "
                    + "STUN/TURN at 127\\.0\\.0\\.1.*"), line);
            assertTrue(line.contains("server.publicHost") && line.contains("PRESENCE_SERVER_PUBLIC_HOST"), line);
        }
        var env = TestConfigs.ephemeralEnv(data);
        env.put("PRESENCE_SERVER_PUBLIC_HOST", "presence.example.org");
        out.reset();
        try (Appliance a = new Appliance(io.presence.signaling.app.config.PresenceConfig.load(null, env),
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            a.start();
            assertTrue(out.toString(StandardCharsets.UTF_8).contains(
                    "public host      presence.example.org (server.publicHost)\n"), out.toString(StandardCharsets.UTF_8));
            assertEquals("presence.example.org", a.publicHost().host());
        }
    }

    /** A listener turned off is not bound at all (its port refuses), and the others serve. */
    @Test
    void aDisabledListenerIsNotBoundAndTheRestServe() throws Exception {
        int tcpPort = freePort();
        var env = TestConfigs.ephemeralEnv(data);
        env.put("PRESENCE_SIGNALING_TCP_ENABLED", "false");
        env.put("PRESENCE_SIGNALING_TCP_PORT", Integer.toString(tcpPort));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Appliance a = new Appliance(io.presence.signaling.app.config.PresenceConfig.load(null, env),
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            a.start();
            assertRefused(tcpPort);
            assertTrue(!out.toString(StandardCharsets.UTF_8).contains("signaling tcp"), out.toString());
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + a.webSocketAddress().getPort() + "/")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode());
        }

        int wsPort = freePort();
        env = TestConfigs.ephemeralEnv(data);
        env.put("PRESENCE_SIGNALING_WS_ENABLED", "false");
        env.put("PRESENCE_SIGNALING_WS_PORT", Integer.toString(wsPort));
        out.reset();
        try (Appliance a = new Appliance(io.presence.signaling.app.config.PresenceConfig.load(null, env),
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            a.start();
            assertRefused(wsPort);
            assertEquals(null, a.webSocketAddress());
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(!printed.contains("signaling ws") && !printed.contains("web client"), printed);
            java.util.regex.Matcher tcp = java.util.regex.Pattern.compile("signaling tcp\\s+tcp://127\\.0\\.0\\.1:(\\d+)")
                    .matcher(printed);
            assertTrue(tcp.find(), printed);
            try (var socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(tcp.group(1))), 2000);
                socket.setSoTimeout(5000);
                socket.getOutputStream().write("{\"type\":\"hello\",\"version\":1,\"requestId\":\"1\"}\n"
                        .getBytes(StandardCharsets.UTF_8));
                String reply = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                assertTrue(reply != null && reply.contains("\"requestId\":\"1\""), "TCP signaling answers: " + reply);
            }
            assertEquals(200, get(a, "/readyz").statusCode());
        }
    }

    /**
     * A port another socket holds: the start fails with one line naming the port and the key that chose it, and
     * leaves nothing running (the next start on free ports works).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"metrics.port", "stun.port", "signaling.wsPort",
            "signaling.tcpPort"})
    void aPortClashNamesThePortAndTheKeyThatSetIt(String key) throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            var env = TestConfigs.ephemeralEnv(data);
            env.put(io.presence.signaling.app.config.ConfigKey.envName(key), Integer.toString(taken.getLocalPort()));
            Appliance a = new Appliance(io.presence.signaling.app.config.PresenceConfig.load(null, env), quiet());
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, a::start);
            assertEquals("port " + taken.getLocalPort() + " (" + key + ") is already in use", e.getMessage());
        }
        awaitNoPresenceThreads();
    }

    @Test
    void anAddressThisMachineDoesNotHaveNamesTheHostKey() throws Exception {
        var env = TestConfigs.ephemeralEnv(data);
        env.put("PRESENCE_SIGNALING_HOST", "198.51.100.123"); // TEST-NET-2: no interface of a test machine has it
        Appliance a = new Appliance(io.presence.signaling.app.config.PresenceConfig.load(null, env), quiet());
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, a::start);
        assertTrue(e.getMessage().startsWith("cannot listen on 198.51.100.123:"), e.getMessage());
        assertTrue(e.getMessage().contains("(signaling.host, signaling.wsPort)"), e.getMessage());
        awaitNoPresenceThreads();
    }

    private static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void aStunPortWithTcpOffServesUdpOnly() throws Exception {
        var env = TestConfigs.ephemeralEnv(data);
        env.put("PRESENCE_STUN_TCP_ENABLED", "false");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Appliance a = new Appliance(io.presence.signaling.app.config.PresenceConfig.load(null, env),
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            a.start();
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(!printed.contains("stun/turn tcp"), printed);
            java.util.regex.Matcher udp = java.util.regex.Pattern.compile("stun/turn udp\\s+\\S+:(\\d+)")
                    .matcher(printed);
            assertTrue(udp.find(), printed);
            int port = Integer.parseInt(udp.group(1));
            assertRefused(port);
            // A STUN Binding request (RFC 8489 §5: type 0x0001, no attributes, magic cookie, transaction id).
            java.nio.ByteBuffer request = java.nio.ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0)
                    .putInt(0x2112A442).putLong(0x0102030405060708L).putInt(0x090a0b0c);
            try (var socket = new java.net.DatagramSocket()) {
                socket.setSoTimeout(5000);
                socket.send(new java.net.DatagramPacket(request.array(), 20,
                        new java.net.InetSocketAddress("127.0.0.1", port)));
                byte[] buf = new byte[512];
                java.net.DatagramPacket reply = new java.net.DatagramPacket(buf, buf.length);
                socket.receive(reply);
                assertEquals(0x0101, ((buf[0] & 0xff) << 8) | (buf[1] & 0xff), "a Binding success response");
            }
        }
    }

    private static void assertRefused(int port) {
        org.junit.jupiter.api.Assertions.assertThrows(java.net.ConnectException.class, () -> {
            try (var socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
            }
        }, "port " + port + " is not bound");
    }

    @Test
    void generatedSecretsSurviveARestart() throws Exception {
        Appliance.Secrets first;
        try (Appliance a = new Appliance(TestConfigs.ephemeral(data), quiet())) {
            a.start();
            first = a.secrets();
        }
        try (Appliance a = new Appliance(TestConfigs.ephemeral(data), quiet())) {
            a.start();
            assertEquals(first, a.secrets());
            assertEquals(1, a.secrets().turn().size());
            assertTrue(a.secrets().turn().get(0).reveal().length() >= 40, "256-bit secret, base64");
        }
    }

    @Test
    void stopTurnsReadinessOffAndReleasesThePorts() throws Exception {
        Appliance a = new Appliance(TestConfigs.ephemeral(data), quiet());
        a.start();
        int port = a.adminAddress().getPort();
        a.stop();
        assertEquals(io.presence.metrics.health.Readiness.Phase.STOPPED, a.readiness().phase());
        try (var socket = new java.net.ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        }
        a.stop(); // idempotent
    }

    @Test
    void aPortInUseFailsTheStartAndLeavesNothingRunning() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            var env = TestConfigs.ephemeralEnv(data);
            env.put("PRESENCE_METRICS_PORT", Integer.toString(taken.getLocalPort()));
            awaitNoPresenceThreads();
            int before = presenceThreads().size();
            Appliance a = new Appliance(io.presence.signaling.app.config.PresenceConfig.load(null, env), quiet());
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, a::start);
            assertTrue(e.getMessage().contains("(metrics.port) is already in use"), e.toString());
            assertEquals(0, before, "no appliance running before");
            awaitNoPresenceThreads();
        }
    }

    @Test
    void repeatedStartsAndStopsLeakNoThreads() throws Exception {
        // One warm-up cycle loads classes and starts the JVM's and Netty's process-wide helpers.
        cycle();
        int baseline = Thread.activeCount();
        for (int i = 0; i < 4; i++) {
            cycle();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Thread.activeCount() > baseline && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Thread.activeCount() <= baseline, "threads: " + Thread.activeCount() + " > " + baseline
                + " " + allThreads());
        assertEquals(List.of(), presenceThreads());
    }

    private void cycle() throws Exception {
        try (Appliance a = new Appliance(TestConfigs.ephemeral(data), quiet())) {
            a.start();
            assertEquals(200, get(a, "/metrics").statusCode());
            assertTrue(presenceThreads().size() > 0);
        }
        awaitNoPresenceThreads();
    }

    /** A terminated event loop's thread ends a moment after its termination future completes. */
    private static void awaitNoPresenceThreads() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!presenceThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), presenceThreads());
    }

    private static List<String> presenceThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("presence-") && !EARLIER.contains(t)) {
                names.add(t.getName());
            }
        }
        return names;
    }

    private static List<String> allThreads() {
        List<String> names = new ArrayList<>();
        Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
        return names;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
