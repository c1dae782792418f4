package io.presence.signaling.identity;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The line logged at every start with the development provider on ({@code signaling.devAuth}): anyone who can
 * connect signs in under any name. On loopback that is a trial on one machine; on any other address it is an open
 * door, and the line says so in capitals and says which keys close it.
 */
public final class DevAuthWarning {

    private DevAuthWarning() {
    }

    /** @param bindHosts the signaling listeners' bind addresses */
    public static String line(String... bindHosts) {
        Set<String> exposed = new LinkedHashSet<>();
        for (String host : bindHosts) {
            if (!isLoopback(host)) {
                exposed.add(host);
            }
        }
        if (exposed.isEmpty()) {
            return "development authentication (signaling.devAuth) is enabled: anyone who can connect signs in "
                    + "under any name; the signaling listeners are on loopback only";
        }
        return "DEVELOPMENT AUTHENTICATION IS ENABLED ON A NON-LOOPBACK ADDRESS (signaling.host "
                + String.join(", ", exposed) + "): anyone who can reach this server signs in under any name. "
                + "Set signaling.devAuth: false, or signaling.host: 127.0.0.1 for a trial on this machine";
    }

    /** Loopback by its text alone (no name lookup): {@code localhost}, 127.0.0.0/8 or ::1. */
    static boolean isLoopback(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        return h.equals("localhost") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || h.equals("::1")
                || h.matches("(0{1,4}:){7}0{0,3}1") || h.equals("::ffff:127.0.0.1");
    }
}
