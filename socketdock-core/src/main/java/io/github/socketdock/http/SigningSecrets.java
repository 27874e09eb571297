package io.github.socketdock.http;

import java.util.Base64;

/** Reading {@code whsec_<base64>} secrets, shared by the signer's options and the verifier. */
final class SigningSecrets {

    static final String PREFIX = "whsec_";

    private SigningSecrets() {
    }

    /**
     * @return the key bytes of {@code secret}
     * @throws IllegalArgumentException naming the problem, never the secret
     */
    static byte[] decode(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a signing secret must not be empty");
        }
        String b64 = secret.strip();
        if (b64.startsWith(PREFIX)) {
            b64 = b64.substring(PREFIX.length());
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a signing secret must be whsec_ followed by base64");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("a signing secret must not be empty");
        }
        return key;
    }
}
