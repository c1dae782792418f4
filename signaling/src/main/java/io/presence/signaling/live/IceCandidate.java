package io.presence.signaling.live;

import java.util.ArrayList;
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

    /** Extensions kept on a relay candidate in privacy mode; anything else might carry an address. */
    private static final Set<String> KEPT_EXTENSIONS =
            Set.of("generation", "ufrag", "network-id", "network-cost", "tcptype");

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

    /** The {@code raddr} value, if any. */
    Optional<String> relatedAddress() {
        for (int i = 8; i < tokens.size(); i += 2) {
            if (tokens.get(i).equals("raddr")) {
                return Optional.of(tokens.get(i + 1));
            }
        }
        return Optional.empty();
    }

    /**
     * This candidate with its related address scrubbed the way browsers do it for privacy: {@code raddr}
     * becomes the unspecified address of the candidate's family ({@code 0.0.0.0} or {@code ::}), {@code rport}
     * becomes {@code 0}, and extensions other than generation, ufrag, network-id, network-cost and tcptype are
     * dropped. Returns the input unchanged (same string) when there was nothing to scrub.
     */
    String scrubbed(String original) {
        List<String> out = new ArrayList<>(tokens.subList(0, 8));
        for (int i = 8; i < tokens.size(); i += 2) {
            String name = tokens.get(i);
            String value = tokens.get(i + 1);
            if (name.equals("raddr")) {
                value = IpLiterals.unspecifiedFor(address);
            } else if (name.equals("rport")) {
                value = "0";
            } else if (!KEPT_EXTENSIONS.contains(name)) {
                continue;
            }
            out.add(name);
            out.add(value);
        }
        if (out.equals(tokens)) {
            return original;
        }
        return PREFIX + String.join(" ", out);
    }
}
