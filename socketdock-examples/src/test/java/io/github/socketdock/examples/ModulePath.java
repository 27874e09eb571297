package io.github.socketdock.examples;

import java.io.File;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A module path made of the explicit (named, with a module descriptor) modules on the test class
 * path: the examples' and core's own classes, the test kit ({@code io.github.socketdock.testing},
 * found but not resolved unless asked for), Jetty, gson, slf4j. Automatic modules (the
 * socketdock-fixtures jar, micrometer, test libraries without a descriptor) are left out, so nothing
 * on it can shadow core's packages.
 */
final class ModulePath {

    private ModulePath() {
    }

    static List<Path> explicitModulesOnTheClassPath() {
        List<Path> path = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.exists(p) && isExplicitModule(p)) {
                path.add(p);
            }
        }
        return path;
    }

    private static boolean isExplicitModule(Path entry) {
        try {
            Set<ModuleReference> found = ModuleFinder.of(entry).findAll();
            return found.size() == 1 && !found.iterator().next().descriptor().isAutomatic();
        } catch (FindException e) {
            return false;
        }
    }
}
