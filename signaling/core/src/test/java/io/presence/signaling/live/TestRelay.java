package io.presence.signaling.live;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;

/** The relay of the SDP fixtures: 198.51.100.10 and 2001:db8:7::10, ports 1024..65535. */
final class TestRelay {
    static final String V4 = "198.51.100.10";
    static final String V6 = "2001:db8:7::10";
    static final Set<InetAddress> ADDRESSES = Set.of(address(V4), address(V6));

    static final RelayCandidates ADMITS = (address, port) -> port >= 1024 && ADDRESSES.contains(address);
    static final RelayCandidates NONE = (address, port) -> false;

    private TestRelay() {
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
