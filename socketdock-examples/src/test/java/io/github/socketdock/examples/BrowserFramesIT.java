package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import io.github.socketdock.SocketDock;
import io.github.socketdock.testing.MockMediator;
import io.github.socketdock.testing.MockMediator.Envelope;
import io.github.socketdock.testing.MockMediator.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * What a real browser gets: headless Chromium (Debian's {@code chromium}, driven through Debian's
 * {@code chromium-driver} by WebDriver) loads {@code browser/frames.html}, which opens a WebSocket
 * to an embedded SocketDock relaying over HTTP to the test kit's {@link MockMediator}. A browser
 * hands a text frame to {@code onmessage} as a string and a binary frame as a {@code Blob} (or an
 * {@code ArrayBuffer}), so a mediator that wants a browser to read a string must send text.
 *
 * <p>One browser session serves every test; each test loads the page afresh (a new connection),
 * and the page's first text frame, a token unique to the test, tells the test which envelope is
 * its own connection's, to answer through.
 */
@Tag("system-programs") // needs a program a JDK-only machine lacks: run with -Psystem-programs
class BrowserFramesIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger PAGES = new AtomicInteger();
    /**
     * Selenium warns, at every session, that it ships no DevTools (CDP) bindings for this Chromium's
     * version; the test uses WebDriver only, never CDP, so the warning would only mislead. Held
     * here so the level sticks (java.util.logging keeps loggers weakly).
     */
    private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    private static MockMediator mediator;
    private static SocketDock dock;
    private static HttpServer pageServer;
    private static Path profile;
    private static ChromeDriverService driverService;
    private static ChromeDriver browser;

    @BeforeAll
    static void startRelayPageAndBrowser() throws Exception {
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
        requireInstalled(CHROMIUM, "chromium");
        requireInstalled(CHROMEDRIVER, "chromium-driver");

        mediator = MockMediator.start();
        dock = SocketDock.builder()
                .port(0)
                .backend(mediator.backend())
                .build()
                .start();
        pageServer = servePage("/frames.html", "/browser/frames.html");

        profile = Files.createTempDirectory("socketdock-chromium-profile");
        // Both paths are explicit, so Selenium Manager is never asked to find (or download) anything.
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile);
        browser = new ChromeDriver(driverService, options);
        browser.manage().timeouts().pageLoadTimeout(TIMEOUT);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        List<Exception> failures = new ArrayList<>();
        run(failures, () -> {
            if (browser != null) {
                browser.quit(); // ends Chromium and, with it, the driver service
            }
        });
        run(failures, () -> {
            if (driverService != null) {
                driverService.stop(); // in case the session never started or quit failed
            }
        });
        run(failures, () -> {
            if (pageServer != null) {
                pageServer.stop(0);
            }
        });
        run(failures, () -> {
            if (dock != null) {
                dock.close();
            }
        });
        run(failures, () -> {
            if (mediator != null) {
                mediator.close();
            }
        });
        run(failures, () -> {
            if (profile != null) {
                deleteRecursively(profile);
            }
        });
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    @Test
    void textSentByThePageReachesTheBackendAsATextFrame() {
        String hello = "hello from the browser ✓ " + PAGES.incrementAndGet();
        openPage(hello, "blob");

        Envelope message = awaitMessage(hello);
        assertThat(message.message()).isEqualTo(hello);
        // That the keys are absent, not only that the frame is not binary (Envelope.isBinary()):
        // read from the body itself.
        JsonObject body = JsonParser.parseString(message.body()).getAsJsonObject();
        assertThat(body.getAsJsonObject("meta").has("frame"))
                .as("a text frame carries no \"frame\":\"binary\"").isFalse();
        assertThat(body.has("encoding")).isFalse();

        String id = message.connectionId();
        Envelope connect = mediator.envelopes().stream()
                .filter(e -> e.kind() == Kind.CONNECT && e.connectionId().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no connect for connection " + id));
        assertThat(connect.upgradeHeaders().get("origin")).isEqualTo(pageOrigin());
    }

    @Test
    void textPlainSendArrivesInThePageAsAString() throws Exception {
        Envelope message = openPageAndFindItsMessage("blob");

        // POSTs the text to the envelope's meta.send as text/plain; charset=utf-8
        assertThat(mediator.reply(message, "from the mediator ✓")).isEqualTo(200);

        Map<String, Object> frame = awaitFrames(1).get(0);
        assertThat(frame)
                .containsEntry("typeOf", "string")
                .containsEntry("isString", true)
                .containsEntry("isBlob", false)
                .containsEntry("isArrayBuffer", false)
                .containsEntry("text", "from the mediator ✓");
    }

    @ParameterizedTest(name = "binaryType {0}")
    @ValueSource(strings = {"blob", "arraybuffer"})
    void octetStreamSendArrivesInThePageAsBinary(String binaryType) throws Exception {
        Envelope message = openPageAndFindItsMessage(binaryType);
        // Not UTF-8 (0x80, 0xff), and a NUL: a binary frame has to carry these bytes untouched.
        byte[] bytes = {0x00, 0x01, (byte) 0x80, (byte) 0xff, 'h', 'i'};

        // POSTs the bytes to the envelope's meta.send as application/octet-stream
        assertThat(mediator.reply(message, bytes)).isEqualTo(200);

        Map<String, Object> frame = awaitFrames(1).get(0);
        boolean blob = binaryType.equals("blob");
        assertThat(frame)
                .containsEntry("typeOf", "object")
                .containsEntry("isString", false)
                .containsEntry("constructorName", blob ? "Blob" : "ArrayBuffer")
                .containsEntry("isBlob", blob)
                .containsEntry("isArrayBuffer", !blob)
                .containsEntry("size", (long) bytes.length)
                .containsEntry("hex", HexFormat.of().formatHex(bytes));
    }

    @Test
    void textAndBinarySendsArriveInOrderEachInItsOwnType() throws Exception {
        Envelope message = openPageAndFindItsMessage("blob");

        assertThat(mediator.reply(message, "first")).isEqualTo(200);
        assertThat(mediator.reply(message, new byte[] {2})).isEqualTo(200);
        assertThat(mediator.reply(message, "third")).isEqualTo(200);

        List<Map<String, Object>> frames = awaitFrames(3);
        assertThat(frames).extracting(f -> f.get("constructorName")).containsExactly("String", "Blob", "String");
        assertThat(frames).extracting(f -> f.get("text")).containsExactly("first", null, "third");
        assertThat(frames.get(1)).containsEntry("hex", "02");
    }

    /** A receipt needs nothing of the page: Chromium's WebSocket stack answers the proving ping itself. */
    @Test
    void aReceiptedSendIsProvenByTheBrowsersOwnPong() throws Exception {
        Envelope message = openPageAndFindItsMessage("blob");

        assertThat(mediator.replyWithReceipt(message, "proven ✓", TIMEOUT)).as("delivered").isEqualTo(200);

        assertThat(awaitFrames(1).get(0)).containsEntry("text", "proven ✓");
    }

    // --- the page --------------------------------------------------------------------------

    /** Loads the page, which connects to the relay and sends {@code hello} once open. */
    private static void openPage(String hello, String binaryType) {
        String ws = dock.uri().toString();
        browser.get(pageOrigin() + "/frames.html?ws=" + encode(ws) + "&hello=" + encode(hello)
                + "&binaryType=" + encode(binaryType));
    }

    /** Loads the page and returns the envelope of its first message, to answer its connection through. */
    private static Envelope openPageAndFindItsMessage(String binaryType) {
        String hello = "page " + PAGES.incrementAndGet();
        openPage(hello, binaryType);
        return awaitMessage(hello);
    }

    /** Waits until the page has reported at least {@code count} frames; returns them in arrival order. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> awaitFrames(int count) {
        return awaitPage("the page to report " + count + " frame(s)",
                () -> (List<Map<String, Object>>) js("return window.socketdock.frames;"),
                frames -> frames.size() >= count);
    }

    private static Envelope awaitMessage(String text) {
        return awaitPage("the mediator to receive the page's message \"" + text + "\"",
                () -> mediator.envelopes().stream()
                        .filter(e -> e.kind() == Kind.MESSAGE && e.message().equals(text))
                        .findFirst(),
                Optional::isPresent).orElseThrow();
    }

    /** Waits for {@code done}; on timeout, fails with what the page itself reports. */
    private static <T> T awaitPage(String what, Callable<T> value, Predicate<T> done) {
        try {
            return Awaitility.await(what)
                    .atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(value, done::test);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; the page reports "
                    + js("return JSON.stringify(window.socketdock);"), e);
        }
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static String pageOrigin() {
        return "http://127.0.0.1:" + pageServer.getAddress().getPort();
    }

    /**
     * Serves one classpath resource over HTTP on 127.0.0.1: the page and the relay then share the
     * loopback address space, so no browser policy on local-network access can get in the way.
     */
    private static HttpServer servePage(String path, String resource) throws IOException {
        byte[] page;
        try (InputStream in = BrowserFramesIT.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            page = in.readAllBytes();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (exchange.getRequestURI().getPath().equals(path)) {
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    exchange.getResponseHeaders().set("Cache-Control", "no-store");
                    exchange.sendResponseHeaders(200, page.length);
                    exchange.getResponseBody().write(page);
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        });
        server.start();
        return server;
    }

    // --- plumbing --------------------------------------------------------------------------

    private static void requireInstalled(Path executable, String debianPackage) {
        if (!Files.isExecutable(executable)) {
            fail(executable + " is missing: BrowserFramesIT drives Debian's chromium through Debian's"
                    + " chromium-driver, and .ci/run installs both (apt-get install chromium chromium-driver)."
                    + " Run .ci/run, or install the package " + debianPackage + ".");
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void run(List<Exception> failures, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failures.add(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
