package io.github.socketdock;

import java.util.List;
import java.util.function.Consumer;

/**
 * Listeners as one ({@link SocketDockListener#of}): each gets every event, in order. One that
 * throws does not keep the others from theirs; the first failure is thrown after all were called.
 */
final class CombinedListener implements SocketDockListener {

    private final SocketDockListener[] listeners;

    CombinedListener(List<SocketDockListener> listeners) {
        this.listeners = listeners.toArray(SocketDockListener[]::new);
    }

    private void each(Consumer<SocketDockListener> event) {
        Throwable first = null;
        for (SocketDockListener l : listeners) {
            try {
                event.accept(l);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // an AssertionError of a test's listener, a NoClassDefFoundError of a metrics jar
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException(first); // a checked exception thrown sneakily
        }
    }

    @Override
    public void connectionOpened(Connection connection) {
        each(l -> l.connectionOpened(connection));
    }

    @Override
    public void connectionClosed(Connection connection, CloseStatus status) {
        each(l -> l.connectionClosed(connection, status));
    }

    @Override
    public void messageIn(Connection connection, long bytes) {
        each(l -> l.messageIn(connection, bytes));
    }

    @Override
    public void messageOut(Connection connection, long bytes) {
        each(l -> l.messageOut(connection, bytes));
    }

    @Override
    public void backendCall(BackendCall call) {
        each(l -> l.backendCall(call));
    }

    @Override
    public void backendGaveUp(String connectionId, BackendEvent event, GiveUpReason reason) {
        each(l -> l.backendGaveUp(connectionId, event, reason));
    }

    @Override
    public void sendAnswered(String connectionId, int status) {
        each(l -> l.sendAnswered(connectionId, status));
    }

    @Override
    public void paused(Connection connection, PauseReason reason) {
        each(l -> l.paused(connection, reason));
    }

    @Override
    public void resumed(Connection connection, PauseReason reason) {
        each(l -> l.resumed(connection, reason));
    }

    @Override
    public void budgetLevel(long usedBytes, long limitBytes) {
        each(l -> l.budgetLevel(usedBytes, limitBytes));
    }
}
