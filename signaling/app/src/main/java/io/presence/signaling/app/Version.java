package io.presence.signaling.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, written into a resource by Maven at build time. */
public final class Version {

    private static final String CURRENT = load();

    private Version() {
    }

    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/io/presence/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
