package io.github.socketdock.internal.relay;

/** Why an upgrade is refused: the HTTP status the client gets, and one line saying why. */
public final class UpgradeRefused extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    public UpgradeRefused(int status, String why) {
        super(why, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
