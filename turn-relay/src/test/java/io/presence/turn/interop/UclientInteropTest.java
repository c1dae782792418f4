package io.presence.turn.interop;

import io.presence.turn.TurnFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * coturn's own client against this relay, with REST credentials ({@code -W secret -u room:participant}), in
 * four modes: channels to a {@code turnutils_peer} echo, client-to-client ({@code -y}, which goes
 * through the in-process hand-off), TCP ({@code -t}) and Send indications ({@code -s}). Each must finish with
 * exit 0, as many messages received as sent, and zero loss.
 */
class UclientInteropTest {
    private static final Pattern TOTALS = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");

    private TurnFixture f;
    private Process peer;
    private int peerPort;

    @BeforeEach
    void start() throws Exception {
        String peerTool = ExternalTool.require("turnutils_peer");
        ExternalTool.require("turnutils_uclient");
        // uclient -W mints usernames expiring in 24 h (coturn's default); a longer expiry than the cap is refused.
        f = new TurnFixture(b -> b.realm("presence").maxCredentialTtl(Duration.ofHours(24)));
        try (DatagramSocket probe = new DatagramSocket(0)) {
            peerPort = probe.getLocalPort();
        }
        peer = new ProcessBuilder(peerTool, "-L", "127.0.0.1", "-p", Integer.toString(peerPort))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(200);
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.destroyForcibly();
        }
        if (f != null) {
            f.close();
        }
    }

    @ParameterizedTest(name = "uclient {0}")
    @ValueSource(strings = {"-c", "-c -y", "-c -t", "-c -s"})
    void completesWithZeroLoss(String mode) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ExternalTool.require("turnutils_uclient")));
        cmd.addAll(Arrays.asList(mode.split(" ")));
        cmd.addAll(List.of("-p", Integer.toString(f.server.udpAddress().getPort()), "-W", TurnFixture.SECRET,
                "-u", "room1:alice", "-e", "127.0.0.1", "-r", Integer.toString(peerPort),
                "-m", "5", "-n", "40", "-l", "170", "-z", "5", "127.0.0.1"));
        File log = File.createTempFile("uclient", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("uclient " + mode + " did not finish:\n" + Files.readString(log.toPath()));
            }
            String out = Files.readString(log.toPath());
            assertEquals(0, p.exitValue(), out);
            Matcher m = TOTALS.matcher(out);
            String sent = null;
            String received = null;
            while (m.find()) {
                sent = m.group(1);
                received = m.group(2);
            }
            assertTrue(sent != null && Integer.parseInt(sent) > 0, "uclient reported no traffic:\n" + out);
            assertEquals(sent, received, out);
            assertTrue(out.contains("Total lost packets 0 ("), out);
            if (mode.contains("-y")) {
                assertTrue(f.counter("turn.handoffs") > 0, "client-to-client goes through the in-process hand-off");
            }
        } finally {
            log.delete();
        }
    }
}
