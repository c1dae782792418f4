package io.presence.signaling.live;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One ICE candidate attribute value, parsed by the RFC 8839 §5.1 grammar:
 * <pre>
 * candidate:&lt;foundation&gt; &lt;component&gt; &lt;transport&gt; &lt;priority&gt;
 *           &lt;address&gt; &lt;port&gt; typ &lt;type&gt;
 *           [raddr &lt;address&gt;] [rport &lt;port&gt;] *(&lt;ext-name&gt; &lt;ext-value&gt;)
 * </pre>
 * Strict on purpose: fields are separated by exactly one space, as every browser writes them. A line that does
 * not match is not a candidate we can reason about; privacy mode strips it. The grammar itself is
 * {@link CandidateGrammar}'s. Immutable.
 */
final class IceCandidate {

    static final String PREFIX = "candidate:";

    private final List<String> tokens;
    private final String address;
    private final int port;
    private final int component;
    private final String type;

    private IceCandidate(List<String> tokens, String address, int port, int component, String type) {
        this.tokens = tokens;
        this.address = address;
        this.port = port;
        this.component = component;
        this.type = type;
    }

    /**
     * Parses the value of an {@code a=candidate} attribute or an {@code RTCIceCandidate.candidate} string: it
     * must start with {@code candidate:} (no {@code a=}). Empty when it does not follow the grammar.
     */
    static Optional<IceCandidate> parse(String value) {
        if (!CandidateGrammar.matches(value)) {
            return Optional.empty();
        }
        String[] t = value.substring(PREFIX.length()).split(" ", -1);
        return Optional.of(new IceCandidate(List.of(t), t[4], Integer.parseInt(t[5]), Integer.parseInt(t[1]),
                t[7].toLowerCase(Locale.ROOT)));
    }

    CandidateKind kind() {
        if (IpLiterals.isMdnsName(address)) {
            return CandidateKind.MDNS;
        }
        return switch (type) {
            case "host" -> CandidateKind.HOST;
            case "srflx" -> CandidateKind.SRFLX;
            case "prflx" -> CandidateKind.PRFLX;
            case "relay" -> CandidateKind.RELAY;
            default -> CandidateKind.OTHER;
        };
    }

    String address() {
        return address;
    }

    int port() {
        return port;
    }

    int component() {
        return component;
    }


    /**
     * A relay candidate rebuilt from its parsed fields, or null when it may not be forwarded: it must be of type
     * relay, over UDP or TCP, at an IP literal (no host name, no zone id) that {@code relay} admits with its port.
     * The address is written in its canonical form (an IPv4-mapped IPv6 literal becomes the IPv4 address);
     * {@code raddr}/{@code rport} become the unspecified address and 0 as browsers write them in their own
     * privacy modes; of the extensions only {@code generation} (digits), {@code ufrag} (4..256 ice-chars) and,
     * over TCP, {@code tcptype} are kept. The names of other extensions go to {@code removed}.
     */
    String rebuiltRelay(RelayCandidates relay, Collection<String> removed) {
        if (kind() != CandidateKind.RELAY) {
            return null;
        }
        String transport = tokens.get(2).toLowerCase(Locale.ROOT);
        if (!transport.equals("udp") && !transport.equals("tcp")) {
            return null;
        }
        InetAddress ip = literal(address);
        if (ip == null || port < 1 || !relay.admits(ip, port)) {
            return null;
        }
        String canonical = IpLiterals.format(ip);
        StringBuilder sb = new StringBuilder(PREFIX).append(tokens.get(0)).append(' ').append(component).append(' ')
                .append(transport).append(' ').append(tokens.get(3)).append(' ').append(canonical).append(' ')
                .append(port).append(" typ relay raddr ").append(IpLiterals.unspecifiedFor(canonical))
                .append(" rport 0");
        for (int i = 8; i < tokens.size(); i += 2) {
            String name = tokens.get(i);
            String value = tokens.get(i + 1);
            boolean keep = switch (name) {
                case "raddr", "rport" -> false;
                case "generation" -> SdpGrammar.number(value, 10, Integer.MAX_VALUE);
                case "ufrag" -> SdpGrammar.iceChars(value, 4, 256);
                case "tcptype" -> transport.equals("tcp") && Set.of("active", "passive", "so").contains(value);
                default -> false;
            };
            if (keep) {
                sb.append(' ').append(name).append(' ').append(value);
            } else if (!name.equals("raddr") && !name.equals("rport")) {
                removed.add("candidate " + (SdpGrammar.word(name, 1, 32) ? name : "extension"));
            }
        }
        return sb.toString();
    }

    /** The address of an IP literal, never a name lookup; null for anything else, including zone ids. */
    static InetAddress literal(String text) {
        byte[] bytes = IpLiterals.parse(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
