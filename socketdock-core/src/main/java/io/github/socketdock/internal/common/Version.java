package io.github.socketdock.internal.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this library, from a resource filled in by the build. */
public final class Version {

    private static final String VERSION = load();

    private Version() {
    }

    /** @return the version, e.g. {@code 0.1.0}, or {@code unknown} outside a built jar */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
