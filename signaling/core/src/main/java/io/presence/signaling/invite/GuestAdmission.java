package io.presence.signaling.invite;

/** The outcome of a guest's invite: the room it admits the guest to, or why not. */
public sealed interface GuestAdmission {

    record Admitted(String roomId) implements GuestAdmission {
    }

    record Refused(InviteRefusal refusal) implements GuestAdmission {
    }

    static GuestAdmission admitted(String roomId) {
        return new Admitted(roomId);
    }

    static GuestAdmission refused(InviteRefusal refusal) {
        return new Refused(refusal);
    }
}
