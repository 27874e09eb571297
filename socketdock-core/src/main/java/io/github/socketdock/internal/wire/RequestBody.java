package io.github.socketdock.internal.wire;

import javax.crypto.Mac;
import org.eclipse.jetty.client.Request;

/**
 * The body of one backend call, the same for every try: a small one built whole in a pooled
 * buffer ({@link Envelope}), a large one measured exactly and streamed from the message
 * ({@link StreamedBody}). Reference counted like a pooled buffer: the call holds one reference
 * until it ends, each try one until Jetty completed its request.
 */
public interface RequestBody {

    /** @return the body's exact length in bytes, its {@code Content-Length} */
    long length();

    /** @return the bytes it holds while its call lasts, which the byte budget counts */
    long held();


    /** @return the content of one try, from the start of the body */
    Request.Content content();

    /** Feeds the whole body to {@code mac}, for a signature; nothing is copied whole */
    void update(Mac mac);

    /** Takes one more reference, for a try under way. */
    void retain();

    /** Drops one reference; the last gives back what the body holds. */
    void release();
}
