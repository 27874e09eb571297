package io.github.socketdock.http;

import io.github.socketdock.Keystore;
import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Require;
import io.github.socketdock.internal.common.Secrets;
import java.net.URI;
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
 *         .retry(Retry.defaults().withRetries(3))
 *         .build();
 * }</pre>
 *
 * <p>{@link #toString()} lists every setting, secrets masked (signing secrets counted, keystores by
 * their file), durations as the command line takes them.
 *
 * @see io.github.socketdock.Backends#http(HttpBackendOptions)
 */
public final class HttpBackendOptions {

    static {
        Secrets.grant(HttpBackendOptions.class, options -> options.signingSecrets);
    }

    /** Default bound on message answers awaited after delivery, in all: 1024. */
    public static final int DEFAULT_MAX_INFLIGHT = 1024;
    /** Default bound on pooled connections to the backend: 2048. */
    public static final int DEFAULT_MAX_CONNECTIONS = 2048;
    /** Default time to open a connection to the backend: 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
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
    private final Retry retry;
    private final List<String> signingSecrets;
    private final Keystore trustStore;
    private final Keystore keyStore;

    private HttpBackendOptions(Builder b) {
        this.messageUri = b.messageUri;
        this.connectUri = b.connectUri;
        this.disconnectUri = b.disconnectUri;
        this.maxInflight = b.maxInflight;
        this.maxConnections = b.maxConnections;
        this.connectTimeout = b.connectTimeout;
        this.timeout = b.timeout;
        this.orderingWindow = b.orderingWindow;
        this.retry = b.retry;
        this.signingSecrets = b.signingSecrets;
        this.trustStore = b.trustStore;
        this.keyStore = b.keyStore;
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
        b.retry = retry;
        b.signingSecrets = signingSecrets;
        b.trustStore = trustStore;
        b.keyStore = keyStore;
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

    /**
     * @return how often a request that did not reach the backend, got 503, or lost its connection
     * before an answer is retried, and how soon
     */
    public Retry retry() {
        return retry;
    }

    /**
     * The secrets themselves have no getter, so that no log line, debugger view or serializer
     * that walks getters finds them.
     *
     * @return how many secrets every request is signed with; 0 when requests are not signed
     */
    public int signingSecretCount() {
        return signingSecrets.size();
    }

    /** @return the PKCS12 truststore for https backends, or empty to trust the JDK's default CAs */
    public Optional<Keystore> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    /** @return the PKCS12 keystore presented to https backends (mutual TLS), or empty for none */
    public Optional<Keystore> keyStore() {
        return Optional.ofNullable(keyStore);
    }

    /** @return every setting, secrets masked */
    @Override
    public String toString() {
        return "HttpBackendOptions[uris: message=" + messageUri + ", connect=" + (connectUri == null ? "none" : connectUri)
                + ", disconnect=" + (disconnectUri == null ? "none" : disconnectUri)
                + "; requests: maxInflight=" + maxInflight + ", maxConnections=" + (maxConnections == Integer.MAX_VALUE ? "unlimited" : maxConnections)
                + ", connectTimeout=" + LogText.duration(connectTimeout) + ", timeout=" + LogText.duration(timeout)
                + ", orderingWindow=" + LogText.duration(orderingWindow) + ", " + retry.settings()
                + "; security: signingSecrets=" + (signingSecrets.isEmpty() ? "none" : signingSecrets.size() + " (masked)")
                + ", trustStore=" + (trustStore == null ? "default" : trustStore.file())
                + ", keyStore=" + (keyStore == null ? "none" : keyStore.file()) + "]";
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
        private Retry retry = Retry.defaults();
        private List<String> signingSecrets = List.of();
        private Keystore trustStore;
        private Keystore keyStore;

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
         * How often a request is retried, and how long it waits before the first retry; see
         * {@link Retry} for which requests are retried. Disconnects are retried for
         * {@link Retry#DISCONNECT_RETRY_PERIOD} whatever this says. Default
         * {@link Retry#defaults()}: 5 retries, the first after 1 second.
         *
         * @param retry the retry settings
         * @return this builder
         */
        public Builder retry(Retry retry) {
            this.retry = Objects.requireNonNull(retry, "backend retry");
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
         * @param truststore the truststore, e.g. {@code Keystore.pkcs12(Path.of("ca.p12"), password)}
         * @return this builder
         * @throws IllegalArgumentException if its file cannot be read
         */
        public Builder trustStore(Keystore truststore) {
            Objects.requireNonNull(truststore, "backend truststore");
            Require.readable("backend truststore", truststore.file());
            this.trustStore = truststore;
            return this;
        }

        /**
         * Presents the certificate in this PKCS12 keystore to {@code https} backends that require
         * client certificates (mutual TLS). Default: none.
         *
         * @param keystore the keystore holding the client certificate and its private key
         * @return this builder
         * @throws IllegalArgumentException if its file cannot be read
         */
        public Builder keyStore(Keystore keystore) {
            Objects.requireNonNull(keystore, "backend keystore");
            Require.readable("backend keystore", keystore.file());
            this.keyStore = keystore;
            return this;
        }

        /** @return the options */
        public HttpBackendOptions build() {
            return new HttpBackendOptions(this);
        }
    }
}
