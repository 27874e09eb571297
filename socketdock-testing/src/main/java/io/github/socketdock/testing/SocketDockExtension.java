package io.github.socketdock.testing;

import io.github.socketdock.Backend;
import io.github.socketdock.SocketDock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that starts a SocketDock on {@code 127.0.0.1} and a free port before each
 * test, with a backend of the test's choosing, and after the test closes every socket it opened,
 * the dock (which posts the disconnects) and the mock mediator, in that order.
 *
 * <p>A mediator author's test, end to end through a real socket and real HTTP:
 * <pre>{@code
 * class MediatorTest {
 *     @RegisterExtension
 *     SocketDockExtension relay = SocketDockExtension.withMockMediator();
 *
 *     @Test
 *     void answersThroughTheCallbackUrl() throws Exception {
 *         TestWebSocket wallet = relay.connect();
 *         wallet.send("{\"type\":\"ping\"}");
 *         MockMediator.Envelope in = relay.mediator().takeEnvelope(MockMediator.Kind.MESSAGE, Duration.ofSeconds(5));
 *         assertEquals(200, relay.mediator().reply(in, "{\"type\":\"pong\"}"));
 *         assertEquals("{\"type\":\"pong\"}", wallet.takeText(Duration.ofSeconds(5)));
 *     }
 * }
 * }</pre>
 *
 * <p>The three ways to give the dock its backend:
 * <ul>
 *   <li>{@link #withRecordingBackend()}: an in-process {@link RecordingBackend}, one per test;</li>
 *   <li>{@link #withMockMediator()}: the {@code http} backend posting to a {@link MockMediator}
 *       started for each test;</li>
 *   <li>{@link #withBackend(Supplier)}: any backend, for instance {@code Backends.http(...)} posting
 *       to the mediator under test.</li>
 * </ul>
 * {@link #configure} changes the dock's other settings; the shutdown timeout is
 * {@link #SHUTDOWN_TIMEOUT} unless set there. One extension runs one dock at a time: register it
 * in an instance field and do not run the tests that use it concurrently (a second dock started
 * while one runs fails the test).
 */
public final class SocketDockExtension implements BeforeEachCallback, AfterEachCallback {

    /**
     * The dock's shutdown timeout unless {@link #configure} sets one: what a test that leaves a
     * backend stage pending costs at most when the dock closes after it.
     */
    public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    /** Makes the backend for one test; the mediator is null unless it was asked for. */
    private interface BackendFactory {
        Backend create(MockMediator mediator) throws Exception;
    }

    private final boolean startsMediator;
    private final BackendFactory backends;
    private UnaryOperator<SocketDock.Builder> settings = UnaryOperator.identity();

    private MockMediator mediator;
    private Backend backend;
    private SocketDock dock;
    private final List<TestWebSocket> sockets = new CopyOnWriteArrayList<>();

    private SocketDockExtension(boolean startsMediator, BackendFactory backends) {
        this.startsMediator = startsMediator;
        this.backends = backends;
    }

    /** @return an extension whose docks deliver to a new {@link RecordingBackend} in each test */
    public static SocketDockExtension withRecordingBackend() {
        return new SocketDockExtension(false, m -> RecordingBackend.create());
    }

    /** @return an extension whose docks post to a new {@link MockMediator} in each test */
    public static SocketDockExtension withMockMediator() {
        return new SocketDockExtension(true, MockMediator::backend);
    }

    /**
     * @param backend makes each test's backend, for instance {@code Backends.http(...)} posting to
     *                the mediator under test, or an in-process backend of the test's own
     * @return an extension whose docks deliver to that backend
     */
    public static SocketDockExtension withBackend(Supplier<Backend> backend) {
        Objects.requireNonNull(backend, "backend");
        return new SocketDockExtension(false, m -> backend.get());
    }

    /**
     * @param change changes to the dock's settings (host, port and backend are the extension's)
     * @return this extension
     */
    public SocketDockExtension configure(UnaryOperator<SocketDock.Builder> change) {
        this.settings = Objects.requireNonNull(change, "change");
        return this;
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) throws Exception {
        if (dock != null || mediator != null) {
            throw new IllegalStateException("this SocketDockExtension's dock is still running: register it in an "
                    + "instance field and do not run its tests concurrently");
        }
        try {
            mediator = startsMediator ? MockMediator.start() : null;
            backend = backends.create(mediator);
            dock = settings.apply(SocketDock.builder().shutdownTimeout(SHUTDOWN_TIMEOUT))
                    .host("127.0.0.1").port(0).backend(backend).build().start();
        } catch (Exception | Error e) {
            try {
                closeAll();
            } catch (RuntimeException | Error also) {
                e.addSuppressed(also);
            }
            throw e;
        }
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        closeAll();
    }

    /** Closes the test's sockets (together: each may wait for its close answer), the dock, the mediator. */
    private void closeAll() {
        RuntimeException failure = null;
        CompletableFuture.allOf(sockets.stream().map(s -> CompletableFuture.runAsync(s::close))
                .toArray(CompletableFuture[]::new)).join();
        sockets.clear();
        try {
            if (dock != null) {
                dock.close();
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            dock = null;
            if (mediator != null) {
                mediator.close();
            }
            mediator = null;
            backend = null;
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** @return this test's dock, started */
    public SocketDock dock() {
        return running();
    }

    /** @return this test's dock's WebSocket address, {@code ws://127.0.0.1:<port>/ws} */
    public URI webSocketUri() {
        return running().uri();
    }

    /**
     * @return a new client connected to this test's dock, closed after the test
     * @throws IOException if the upgrade was refused
     */
    public TestWebSocket connect() throws IOException {
        return connect(Map.of());
    }

    /**
     * @param headers headers of the upgrade request
     * @return a new client connected to this test's dock, closed after the test
     * @throws IOException if the upgrade was refused
     */
    public TestWebSocket connect(Map<String, String> headers) throws IOException {
        return connect(TestWebSocket.CLIENT, headers);
    }

    /**
     * @param client  the HTTP client to connect with, for instance one that trusts the dock's test certificate
     * @param headers headers of the upgrade request
     * @return a new client connected to this test's dock, closed after the test
     * @throws IOException if the upgrade was refused
     */
    public TestWebSocket connect(HttpClient client, Map<String, String> headers) throws IOException {
        TestWebSocket s = TestWebSocket.connect(client, webSocketUri(), headers);
        sockets.add(s);
        return s;
    }

    /**
     * @return this test's recording backend
     * @throws IllegalStateException if the dock has another backend
     */
    public RecordingBackend backend() {
        running();
        if (backend instanceof RecordingBackend r) {
            return r;
        }
        throw new IllegalStateException("this dock's backend is not a RecordingBackend: use withRecordingBackend()");
    }

    /**
     * @return this test's mock mediator
     * @throws IllegalStateException if the dock has none
     */
    public MockMediator mediator() {
        running();
        if (mediator == null) {
            throw new IllegalStateException("this dock posts to no mock mediator: use withMockMediator()");
        }
        return mediator;
    }

    private SocketDock running() {
        if (dock == null) {
            throw new IllegalStateException("no dock is running: it starts before each test and stops after it");
        }
        return dock;
    }
}
