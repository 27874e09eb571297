package io.github.socketdock.http;

import io.github.socketdock.internal.LogText;
import io.github.socketdock.internal.Require;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the {@code http} backend, which turns every socket event into a JSON POST to a
 * mediator (see {@link io.github.socketdock.Backends#http(HttpBackendOptions)}).
 *
 * <p>Immutable; build with {@link #builder(URI)}. Every setting has a default except the message
 * URI:
 *
 * <pre>{@code
 * HttpBackendOptions options = HttpBackendOptions.builder(URI.create("http://mediator:3000/message"))
 *         .connectUri(URI.create("http://mediator:3000/connect"))
 *         .disconnectUri(URI.create("http://mediator:3000/disconnect"))
 *         .build();
 * }</pre>
 *
 * @see io.github.socketdock.Backends#http(HttpBackendOptions)
 */
public final class HttpBackendOptions {

    /** Default bound on message answers awaited after delivery, in all: 1024. */
    public static final int DEFAULT_MAX_INFLIGHT = 1024;
    /** Default bound on pooled connections to the backend: 2048. */
    public static final int DEFAULT_MAX_CONNECTIONS = 2048;
    /** Default time to open a connection to the backend: 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default number of retries of a request that provably did not reach the backend: 5. */
    public static final int DEFAULT_RETRIES = 5;
    /** Default delay before the first retry, doubling each time: 1 second. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
    /** How long a disconnect notification keeps being retried, whatever the retry count: 60 seconds. */
    public static final Duration DISCONNECT_RETRY_PERIOD = Duration.ofSeconds(60);
    /** Default ordering window: 50 milliseconds. */
    public static final Duration DEFAULT_ORDERING_WINDOW = Duration.ofMillis(50);
    /** Default time for a whole request, answer included: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final URI messageUri;
    private final URI connectUri;
    private final URI disconnectUri;
    private final int maxInflight;
    private final int maxConnections;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final Duration orderingWindow;
    private final int retries;
    private final Duration retryBackoff;
    private final List<String> signingSecrets;
    private final Path trustStore;
    private final String trustStorePassword;
    private final Path keyStore;
    private final String keyStorePassword;

    private HttpBackendOptions(Builder b) {
        this.messageUri = b.messageUri;
        this.connectUri = b.connectUri;
        this.disconnectUri = b.disconnectUri;
        this.maxInflight = b.maxInflight;
        this.maxConnections = b.maxConnections;
        this.connectTimeout = b.connectTimeout;
        this.timeout = b.timeout;
        this.orderingWindow = b.orderingWindow;
        this.retries = b.retries;
        this.retryBackoff = b.retryBackoff;
        this.signingSecrets = b.signingSecrets;
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.keyStore = b.keyStore;
        this.keyStorePassword = b.keyStorePassword;
    }

    /**
     * Starts options for a backend that receives messages at {@code messageUri}.
     *
     * @param messageUri where every message is POSTed; an absolute {@code http} or {@code https} URI
     * @return a builder with every other setting at its default
     * @throws IllegalArgumentException if the URI is not absolute http(s)
     */
    public static Builder builder(URI messageUri) {
        return new Builder(messageUri);
    }

    /** @return a builder holding these settings, to derive a variant */
    public Builder newBuilder() {
        Builder b = new Builder(messageUri);
        b.connectUri = connectUri;
        b.disconnectUri = disconnectUri;
        b.maxInflight = maxInflight;
        b.maxConnections = maxConnections;
        b.connectTimeout = connectTimeout;
        b.timeout = timeout;
        b.orderingWindow = orderingWindow;
        b.retries = retries;
        b.retryBackoff = retryBackoff;
        b.signingSecrets = signingSecrets;
        b.trustStore = trustStore;
        b.trustStorePassword = trustStorePassword;
        b.keyStore = keyStore;
        b.keyStorePassword = keyStorePassword;
        return b;
    }

    /** @return where messages are POSTed */
    public URI messageUri() {
        return messageUri;
    }

    /** @return where connects are POSTed; empty when connects are not posted */
    public Optional<URI> connectUri() {
        return Optional.ofNullable(connectUri);
    }

    /** @return where disconnects are POSTed; empty when disconnects are not posted */
    public Optional<URI> disconnectUri() {
        return Optional.ofNullable(disconnectUri);
    }

    /** @return the bound on message answers awaited per connection */
    public int maxInflight() {
        return maxInflight;
    }

    /** @return the bound on pooled connections to each backend host */
    public int maxConnections() {
        return maxConnections;
    }

    /** @return the time allowed to open a connection to the backend */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the time allowed for a whole request, answer included */
    public Duration timeout() {
        return timeout;
    }

    /** @return how long the next message of a connection waits for the previous answer to begin */
    public Duration orderingWindow() {
        return orderingWindow;
    }

    /** @return how often a request that did not reach the backend, got 503, or lost its connection before an answer is retried */
    public int retries() {
        return retries;
    }

    /** @return the delay before the first retry; it doubles with each retry */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /** @return the secrets every request is signed with; empty when requests are not signed */
    public List<String> signingSecrets() {
        return signingSecrets;
    }

    /** @return the PKCS12 truststore for https backends, or empty to trust the JDK's default CAs */
    public Optional<Path> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    /** @return the truststore's password, or null */
    public String trustStorePassword() {
        return trustStorePassword;
    }

    /** @return the PKCS12 keystore presented to https backends (mutual TLS), or empty for none */
    public Optional<Path> keyStore() {
        return Optional.ofNullable(keyStore);
    }

    /** @return the keystore's password, or null */
    public String keyStorePassword() {
        return keyStorePassword;
    }

    /** @return every setting, secrets masked */
    @Override
    public String toString() {
        return "HttpBackendOptions[uris: message=" + messageUri + ", connect=" + (connectUri == null ? "none" : connectUri)
                + ", disconnect=" + (disconnectUri == null ? "none" : disconnectUri)
                + "; requests: maxInflight=" + maxInflight + ", maxConnections=" + (maxConnections == Integer.MAX_VALUE ? "unlimited" : maxConnections)
                + ", connectTimeout=" + LogText.duration(connectTimeout) + ", timeout=" + LogText.duration(timeout)
                + ", orderingWindow=" + LogText.duration(orderingWindow) + ", retries=" + retries
                + ", retryBackoff=" + LogText.duration(retryBackoff)
                + "; security: signingSecrets=" + (signingSecrets.isEmpty() ? "none" : signingSecrets.size() + " (masked)")
                + ", trustStore=" + (trustStore == null ? "default" : trustStore)
                + ", keyStore=" + (keyStore == null ? "none" : keyStore) + "]";
    }

    /** Builds {@link HttpBackendOptions}; every setter validates its value at once. */
    public static final class Builder {
        private final URI messageUri;
        private URI connectUri;
        private URI disconnectUri;
        private int maxInflight = DEFAULT_MAX_INFLIGHT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration orderingWindow = DEFAULT_ORDERING_WINDOW;
        private int retries = DEFAULT_RETRIES;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private List<String> signingSecrets = List.of();
        private Path trustStore;
        private String trustStorePassword;
        private Path keyStore;
        private String keyStorePassword;

        private Builder(URI messageUri) {
            this.messageUri = Require.httpUrl("message URI", messageUri);
        }

        /**
         * POST a connect event here when a client connects. Unset by default: connects are not
         * posted, as in the original.
         *
         * @param uri an absolute http(s) URI, or null to not post connects
         * @return this builder
         */
        public Builder connectUri(URI uri) {
            this.connectUri = uri == null ? null : Require.httpUrl("connect URI", uri);
            return this;
        }

        /**
         * POST a disconnect event here when a connection closes. Unset by default.
         *
         * @param uri an absolute http(s) URI, or null to not post disconnects
         * @return this builder
         */
        public Builder disconnectUri(URI uri) {
            this.disconnectUri = uri == null ? null : Require.httpUrl("disconnect URI", uri);
            return this;
        }

        /**
         * Bound on message answers awaited after their messages were delivered, over all
         * connections (a backend such as Credo's mediator holds the answer of every return-route
         * message open). Each held answer keeps a pooled connection, so the bound in force is at
         * most three quarters of {@link #maxConnections(int)}, leaving the rest for new requests.
         * At the bound the oldest held answer is abandoned (its request cancelled; the message was
         * delivered) and counted; no socket stops being read because of held answers. Default
         * {@value #DEFAULT_MAX_INFLIGHT}.
         *
         * @param maxInflight at least 1
         * @return this builder
         */
        public Builder maxInflight(int maxInflight) {
            if (maxInflight < 1) {
                throw new IllegalArgumentException("max inflight must be at least 1, got " + maxInflight);
            }
            this.maxInflight = maxInflight;
            return this;
        }

        /**
         * Bound on pooled HTTP connections to each backend host. A backend that holds an answer open
         * occupies one connection for that long, so keep it above the number of answers your
         * backend holds at once. Default {@value #DEFAULT_MAX_CONNECTIONS}.
         *
         * @param maxConnections at least 1
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("max backend connections must be at least 1, got " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Time allowed to open a connection to the backend. Default 5 seconds.
         *
         * @param connectTimeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Require.positive("backend connect timeout", connectTimeout);
            return this;
        }

        /**
         * Time allowed for a whole request, answer included. A message whose request was fully
         * sent counts as delivered even if its answer then times out. Default 30 seconds.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Require.positive("backend timeout", timeout);
            return this;
        }

        /**
         * How long the next message of a connection waits, after the previous one was fully sent,
         * for the backend to begin answering it. Messages of one connection travel on different
         * pooled HTTP connections, and a backend handles those in parallel; waiting until it has
         * begun the previous answer is what makes it receive them in order. A backend that holds
         * an answer open delays that connection's next message by this window, never longer.
         * Zero sends the next message as soon as the previous one was fully sent (faster, but a
         * backend may then see messages of one connection out of order). Default 50 ms.
         *
         * @param window zero or positive
         * @return this builder
         */
        public Builder orderingWindow(Duration window) {
            this.orderingWindow = Require.notNegative("ordering window", window);
            return this;
        }

        /**
         * How often a request is retried: when it did not reach the backend (the connection was
         * refused, or failed before the request was fully sent), when the backend answered 503,
         * and when it was written whole but its connection failed before any answer began (the
         * backend may have handled it: the retry carries the same {@code SocketDock-Message-Id},
         * by which the backend can drop the duplicate). A request answered otherwise, or not
         * within the {@linkplain #timeout() timeout}, is not retried. A message still undelivered
         * after its retries closes its socket with 1011, so the client reconnects and resends.
         * Disconnects are retried for {@link #DISCONNECT_RETRY_PERIOD} whatever this says.
         * Default 5. See the README's "Delivery" section for the whole contract.
         *
         * @param retries zero (no retries) or more
         * @return this builder
         */
        public Builder retries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("backend retries must not be negative, got " + retries);
            }
            this.retries = retries;
            return this;
        }

        /**
         * The delay before the first retry; each further retry waits twice as long, with jitter
         * (a random half of each delay is dropped, so instances do not retry in step). Default 1
         * second.
         *
         * @param backoff positive
         * @return this builder
         */
        public Builder retryBackoff(Duration backoff) {
            this.retryBackoff = Require.positive("backend retry backoff", backoff);
            return this;
        }

        /**
         * Signs every request to the backend as the Standard Webhooks specification defines:
         * {@code webhook-id} (unique per event, the same across its retries),
         * {@code webhook-timestamp} (unix seconds of the attempt) and {@code webhook-signature}
         * with one {@code v1,<base64 HMAC-SHA256>} per secret, space-separated, so the backend
         * verifies with whichever secret it holds. Give two secrets while rotating. Verify with
         * {@link WebhookVerifier} or any Standard Webhooks library. Default: none, not signed.
         *
         * @param secrets secrets as {@code whsec_<base64>}, 24 to 64 bytes each
         * @return this builder
         * @throws IllegalArgumentException if a secret is malformed (the message never shows it)
         */
        public Builder signingSecrets(List<String> secrets) {
            Objects.requireNonNull(secrets, "signing secrets");
            for (String s : secrets) {
                if (s == null || !s.strip().startsWith(SigningSecrets.PREFIX)) {
                    throw new IllegalArgumentException("a signing secret must start with whsec_");
                }
                int n = SigningSecrets.decode(s).length;
                if (n < 24 || n > 64) {
                    throw new IllegalArgumentException("a signing secret must hold 24 to 64 bytes, got " + n);
                }
            }
            this.signingSecrets = secrets.stream().map(String::strip).collect(java.util.stream.Collectors.toUnmodifiableList());
            return this;
        }

        /**
         * Trusts the CAs in this PKCS12 truststore for {@code https} backends (a private CA).
         * Default: the JDK's trusted CAs.
         *
         * @param file     the truststore
         * @param password its password; never logged
         * @return this builder
         */
        public Builder trustStore(Path file, String password) {
            this.trustStore = Require.readable("backend truststore", file);
            this.trustStorePassword = Objects.requireNonNull(password, "backend truststore password");
            return this;
        }

        /**
         * Presents the certificate in this PKCS12 keystore to {@code https} backends that require
         * client certificates (mutual TLS). Default: none.
         *
         * @param file     the keystore
         * @param password its password; never logged
         * @return this builder
         */
        public Builder keyStore(Path file, String password) {
            this.keyStore = Require.readable("backend keystore", file);
            this.keyStorePassword = Objects.requireNonNull(password, "backend keystore password");
            return this;
        }

        /** @return the options */
        public HttpBackendOptions build() {
            return new HttpBackendOptions(this);
        }
    }
}
