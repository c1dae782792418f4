package io.presence.stun.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.net.NetStack;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * coturn's {@code turnutils_stunclient} (Debian package {@code coturn}), an independently written client,
 * against the server. Skipped only when the tool is missing and {@code PRESENCE_E2E} is not
 * {@code required}; CI installs it and requires it.
 */
@Timeout(60)
class TurnutilsStunclientTest {
    static final String TOOL = "turnutils_stunclient";

    static String tool() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(dir, TOOL);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        if ("required".equals(System.getenv("PRESENCE_E2E"))) {
            fail(TOOL + " is not installed and PRESENCE_E2E=required (apt-get install coturn)");
        }
        Assumptions.abort(TOOL + " not installed (apt-get install coturn); set PRESENCE_E2E=required to fail instead");
        return null;
    }

    @Test
    void reportsTheReflexiveAddress() throws Exception {
        String tool = tool();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        NetStack net = NetStack.create(1, true);
        try (StunServer server = new StunServer(StunSettings.loopbackEphemeral(), net, registry).start()) {
            int port = server.udpAddress().getPort();
            // The tool retries forever when nothing answers: timeout(1) bounds it.
            Process p = new ProcessBuilder("timeout", "20", tool, "-p", Integer.toString(port), "127.0.0.1")
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timeout(1) ends it");
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), output);
            Matcher m = Pattern.compile("UDP reflexive addr: 127\\.0\\.0\\.1:(\\d+)").matcher(output);
            assertTrue(m.find(), output);
            int reflexivePort = Integer.parseInt(m.group(1));
            assertTrue(reflexivePort > 0 && reflexivePort != port, output);
            assertTrue(registry.get("stun.binding.requests").tag("transport", "udp").counter().count() >= 1);
        } finally {
            net.shutdown(Duration.ofSeconds(2));
        }
    }

    /** {@code -f}: NAT behaviour discovery (RFC 5780) against a primary and an alternate loopback address. */
    @Test
    void rfc5780BehaviourDiscovery() throws Exception {
        String tool = tool();
        int port = Rfc5780Test.freeUdpPort("127.0.0.1");
        int altPort = Rfc5780Test.freeUdpPort("127.0.0.2");
        StunSettings settings = StunSettings.loopbackEphemeral().withBind("127.0.0.1", port)
                .withAlternate(new java.net.InetSocketAddress("127.0.0.2", altPort));
        NetStack net = NetStack.create(1, true);
        try (StunServer server = new StunServer(settings, net, new SimpleMeterRegistry()).start()) {
            Process p = new ProcessBuilder("timeout", "20", "stdbuf", "-o0", tool, "-f", "-p", Integer.toString(port), "127.0.0.1")
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timeout(1) ends it");
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), output);
            // Its second request asks for another IP and port (CHANGE-REQUEST) and for the answer on
            // another local port (RESPONSE-PORT); its last one carries PADDING, which gets 420.
            assertTrue(output.contains("Other addr: : 127.0.0.2:" + altPort), output);
            assertTrue(output.contains("RFC 5780 response 2"), output);
            assertTrue(output.contains("Response origin: : 127.0.0.2:" + altPort), output);
        } finally {
            net.shutdown(Duration.ofSeconds(2));
        }
    }
}
