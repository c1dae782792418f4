package io.presence.signaling.app.doctor;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * ice4j as a quiet, self-contained client: its java.util.logging output off (the doctor reports in its own
 * words, and ice4j logs every retransmission and closed socket, some with stack traces), no SOFTWARE attribute,
 * and no cloud-metadata lookup for mapping candidates. ice4j reads its configuration once, when its config
 * classes first load, so this runs before the first agent.
 */
final class Ice4jQuiet {

    /** Held so the levels stay set: java.util.logging keeps loggers only weakly. */
    private static final List<Logger> SILENCED = List.of(Logger.getLogger("org.ice4j"), Logger.getLogger("org.jitsi"));

    private Ice4jQuiet() {
    }

    static synchronized void apply() {
        for (Logger logger : SILENCED) {
            logger.setLevel(Level.OFF);
        }
        setIfUnset("ice4j.software", "");
        setIfUnset("ice4j.harvest.mapping.aws.enabled", "false");
    }

    private static void setIfUnset(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
