package io.github.socketdock.internal.relay;

/** Why an upgrade is refused: the HTTP status the client gets, and one line saying why. */
final class UpgradeRefused extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    UpgradeRefused(int status, String why) {
        super(why, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
