package io.presence.signaling.app.config;

import io.presence.stun.server.StunSettings;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static io.presence.signaling.app.config.ConfigSchema.*;

/**
 * Maps the configuration's sections onto the modules' own settings records. Rules that span several keys
 * (a certificate needs its key; RFC 5780 needs a specific bind address) are checked here, so that
 * {@code check-config} reports them as one line naming the key, like every other invalid value.
 */
public final class ModuleSettings {

    private ModuleSettings() {
    }

    /** Builds every module's settings once, turning their constructors' objections into ConfigExceptions. */
    public static void check(PresenceConfig config) throws ConfigException {
        stun(config);
    }

    public static StunSettings stun(PresenceConfig config) throws ConfigException {
        PresenceConfig.Stun s = config.stun();
        Optional<StunSettings.Tls> tls = Optional.empty();
        if (!s.tlsCertificate().isEmpty() || !s.tlsPrivateKey().isEmpty()) {
            requireFile(STUN_TLS_CERTIFICATE, s.tlsCertificate());
            requireFile(STUN_TLS_PRIVATE_KEY, s.tlsPrivateKey());
            tls = Optional.of(new StunSettings.Tls(s.tlsPort(), Path.of(s.tlsCertificate()),
                    Path.of(s.tlsPrivateKey())));
        }
        Optional<InetSocketAddress> alternate = Optional.empty();
        if (!s.alternate().isEmpty()) {
            int colon = s.alternate().lastIndexOf(':');
            String host = s.alternate().substring(0, colon).replace("[", "").replace("]", "");
            alternate = Optional.of(new InetSocketAddress(host, Integer.parseInt(s.alternate().substring(colon + 1))));
        }
        try {
            return new StunSettings(s.bind().getHostString(), s.bind().getPort(), tls, alternate, s.maxFrameBytes(),
                    s.idleTimeout(), Optional.empty(), StunSettings.AUTO);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(alternate.isPresent() ? STUN_ALTERNATE.path() : STUN_HOST.path(),
                    null, e.getMessage(), null);
        }
    }

    private static void requireFile(ConfigKey<String> key, String path) throws ConfigException {
        if (path.isEmpty()) {
            throw new ConfigException(key.path(), null, "missing: a TLS listener needs both certificate and key",
                    "a readable PEM file");
        }
        if (!Files.isReadable(Path.of(path))) {
            throw new ConfigException(key.path(), "\"" + path + "\"", "file does not exist or cannot be read",
                    "a readable PEM file");
        }
    }
}
