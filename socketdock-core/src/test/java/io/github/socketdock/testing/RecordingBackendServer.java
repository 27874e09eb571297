package io.github.socketdock.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * A real HTTP backend for tests: an embedded Jetty server on {@code 127.0.0.1:0} that records every
 * request in arrival order and answers 200 — or holds the answer open for paths marked with
 * {@link #holdAnswers(String)} until {@link #releaseHeld()}.
 */
public final class RecordingBackendServer implements AutoCloseable {

    /** One recorded request. */
    public record Recorded(long seq, String method, String path, Map<String, String> headers, byte[] body) {
        /** @return the body as UTF-8 text */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** @return the body parsed as a JSON object */
        public JsonObject json() {
            return JsonParser.parseString(text()).getAsJsonObject();
        }

        /** @return a header by lower-case name */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Server server = new Server();
    private ServerConnector connector = new ServerConnector(server);
    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile Predicate<Recorded> holding = r -> false;
    private volatile java.util.function.ToIntFunction<Recorded> chooser = r -> 0;
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private final Map<String, java.util.function.IntSupplier> statuses = new ConcurrentHashMap<>();
    private volatile Consumer<Recorded> onRequest = r -> { };
    private volatile Predicate<String> resetUnread = path -> false;
    /** Status written by arrival number, once the answer was written whole. */
    private final Map<Long, Integer> answered = new ConcurrentHashMap<>();
    private final java.util.Set<Long> dropped = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger resets = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Set<Long> heldSeqs = ConcurrentHashMap.newKeySet();
    private volatile Duration lateBy = Duration.ofMillis(50);

    private RecordingBackendServer() {
    }

    /** @return a started server on 127.0.0.1 and a free port */
    public static RecordingBackendServer start() throws Exception {
        return start(0);
    }

    /**
     * @return a started HTTPS server on 127.0.0.1 and a free port, with the certificate of
     * {@code keystore}; with {@code clientTrust}, it requires a client certificate it trusts
     */
    public static RecordingBackendServer startTls(java.nio.file.Path keystore, java.nio.file.Path clientTrust) throws Exception {
        org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        ssl.setKeyStorePath(keystore.toString());
        ssl.setKeyStorePassword(TestKeystores.PASSWORD);
        ssl.setKeyStoreType("PKCS12");
        if (clientTrust != null) {
            ssl.setTrustStorePath(clientTrust.toString());
            ssl.setTrustStorePassword(TestKeystores.PASSWORD);
            ssl.setTrustStoreType("PKCS12");
            ssl.setNeedClientAuth(true);
        }
        RecordingBackendServer s = new RecordingBackendServer();
        s.connector = new ServerConnector(s.server, ssl);
        return s.startOn(0, "https");
    }

    /** @return a started server on 127.0.0.1 and {@code port} (0 for a free one), e.g. to restart a backend */
    public static RecordingBackendServer start(int port) throws Exception {
        return new RecordingBackendServer().startOn(port, "http");
    }

    private volatile String scheme = "http";

    private RecordingBackendServer startOn(int port, String scheme) throws Exception {
        RecordingBackendServer s = this;
        s.scheme = scheme;
        s.connector.setHost("127.0.0.1");
        s.connector.setPort(port);
        s.server.addConnector(s.connector);
        s.server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                s.record(request, response, callback);
                return true;
            }
        });
        s.server.start();
        return s;
    }


    private void record(Request request, Response response, Callback callback) {
        long n = seq.incrementAndGet();
        Map<String, String> headers = new TreeMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.put(f.getLowerCaseName(), f.getValue());
        }
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (resetUnread.test(path)) {
            // the connection ends before the body is read: recorded as a reset, not as an arrival
            resets.incrementAndGet();
            request.getConnectionMetaData().getConnection().getEndPoint().close();
            callback.failed(new org.eclipse.jetty.io.EofException("reset by the test"));
            return;
        }
        Content.Source.asByteArrayAsync(request, 64 * 1024 * 1024, Promise.Invocable.from(
                Invocable.InvocationType.NON_BLOCKING, (byte[] body, Throwable failure) -> {
            if (failure != null) {
                callback.failed(failure);
                return;
            }
            Recorded r = new Recorded(n, method, path, headers, body);
            recorded.add(r);
            try {
                onRequest.accept(r);
            } catch (RuntimeException e) {
                callback.failed(e);
                return;
            }
            int chosen = chooser.applyAsInt(r);
            if (chosen == DROP) {
                dropped.add(n);
                // read whole, then the connection ends with no answer: a backend killed mid-request
                request.getConnectionMetaData().getConnection().getEndPoint().close();
                callback.failed(new org.eclipse.jetty.io.EofException("dropped by the test"));
                return;
            }
            Runnable answer = () -> {
                java.util.function.IntSupplier status = statuses.get(path);
                int code = chosen > 0 ? chosen : status == null ? 200 : status.getAsInt();
                response.setStatus(code);
                Content.Sink.write(response, true, "ok", Callback.from(() -> {
                    answered.put(n, code);
                    callback.succeeded();
                }, callback::failed));
            };
            if (chosen == HOLD || holding.test(r)) {
                held.add(answer);
                heldSeqs.add(n);
            } else if (chosen == LATE) {
                java.util.concurrent.CompletableFuture.delayedExecutor(lateBy.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS).execute(answer);
            } else {
                answer.run();
            }
        }));
    }

    /** @return {@code http://127.0.0.1:<port><path>} */
    public URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + connector.getLocalPort() + path);
    }

    /** What {@link #answerBy} returns to close the connection once the request was read, answering nothing. */
    public static final int DROP = -1;
    /** What {@link #answerBy} returns to hold the answer until {@link #releaseHeld()} or {@link #kill()}. */
    public static final int HOLD = -2;
    /** What {@link #answerBy} returns to answer 200 after {@link #answerLateBy(Duration)}. */
    public static final int LATE = -3;

    /**
     * Requests to paths {@code which} selects (asked once per request, before its body is read) end
     * their connection before the body is read.
     */
    public RecordingBackendServer resetUnread(Predicate<String> which) {
        this.resetUnread = which;
        return this;
    }

    /** @return how many requests ended before their body was read ({@link #resetUnread}) */
    public int resets() {
        return resets.get();
    }

    /** How long a {@link #LATE} answer takes. */
    public RecordingBackendServer answerLateBy(Duration delay) {
        this.lateBy = delay;
        return this;
    }

    /**
     * The backend is killed: every connection ends at once, held answers and requests under way
     * included, and nothing listens until {@link #restart()}. What it recorded stays.
     *
     * @return the arrival numbers of the requests it had read but not answered whole nor dropped
     *     on purpose: the kill decided their fate (held answers, late ones, answers being written)
     */
    public java.util.Set<Long> kill() throws Exception {
        int port = connector.getLocalPort();
        server.stop();
        connector.setPort(port);
        held.clear();
        heldSeqs.clear();
        java.util.Set<Long> cut = new java.util.TreeSet<>();
        for (Recorded r : recorded) {
            if (!answered.containsKey(r.seq()) && !dropped.contains(r.seq())) {
                cut.add(r.seq());
            }
        }
        return cut;
    }

    /** @return the status of the request with arrival number {@code seq} if its answer was written whole, else null */
    public Integer answered(long seq) {
        return answered.get(seq);
    }

    /** @return whether the answer of the request with arrival number {@code seq} is held now */
    public boolean holding(long seq) {
        return heldSeqs.contains(seq);
    }

    /** Starts a killed backend again on the same port. */
    public void restart() throws Exception {
        server.start();
    }

    /**
     * Decides each answer: a status, {@link #DROP}, {@link #HOLD}, {@link #LATE}, or 0 for what the
     * other settings say (the chaotic backend of the delivery tests).
     */
    public RecordingBackendServer answerBy(java.util.function.ToIntFunction<Recorded> choose) {
        this.chooser = choose;
        return this;
    }

    /** Answers requests to {@code path} only when {@link #releaseHeld()} is called. */
    public RecordingBackendServer holdAnswers(String path) {
        return holdAnswers(r -> r.path().equals(path));
    }

    /** Answers the requests that {@code which} selects only when {@link #releaseHeld()} is called. */
    public RecordingBackendServer holdAnswers(Predicate<Recorded> which) {
        this.holding = which;
        return this;
    }

    /** Answers every held request and stops holding. */
    public void releaseHeld() {
        holding = r -> false;
        List<Runnable> toRun = new ArrayList<>(held);
        held.clear();
        heldSeqs.clear();
        toRun.forEach(Runnable::run);
    }

    /** @return how many answers are held now */
    public int heldCount() {
        return held.size();
    }

    /** Answers requests to {@code path} with {@code status}. */
    public RecordingBackendServer answer(String path, int status) {
        statuses.put(path, () -> status);
        return this;
    }

    /** Answers requests to {@code path} with these statuses in turn, then 200. */
    public RecordingBackendServer answerInTurn(String path, int... inTurn) {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        statuses.put(path, () -> {
            int i = next.getAndIncrement();
            return i < inTurn.length ? inTurn[i] : 200;
        });
        return this;
    }

    /** @return the port it listens on */
    public int port() {
        return connector.getLocalPort();
    }

    /** Runs {@code action} for every request, after recording it and before answering. */
    public RecordingBackendServer onRequest(Consumer<Recorded> action) {
        this.onRequest = action;
        return this;
    }

    /** @return every request so far, in arrival order (the order their handling began) */
    public List<Recorded> requests() {
        List<Recorded> all = new ArrayList<>(recorded);
        all.sort(java.util.Comparator.comparingLong(Recorded::seq));
        return all;
    }

    /** @return the requests to {@code path} so far, in arrival order */
    public List<Recorded> requests(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).collect(Collectors.toList());
    }

    /** Waits until at least {@code count} requests to {@code path} arrived; returns them. */
    public List<Recorded> await(String path, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> requests(path).size() >= count);
        return requests(path);
    }

    @Override
    public void close() throws Exception {
        releaseHeld();
        server.stop();
    }
}
