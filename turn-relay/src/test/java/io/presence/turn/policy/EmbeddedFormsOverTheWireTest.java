package io.presence.turn.policy;

import io.presence.stun.attr.AddressFamily;
import io.presence.stun.attr.RequestedTransport;
import io.presence.turn.TurnFixture;
import io.presence.turn.TurnTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** CreatePermission and ChannelBind from an IPv6 allocation towards each IPv4-carrying form reach the policy. */
class EmbeddedFormsOverTheWireTest {
    private TurnFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void everyFormIsJudgedAtCreatePermissionAndChannelBind() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        // The allow list of a test setup: IPv4 loopback opens neither a translated nor a tunnelled form of it.
        f = new TurnFixture(b -> b.relayIpv6(v6).allowPeers(List.of("127.0.0.1/32", "::1/128")));
        Map<String, Integer> expected = Map.ofEntries(
                Map.entry("64:ff9b::7f00:1", 403),                        // NAT64 of 127.0.0.1
                Map.entry("64:ff9b::a9fe:a9fe", 403),                     // NAT64 of 169.254.169.254
                Map.entry("64:ff9b:1:7f00:0:100::", 403),                 // NAT64 local-use of 127.0.0.1
                Map.entry("64:ff9b:1:808:8:800::", 403),                  // NAT64 local-use of 8.8.8.8
                Map.entry("::ffff:0:7f00:1", 403),                        // SIIT of 127.0.0.1
                Map.entry("::7f00:1", 403),                               // IPv4-compatible 127.0.0.1
                Map.entry("2002:7f00:1::1", 403),                         // 6to4 of 127.0.0.1
                Map.entry("2002:808:808::1", 403),                        // 6to4 of 8.8.8.8
                Map.entry("2001:0:4136:e378:8000:63bf:80ff:fffe", 403),   // Teredo, client 127.0.0.1
                Map.entry("2001:0:4136:e378:8000:63bf:f7f7:f7f7", 403),   // Teredo, client 8.8.8.8
                Map.entry("3fff::1", 403),                                // documentation
                Map.entry("5f00::1", 403),                                // SRv6 SIDs
                Map.entry("64:ff9b::808:808", 0),                         // NAT64 of 8.8.8.8
                Map.entry("2606:4700::1111", 0));                         // global unicast
        try (TurnTestClient c = f.client("room", "alice")) {
            assertEquals(0, code(c.allocate(w -> {
                RequestedTransport.write(w, RequestedTransport.UDP);
                AddressFamily.writeRequested(w, AddressFamily.IPV6);
            })));
            int channel = 0x4000;
            int denied = 0;
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(e.getKey()), 5000);
                assertEquals(e.getValue(), c.createPermission(peer), "CreatePermission " + e.getKey());
                assertEquals(e.getValue(), c.channelBind(channel++, peer), "ChannelBind " + e.getKey());
                denied += e.getValue() == 403 ? 2 : 0;
            }
            assertEquals(denied, f.counter("turn.peers.denied", "reason", "default_range"));
        }
    }
}
