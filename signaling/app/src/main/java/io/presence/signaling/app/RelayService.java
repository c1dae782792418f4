package io.presence.signaling.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.presence.net.NetStack;
import io.presence.turn.RelayControl;
import io.presence.turn.TurnServer;
import io.presence.turn.config.TurnSettings;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The STUN/TURN port (Binding and the relay on one port) under the appliance's lifecycle. */
final class RelayService implements Service {

    private final TurnSettings settings;
    private final NetStack net;
    private final MeterRegistry registry;
    private TurnServer server;

    RelayService(TurnSettings settings, NetStack net, MeterRegistry registry) {
        this.settings = settings;
        this.net = net;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "stun/turn";
    }

    @Override
    public List<Listener> start() {
        server = new TurnServer(settings, net, registry, Clock.systemUTC()).start();
        List<Listener> listeners = new ArrayList<>();
        String host = settings.listener().bindHost();
        listeners.add(new Listener("stun/turn udp", Listener.hostPort(host, server.udpAddress())));
        if (server.tcpAddress() != null) {
            listeners.add(new Listener("stun/turn tcp", Listener.hostPort(host, server.tcpAddress())));
        }
        server.tlsAddress().ifPresent(a -> listeners.add(new Listener("stun/turn tls", Listener.hostPort(host, a))));
        listeners.add(new Listener("turn relay ports", "udp " + settings.relayPortMin() + "-"
                + settings.relayPortMax()));
        return listeners;
    }

    /** The in-process control API the signaling side mints and revokes credentials through. */
    RelayControl control() {
        return server.control();
    }

    /** The bound STUN/TURN port (UDP and TCP share it), for the ICE URLs. */
    int port() {
        return server.udpAddress().getPort();
    }

    /** The bound TURNS port, when a certificate is configured. */
    java.util.OptionalInt tlsPort() {
        return server.tlsAddress().map(a -> java.util.OptionalInt.of(a.getPort()))
                .orElse(java.util.OptionalInt.empty());
    }


    @Override
    public void stopAccepting() {
        server.stopAccepting();
    }

    @Override
    public int active() {
        // Allocations are not waited for: they belong to calls that outlive any sensible grace, and their
        // signaling connections are what the drain is for.
        return 0;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
