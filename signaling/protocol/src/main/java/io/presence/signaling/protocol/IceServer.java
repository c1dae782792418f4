package io.presence.signaling.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One {@code RTCIceServer} as the browser takes it: STUN and TURN URLs with the TURN credentials. A credential
 * on a {@code stun:} URL is allowed and ignored by browsers, which lets one entry carry all URLs without nulls.
 * {@code toString()} never shows the credential.
 */
public record IceServer(List<String> urls, String username, String credential) {

    public IceServer {
        urls = List.copyOf(urls);
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(credential, "credential");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("urls must not be empty");
        }
    }

    @Override
    public String toString() {
        return "IceServer[urls=" + urls + ", username=" + username + ", credential=<redacted>]";
    }
}
