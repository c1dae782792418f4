package io.presence.net;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server TLS context that follows its certificate and key files: when either changes (a renewal), the
 * next connections get the new certificate without a restart; connections already open keep theirs.
 * Shared by every TLS listener of the appliance (TURNS, WSS, TLS signaling).
 *
 * <p>Thread-safe: {@link #current()} reads a volatile; the file check runs on one executor.
 */
public final class ReloadingSslContext implements AutoCloseable {

    /** How often the files' size and modification time are looked at. */
    public static final Duration DEFAULT_CHECK = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ReloadingSslContext.class);

    private final Path certificateChain;
    private final Path privateKey;
    private volatile SslContext current;
    private String fingerprint;
    private ScheduledFuture<?> watcher;

    /** Loads the files now and throws {@link IllegalStateException} if they cannot be used. */
    public ReloadingSslContext(Path certificateChain, Path privateKey) {
        this.certificateChain = certificateChain;
        this.privateKey = privateKey;
        this.fingerprint = fingerprint();
        this.current = load();
    }

    public SslContext current() {
        return current;
    }

    /** Checks the files every {@code every} on {@code executor} until {@link #close()}. */
    public synchronized void watch(EventExecutor executor, Duration every) {
        if (watcher == null) {
            watcher = executor.scheduleWithFixedDelay(this::checkForChange, every.toNanos(), every.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /** Reloads when the files' size or modification time changed; keeps the old context if they don't load. */
    public synchronized boolean checkForChange() {
        String now = fingerprint();
        if (now.equals(fingerprint)) {
            return false;
        }
        try {
            current = load();
            fingerprint = now;
            log.info("TLS certificate reloaded from {}", certificateChain);
            return true;
        } catch (IllegalStateException e) {
            // Renewal tools write the two files one after the other: retry at the next check.
            log.warn("TLS certificate {} changed but cannot be loaded, keeping the previous one: {}",
                    certificateChain, e.getMessage());
            return false;
        }
    }

    private SslContext load() {
        try {
            TlsKeyMaterial material = TlsKeyMaterial.load(certificateChain, privateKey);
            return SslContextBuilder.forServer(material.privateKey(), material.chain()).build();
        } catch (TlsKeyMaterial.Unusable e) {
            throw new IllegalStateException(describe(certificateChain, privateKey, e), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load TLS certificate " + certificateChain + " / key "
                    + privateKey + ": " + e.getMessage(), e);
        }
    }

    /** One line naming the file and the problem, as the start failure and the reload warning print it. */
    static String describe(Path certificateChain, Path privateKey, TlsKeyMaterial.Unusable e) {
        Path file = e.part() == TlsKeyMaterial.Part.PRIVATE_KEY ? privateKey : certificateChain;
        String what = e.part() == TlsKeyMaterial.Part.PRIVATE_KEY ? "TLS private key " : "TLS certificate chain ";
        return "cannot load " + what + file + ": " + e.getMessage();
    }

    private String fingerprint() {
        return stat(certificateChain) + "|" + stat(privateKey);
    }

    private static String stat(Path p) {
        try {
            return Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.cancel(false);
            watcher = null;
        }
    }
}
