package io.presence.stun;

/**
 * Process-wide ice4j settings for the tests and benchmarks that encode with ice4j. ice4j reads its
 * configuration once, when its config classes first load, so call {@link #disableSoftware()} before the first
 * ice4j message is made.
 */
public final class Ice4jDefaults {
    /** ice4j's configuration key (HOCON, overridable by a system property) for the SOFTWARE value. */
    public static final String SOFTWARE_PROPERTY = "ice4j.software";

    private Ice4jDefaults() {
    }

    /**
     * Stops ice4j from adding SOFTWARE "ice4j.org" to every message it encodes: it tells attackers what
     * we run and makes each response larger. Leaves an explicit setting alone.
     */
    public static void disableSoftware() {
        if (System.getProperty(SOFTWARE_PROPERTY) == null) {
            System.setProperty(SOFTWARE_PROPERTY, "");
        }
    }
}
