package io.github.socketdock.internal.relay;

import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.SocketDockListener;
import io.github.socketdock.SocketDockStats;
import io.github.socketdock.internal.common.LimitedLog;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the relay's parts report what happens: the SocketDock's own {@link SocketDockStats} and
 * the application's listeners, as one listener that never throws. A listener that fails is logged
 * (rate-limited) and the relay goes on; the others still hear the event.
 */
public final class Events implements SocketDockListener {

    private final SocketDockStats stats;
    private final SocketDockListener all;
    private final LimitedLog log;
    /** The budget level last reported, so that an unchanged level is not reported again. */
    private long lastLevel = -1;

    /**
     * @param stats     the SocketDock's own counts
     * @param listeners the application's listeners, in the order added
     * @param log       where a failing listener is told
     */
    Events(SocketDockStats stats, List<SocketDockListener> listeners, LimitedLog log) {
        this.stats = stats;
        List<SocketDockListener> each = new ArrayList<>(listeners.size() + 1);
        each.add(stats);
        each.addAll(listeners);
        this.all = SocketDockListener.of(each.toArray(SocketDockListener[]::new));
        this.log = log;
    }

    /** Events for a relay with no SocketDock around it (a backend used on its own): counted, not heard. */
    static Events counting(LimitedLog log) {
        return new Events(new SocketDockStats(), List.of(), log);
    }

    /** @return the SocketDock's own counts */
    SocketDockStats stats() {
        return stats;
    }

    /** The budget's level, told to the listeners when it changed since the last report (housekeeping's thread only). */
    void budgetSample(long used, long limit) {
        if (used != lastLevel) {
            lastLevel = used;
            budgetLevel(used, limit);
        }
    }

    private void failed(String event, Throwable e) {
        log.log(LimitedLog.Kind.LISTENER_FAILED, "a SocketDockListener failed on {}: {}", event, e.toString(), e);
    }

    @Override
    public void connectionOpened(Connection connection) {
        try {
            all.connectionOpened(connection);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // an Error of a listener too: the relay goes on
            failed("connectionOpened", e);
        }
    }

    @Override
    public void connectionClosed(Connection connection, CloseStatus status) {
        try {
            all.connectionClosed(connection, status);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // an Error of a listener too: the relay goes on
            failed("connectionClosed", e);
        }
    }

    @Override
    public void messageIn(Connection connection, long bytes) {
        try {
            all.messageIn(connection, bytes);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // an Error of a listener too: the relay goes on
            failed("messageIn", e);
        }
    }

    @Override
    public void messageOut(Connection connection, long bytes) {
        try {
            all.messageOut(connection, bytes);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // an Error of a listener too: the relay goes on
            failed("messageOut", e);
        }
    }

    @Override
    public void backendCall(BackendCall call) {
        try {
            all.backendCall(call);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // an Error of a listener too: the relay goes on
            failed("backendCall", e);
        }
    }

    @Override
    public void backendGaveUp(String connectionId, BackendEvent event, GiveUpReason reason) {
        try {
            all.backendGaveUp(connectionId, event, reason);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // an Error of a listener too: the relay goes on
            failed("backendGaveUp", e);
        }
    }

    @Override
    public void sendAnswered(String connectionId, int status) {
        try {
            all.sendAnswered(connectionId, status);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // an Error of a listener too: the relay goes on
            failed("sendAnswered", e);
        }
    }

    @Override
    public void paused(Connection connection, PauseReason reason) {
        try {
            all.paused(connection, reason);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // an Error of a listener too: the relay goes on
            failed("paused", e);
        }
    }

    @Override
    public void resumed(Connection connection, PauseReason reason) {
        try {
            all.resumed(connection, reason);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // an Error of a listener too: the relay goes on
            failed("resumed", e);
        }
    }

    @Override
    public void budgetLevel(long usedBytes, long limitBytes) {
        try {
            all.budgetLevel(usedBytes, limitBytes);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // an Error of a listener too: the relay goes on
            failed("budgetLevel", e);
        }
    }
}
