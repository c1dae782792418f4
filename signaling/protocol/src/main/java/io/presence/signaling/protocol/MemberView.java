package io.presence.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A room member as others see it. {@code memberId} is the member's public session id (never its resume token);
 * {@code state} is {@code online} or {@code reconnecting}; {@code role} is {@code owner}, {@code member} or
 * {@code guest} (signed in with an invite, without an account).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberView(String memberId, String userId, String displayName, String avatarUrl, String state,
                         String role) {
}
