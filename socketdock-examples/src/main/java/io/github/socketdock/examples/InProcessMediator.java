package io.github.socketdock.examples;

import io.github.socketdock.Backend;
import io.github.socketdock.CloseStatus;
import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import io.github.socketdock.SocketDock;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A mediator that runs inside the relay's process: no HTTP hop between SocketDock and the
 * mediator.
 *
 * <p>It answers every message through {@link Connection#send(String)}, and shows the pattern an
 * in-process mediator uses for an agent that is away: a message for an agent that has no live
 * connection is queued (bounded), and delivered through {@link SocketDock#connection(String)}
 * once the agent is back. Agents name themselves with an {@code x-agent} upgrade header.
 */
public final class InProcessMediator implements Backend {

    /** Messages kept for one absent agent; older ones are dropped beyond this. */
    static final int MAX_QUEUED_PER_AGENT = 100;

    private final Map<String, String> connectionOfAgent = new ConcurrentHashMap<>();
    private final Map<String, Queue<String>> waiting = new ConcurrentHashMap<>();
    private volatile SocketDock dock;

    /** A mediator with no agent connected and nothing queued; {@link #start} attaches it. */
    public InProcessMediator() {
    }

    /** Tells the mediator which SocketDock to look connections up in. */
    void attach(SocketDock dock) {
        this.dock = dock;
    }

    @Override
    public CompletionStage<Void> onConnect(Connection connection) {
        String agent = connection.headers().get("x-agent");
        if (agent != null) {
            connectionOfAgent.put(agent, connection.id());
            Queue<String> queued = waiting.remove(agent);
            if (queued != null) {
                synchronized (queued) {
                    queued.forEach(text -> sendOrKeep(connection, agent, text));
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> onMessage(Connection connection, Message message) {
        String text = message.isText() ? message.text() : message.bytes().length + " bytes";
        return connection.send("ack: " + text);
    }

    @Override
    public CompletionStage<Void> onDisconnect(Connection connection, CloseStatus status) {
        connectionOfAgent.values().remove(connection.id());
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Delivers {@code text} to an agent now if it is connected, or when it is back. A send that
     * fails because the agent left meanwhile keeps the message for its next connection.
     *
     * @return true if sent now, false if queued
     */
    public boolean deliver(String agent, String text) {
        String id = connectionOfAgent.get(agent);
        SocketDock d = dock;
        if (id != null && d != null) {
            var live = d.connection(id);
            if (live.isPresent()) {
                sendOrKeep(live.get(), agent, text);
                return true;
            }
        }
        keep(agent, text);
        return false;
    }

    /** Sends now; a send that fails (the agent left meanwhile) keeps the message for next time. */
    private void sendOrKeep(Connection connection, String agent, String text) {
        connection.send(text).exceptionally(failure -> {
            keep(agent, text);
            return null;
        });
    }

    private void keep(String agent, String text) {
        Queue<String> queue = waiting.computeIfAbsent(agent, a -> new ArrayDeque<>());
        synchronized (queue) {
            if (queue.size() == MAX_QUEUED_PER_AGENT) {
                queue.poll();
            }
            queue.add(text);
        }
    }

    /**
     * Starts a SocketDock with this mediator inside it.
     *
     * @param port the port, 0 for any free one
     * @return the started SocketDock; close it when done
     */
    public static SocketDock start(InProcessMediator mediator, int port) {
        // tag::embed[]
        SocketDock dock = SocketDock.builder()
                .port(port)
                .backend(mediator)
                .build()
                .start();
        // end::embed[]
        mediator.attach(dock);
        return dock;
    }

    /** Runs the mediator on port 8765 until Ctrl-C. */
    public static void main(String[] args) throws InterruptedException {
        InProcessMediator mediator = new InProcessMediator();
        SocketDock dock = start(mediator, args.length > 0 ? Integer.parseInt(args[0]) : SocketDock.DEFAULT_PORT);
        Runtime.getRuntime().addShutdownHook(new Thread(dock::close, "socketdock-shutdown"));
        System.out.println("in-process mediator on " + dock.uri());
        Thread.currentThread().join();
    }
}
