package io.presence.signaling.app;

import io.presence.signaling.app.config.PresenceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
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
@Timeout(60)
class ApplianceFloodTest {
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

    private static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketException reset) {
            return true;
        } catch (SocketTimeoutException open) {
            return false;
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
            assertTrue(closedByServer(connect(stun)), "STUN over TCP at its cap: reset at once");
            assertTrue(closedByServer(connect(ws)), "signaling at its cap: reset at once");

            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + a.adminAddress().getPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode());
            String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + a.adminAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(scrape.contains("presence_connections_refused_total{listener=\"stun\",reason=\"total\"} 1.0"),
                    scrape);
            assertTrue(scrape.contains("presence_connections_refused_total{listener=\"signaling\",reason=\"total\"} 1.0"),
                    scrape);

            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                udp.setSoTimeout(5000);
                byte[] binding = new byte[20];
                binding[1] = 1; // Binding request, length 0
                binding[4] = 0x21;
                binding[5] = 0x12;
                binding[6] = (byte) 0xA4;
                binding[7] = 0x42;
                binding[8] = 7; // transaction id
                udp.send(new DatagramPacket(binding, binding.length, new InetSocketAddress("127.0.0.1",
                        port(printed, "stun/turn udp"))));
                DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
                udp.receive(answer);
                assertEquals(0x0101, (answer.getData()[0] & 0xFF) << 8 | (answer.getData()[1] & 0xFF),
                        "Binding success response");
            }
        }
    }
}
