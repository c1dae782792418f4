package io.presence.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A call participant as the others see it: its member id (the public session id), display name, and media state.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallPeer(String memberId, String displayName, boolean muted, boolean camera, boolean speaking) {
}
