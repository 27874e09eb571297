package io.github.socketdock.internal;

/**
 * Where the relay reports what it does, for metrics. {@link #NONE} does nothing; with a Micrometer
 * registry it is {@link MicrometerMetrics}, the only class that touches Micrometer — so without a
 * registry no Micrometer class is ever loaded.
 */
interface Metrics {

    /** Reports nothing. */
    Metrics NONE = new Metrics() {
    };

    /** A socket opened. */
    default void opened() {
    }

    /** A socket closed with {@code code}. */
    default void closed(int code) {
    }

    /** A client message of {@code bytes} reached the relay. */
    default void messageIn(long bytes) {
    }

    /** A frame of {@code bytes} was written to a client. */
    default void messageOut(long bytes) {
    }

    /**
     * One HTTP request to the backend ended.
     *
     * @param event   {@code connect}, {@code message} or {@code disconnect}
     * @param outcome one of {@link BackendOutcome}'s names
     * @param nanos   from sending to the end of the answer (or the failure)
     */
    default void backendRequest(String event, BackendOutcome outcome, long nanos) {
    }

    /** A backend request for {@code event} is retried. */
    default void backendRetry(String event) {
    }

    /** An event ended undelivered or without an answer, after its retries. */
    default void backendFailure(String event) {
    }

    /** A {@code /send} callback was answered with {@code status}, or 0 when no answer could be sent. */
    default void sendAnswered(int status) {
    }

    /** The relay stopped: its meters leave the registry. */
    default void close() {
    }

    /** How one request to the backend ended, as a metric tag. */
    enum BackendOutcome {
        /** A 2xx answer. */
        SUCCESS,
        /** An answer that is neither 2xx nor 5xx. */
        CLIENT_ERROR,
        /** A 5xx answer. */
        SERVER_ERROR,
        /** No answer within the backend timeout. */
        TIMEOUT,
        /** No answer: the connection was refused, reset or failed. */
        UNREACHABLE;

        /** The tag value: the name in lower case. */
        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static BackendOutcome of(int status, Throwable failure) {
            if (status >= 200 && status < 300) {
                return SUCCESS;
            }
            if (status >= 500) {
                return SERVER_ERROR;
            }
            if (status > 0) {
                return CLIENT_ERROR;
            }
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof java.util.concurrent.TimeoutException) {
                    return TIMEOUT;
                }
            }
            return UNREACHABLE;
        }
    }
}
