package io.presence.signaling.transport;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.presence.signaling.session.SignalingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The server's current TLS context, reloaded when the certificate or key file changes (certificate renewal without
 * a restart). Each new connection takes {@link #current()}; connections already open keep their context.
 *
 * <p>Thread-safe: the context is swapped atomically; the file check runs on one executor.
 */
final class TlsContextSource implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TlsContextSource.class);

    private final SignalingSettings.Tls tls;
    private volatile SslContext current;
    private String fingerprint;
    private ScheduledFuture<?> watcher;

    /** Loads the files now; throws if they cannot be used, so a bad configuration stops the start. */
    TlsContextSource(SignalingSettings.Tls tls) {
        this.tls = tls;
        this.fingerprint = fingerprint();
        this.current = load();
    }

    SslContext current() {
        return current;
    }

    void watch(EventExecutor executor) {
        long every = tls.reloadCheck().toNanos();
        watcher = executor.scheduleWithFixedDelay(this::checkForChange, every, every, TimeUnit.NANOSECONDS);
    }

    /** Reloads when the files' size or modification time changed. Runs on the watch executor only. */
    void checkForChange() {
        String now = fingerprint();
        if (now.equals(fingerprint)) {
            return;
        }
        try {
            current = load();
            fingerprint = now;
            log.info("TLS certificate reloaded from {}", tls.certificateChain());
        } catch (RuntimeException e) {
            // Half-written files during renewal are common: keep serving the old certificate and retry next time.
            log.warn("TLS certificate {} changed but cannot be loaded, keeping the previous one: {}",
                    tls.certificateChain(), e.getMessage());
        }
    }

    private SslContext load() {
        try {
            return SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile()).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load TLS certificate " + tls.certificateChain() + " / key "
                    + tls.privateKey() + ": " + e.getMessage(), e);
        }
    }

    private String fingerprint() {
        return stat(tls.certificateChain()) + "|" + stat(tls.privateKey());
    }

    private static String stat(Path p) {
        try {
            return Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.cancel(false);
        }
    }
}
