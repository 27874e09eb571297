package io.github.socketdock.harness.fuzz;

import com.google.gson.JsonObject;
import io.github.socketdock.fixtures.RecordingBackendServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The {@link Expectation}s the storm sockets filed, and their check against the messages the
 * backend was sent: what a socket sent before its first bad frame reaches the backend intact and in
 * order — all of it where the socket was read to its end, else a prefix.
 */
public final class LeadingMessages {

    /** The outcome of the check: what was wrong, and how many sockets were checked, how many for every message. */
    public record Report(List<String> wrong, int checked, int checkedComplete) {
    }

    private final ConcurrentLinkedQueue<Expectation> expectations = new ConcurrentLinkedQueue<>();

    void add(Expectation e) {
        expectations.add(e);
    }

    /** Checks every expectation filed against {@code messages}, the backend's {@code /message} requests. */
    public Report check(List<RecordingBackendServer.Recorded> messages, SocketIds ids) {
        Map<String, List<String>> relayed = new HashMap<>();
        for (RecordingBackendServer.Recorded r : messages) {
            JsonObject body = r.json();
            JsonObject meta = body.getAsJsonObject("meta");
            String form = (meta.has("frame") ? "B:" : "T:") + (body.has("encoding") ? "base64:" : "")
                    + body.get("message").getAsString();
            relayed.computeIfAbsent(meta.get("connection_id").getAsString(), x -> new ArrayList<>()).add(form);
        }
        List<String> wrong = new ArrayList<>();
        List<Expectation> all = new ArrayList<>(expectations);
        int checkedComplete = 0;
        for (Expectation e : all) {
            String id = ids.ofOp("w" + e.op());
            if (id == null) {
                wrong.add("op " + e.op() + ": no connect for its socket — input: " + e.input());
                continue;
            }
            List<String> got = relayed.getOrDefault(id, List.of());
            int common = Math.min(got.size(), e.leading().size());
            if (!got.subList(0, common).equals(e.leading().subList(0, common))) {
                wrong.add("op " + e.op() + ": relayed " + abbreviate(got) + " but sent " + abbreviate(e.leading())
                        + " — input: " + e.input());
            } else if (e.complete() && got.size() < e.leading().size()) {
                wrong.add("op " + e.op() + ": relayed only " + got.size() + " of the " + e.leading().size()
                        + " messages sent before its first bad frame — input: " + e.input());
            }
            if (e.complete()) {
                checkedComplete++;
            }
        }
        return new Report(wrong, all.size(), checkedComplete);
    }

    private static String abbreviate(List<String> forms) {
        List<String> out = new ArrayList<>();
        for (String f : forms) {
            out.add(f.length() > 40 ? f.substring(0, 40) + "…(" + f.length() + ")" : f);
        }
        return out.toString();
    }
}
