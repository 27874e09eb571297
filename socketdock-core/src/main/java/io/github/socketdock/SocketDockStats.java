package io.github.socketdock;

/**
 * Counts of what one {@link SocketDock} has done since it started, read with
 * {@link SocketDock#stats()}. A snapshot: the counts do not change after it is taken.
 *
 * @param activeConnections     connections open now
 * @param lifetimeConnections   connections opened since start
 * @param messagesIn            messages received from clients
 * @param messagesOut           frames written to clients
 * @param backendRetries        backend requests retried (not reached, or answered 503)
 * @param undeliveredMessages   messages that could not be delivered after their retries; each
 *                              closed its socket with 1011
 * @param abandonedAnswers      messages delivered whose answer did not arrive in time or at all
 * @param undeliveredDisconnects disconnect notifications given up on
 * @param bufferedBytes         bytes in the process-wide budget now
 */
public record SocketDockStats(int activeConnections, long lifetimeConnections, long messagesIn, long messagesOut,
                              long backendRetries, long undeliveredMessages, long abandonedAnswers,
                              long undeliveredDisconnects, long bufferedBytes) {
}
