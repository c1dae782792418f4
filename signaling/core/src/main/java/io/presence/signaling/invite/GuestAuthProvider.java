package io.presence.signaling.invite;

import io.presence.signaling.identity.AuthProvider;
import io.presence.signaling.identity.AuthResult;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.room.RandomIds;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The provider {@code guest}: signing in with an invite instead of an account. The hello's {@code invite} is
 * redeemed at once (resolving and redeeming are one step, so a single-use link admits one guest), and the guest
 * becomes a new user {@code guest:<random>} that is a member of the invite's room with the role {@code guest}, and
 * may act in that room only ({@link Principal#onlyRoom()}). A guest only ever reaches a room an owner or admin
 * made an invite for.
 *
 * <p>A refusal is a failed sign-in like any other (the sign-in throttle counts it); its reason is the invite's
 * (invite_expired, ...), which the session answers with that error code.
 */
public final class GuestAuthProvider implements AuthProvider {
    public static final String NAME = "guest";
    public static final String USER_PREFIX = Principal.GUEST_USER_PREFIX;
    static final int USER_ID_BYTES = 16;

    private final Invites invites;

    public GuestAuthProvider(Invites invites) {
        this.invites = invites;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientMessage.Credentials credentials) {
        if (!NAME.equals(credentials.provider())) {
            return done(AuthResult.rejected("no_provider",
                    "no authentication provider accepts '" + credentials.provider() + "'"));
        }
        String name = GuestName.valid(credentials.displayName());
        if (name == null) {
            return done(AuthResult.rejected("bad_display_name", "guest sign-in: " + GuestName.RULE));
        }
        if (credentials.invite() == null || credentials.invite().isEmpty()) {
            return done(AuthResult.rejected("no_invite", "guest sign-in needs the 'invite' of a join link"));
        }
        String userId = USER_PREFIX + RandomIds.next(USER_ID_BYTES);
        return invites.admitGuest(credentials.invite(), userId, name).thenApply(admission -> {
            if (admission instanceof GuestAdmission.Admitted a) {
                return AuthResult.accepted(new Principal(userId, name, null, false, true,
                        Map.of(a.roomId(), Invites.ROLE_GUEST), a.roomId()));
            }
            InviteRefusal refusal = ((GuestAdmission.Refused) admission).refusal();
            return AuthResult.rejected(refusal.code().wire(), refusal.message());
        });
    }

    private static CompletionStage<AuthResult> done(AuthResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
