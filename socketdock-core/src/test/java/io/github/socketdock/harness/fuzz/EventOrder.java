package io.github.socketdock.harness.fuzz;

import io.github.socketdock.fixtures.RecordingBackendServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The check of the order of what the backend saw: per socket one connect, then its messages, then
 * exactly one disconnect — none for a healthy socket — and nothing to other paths.
 */
public final class EventOrder {

    private EventOrder() {
    }

    /** @return what is wrong in {@code requests} (all the backend's, in arrival order); empty when nothing is */
    public static List<String> violations(List<RecordingBackendServer.Recorded> requests, Set<String> healthy) {
        Map<String, Long> connectAt = new HashMap<>();
        Map<String, Long> disconnectAt = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        for (RecordingBackendServer.Recorded r : requests) {
            switch (r.path()) {
                case "/connect" -> {
                    String id = r.json().getAsJsonObject("meta").get("connection_id").getAsString();
                    if (connectAt.put(id, r.seq()) != null) {
                        wrong.add("two connects of " + id);
                    }
                }
                case "/disconnect" -> {
                    String id = r.json().get("connection_id").getAsString();
                    if (!connectAt.containsKey(id)) {
                        wrong.add("disconnect of " + id + " before (or without) its connect");
                    }
                    if (healthy.contains(id)) {
                        wrong.add("disconnect of the healthy socket " + id + ": " + r.text());
                    }
                    if (disconnectAt.put(id, r.seq()) != null) {
                        wrong.add("two disconnects of " + id);
                    }
                }
                case "/message" -> {
                    String id = r.json().getAsJsonObject("meta").get("connection_id").getAsString();
                    if (!connectAt.containsKey(id)) {
                        wrong.add("message of " + id + " before (or without) its connect");
                    }
                    if (disconnectAt.containsKey(id)) {
                        wrong.add("message of " + id + " after its disconnect");
                    }
                }
                default -> wrong.add("a request to " + r.path());
            }
        }
        for (String id : connectAt.keySet()) {
            if (!healthy.contains(id) && !disconnectAt.containsKey(id)) {
                wrong.add("no disconnect of " + id);
            }
        }
        return wrong;
    }
}
