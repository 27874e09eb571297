package io.github.socketdock.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Text fit for a log line: failures told briefly, client-chosen strings made harmless. */
final class LogText {

    private LogText() {
    }

    /** A client-chosen string made safe for a log line: control characters escaped, no line breaks. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f || ch == 0x2028 || ch == 0x2029) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /** @return the failure's type and message, unwrapped from completion wrappers */
    static String rootMessage(Throwable x) {
        Throwable t = x;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
