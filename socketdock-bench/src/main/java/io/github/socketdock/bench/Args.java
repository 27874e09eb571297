package io.github.socketdock.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options of one sub-command; an unknown or malformed option is a clear error. */
final class Args {

    private final Map<String, String> values = new HashMap<>();
    private final List<String> used = new ArrayList<>();

    Args(String[] argv, int from) {
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected an option like --name value, got '" + a + "'");
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                values.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                values.put(a.substring(2), argv[++i]);
            } else {
                values.put(a.substring(2), "true");
            }
        }
    }

    String string(String name, String dflt) {
        used.add(name);
        return values.getOrDefault(name, dflt);
    }

    int integer(String name, int dflt) {
        String v = string(name, null);
        try {
            return v == null ? dflt : Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    double number(String name, double dflt) {
        String v = string(name, null);
        try {
            return v == null ? dflt : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    /** Seconds, fractions allowed: {@code --duration 1.5}. */
    Duration seconds(String name, double dflt) {
        return Duration.ofMillis(Math.round(number(name, dflt) * 1000));
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(string(name, "false"));
    }

    List<String> list(String name, String dflt) {
        String v = string(name, dflt);
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** Fails on options no one asked for (typos). Call after reading every option. */
    void checkAllUsed() {
        for (String k : values.keySet()) {
            if (!used.contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k);
            }
        }
    }
}
