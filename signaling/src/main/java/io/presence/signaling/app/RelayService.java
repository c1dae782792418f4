package io.presence.signaling.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.presence.net.NetStack;
import io.presence.stun.server.StunServer;
import io.presence.stun.server.StunSettings;

import java.util.ArrayList;
import java.util.List;

/** The STUN/TURN port under the appliance's lifecycle. */
final class RelayService implements Service {

    private final StunSettings settings;
    private final NetStack net;
    private final MeterRegistry registry;
    private StunServer server;

    RelayService(StunSettings settings, NetStack net, MeterRegistry registry) {
        this.settings = settings;
        this.net = net;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "stun";
    }

    @Override
    public List<Listener> start() {
        server = new StunServer(settings, net, registry).start();
        List<Listener> listeners = new ArrayList<>();
        listeners.add(new Listener("stun/turn udp", shown(server.udpAddress())));
        listeners.add(new Listener("stun/turn tcp", shown(server.tcpAddress()) + "?transport=tcp"));
        server.tlsAddress().ifPresent(a -> listeners.add(new Listener("stun/turn tls", shown(a))));
        server.otherAddress().ifPresent(a -> listeners.add(new Listener("stun rfc5780", Appliance.hostPort(a))));
        return listeners;
    }

    /** The configured host (so 0.0.0.0 stays 0.0.0.0, not the dual-stack "::"), with the bound port. */
    private String shown(java.net.InetSocketAddress bound) {
        String host = settings.bindHost();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
    }

    @Override
    public void stopAccepting() {
        // Binding is stateless: there is nothing to drain.
    }

    @Override
    public int active() {
        return 0;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
