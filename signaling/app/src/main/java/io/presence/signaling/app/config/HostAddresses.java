package io.presence.signaling.app.config;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The addresses of this machine's interfaces, in the order the system lists them; a source tests replace. */
@FunctionalInterface
public interface HostAddresses {

    List<InetAddress> list();

    /** The interfaces that are up, loopback interfaces left out; none when they cannot be listed. */
    static HostAddresses system() {
        return () -> {
            List<InetAddress> addresses = new ArrayList<>();
            try {
                for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    if (nif.isUp() && !nif.isLoopback()) {
                        addresses.addAll(Collections.list(nif.getInetAddresses()));
                    }
                }
            } catch (SocketException e) {
                return List.of();
            }
            return addresses;
        };
    }

    static HostAddresses of(List<InetAddress> addresses) {
        List<InetAddress> copy = List.copyOf(addresses);
        return () -> copy;
    }
}
