package io.presence.signaling.api;

import io.presence.signaling.http.HttpRequest;
import io.presence.signaling.runtime.TimeSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a request comes from the host platform: an API key as {@code Authorization: Bearer <key>}, or an
 * HMAC-SHA256 signature by a key ({@code X-Presence-Timestamp}, {@code X-Presence-Signature}) over
 * {@code METHOD \n target \n timestamp \n sha256hex(body)}, where target is the path and query exactly as sent.
 * Keys are compared in constant time, every key each time, so the answer's timing tells nothing about a key.
 * A signature is good once, within {@link ApiSettings#replayWindow()} of the server's clock.
 *
 * <p>Thread-safe.
 */
final class ApiAuthenticator {
    static final String TIMESTAMP = "X-Presence-Timestamp";
    static final String SIGNATURE = "X-Presence-Signature";
    private static final HexFormat HEX = HexFormat.of();

    /** Null when granted; else why not, said to the caller as is (it names no key). */
    record Verdict(String refusal) {
        static final Verdict GRANTED = new Verdict(null);

        boolean granted() {
            return refusal == null;
        }
    }

    private final List<byte[]> keys;
    private final long windowMillis;
    private final TimeSource time;
    private final SeenSignatures seen;

    ApiAuthenticator(ApiSettings settings, TimeSource time, SeenSignatures seen) {
        this.keys = settings.keys().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.windowMillis = settings.replayWindow().toMillis();
        this.time = time;
        this.seen = seen;
    }

    Verdict check(HttpRequest request) {
        String authorization = request.header("Authorization");
        String signature = request.header(SIGNATURE);
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return new Verdict("the Authorization header must be 'Bearer <API key>'");
            }
            return anyKeyEquals(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8))
                    ? Verdict.GRANTED : new Verdict("wrong API key");
        }
        if (signature == null) {
            return new Verdict("missing authentication: 'Authorization: Bearer <API key>' or a signature ("
                    + TIMESTAMP + ", " + SIGNATURE + ")");
        }
        return checkSignature(request, signature.trim().toLowerCase(Locale.ROOT));
    }

    private Verdict checkSignature(HttpRequest request, String signature) {
        String timestamp = request.header(TIMESTAMP);
        long seconds;
        try {
            seconds = Long.parseLong(timestamp == null ? "" : timestamp.trim());
        } catch (NumberFormatException e) {
            return new Verdict(TIMESTAMP + " must be the request's time in unix seconds");
        }
        long now = time.millis();
        long at = seconds * 1000;
        if (seconds > Long.MAX_VALUE / 1000 || seconds < 0 || Math.abs(now - at) > windowMillis) {
            return new Verdict("the signature's timestamp is outside the replay window of "
                    + windowMillis / 1000 + " s (check the clock)");
        }
        byte[] given;
        try {
            given = HEX.parseHex(signature);
        } catch (IllegalArgumentException e) {
            return new Verdict(SIGNATURE + " must be hex");
        }
        byte[] payload = (request.method() + "\n" + request.target() + "\n" + timestamp.trim() + "\n"
                + HEX.formatHex(sha256(request.body()))).getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(hmac(key, payload), given);
        }
        if (!match) {
            return new Verdict("wrong signature");
        }
        return switch (seen.use(signature, at + windowMillis + 1, now)) {
            case FRESH -> Verdict.GRANTED;
            case REPLAYED -> new Verdict("this signature was used already (replayed request)");
            case FULL -> new Verdict("too many signed requests in the replay window; retry shortly");
        };
    }

    private boolean anyKeyEquals(byte[] given) {
        boolean match = false;
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(key, given);
        }
        return match;
    }

    static byte[] hmac(byte[] key, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
