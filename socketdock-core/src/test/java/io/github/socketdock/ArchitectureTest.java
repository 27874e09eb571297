package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules of the README's "How the code is laid out", read from the sources: arrows
 * between packages point the documented way, every package explains itself, no package is split
 * across modules, the module exports no internal package, and the README names every package.
 */
class ArchitectureTest {

    private static final String BASE = "io.github.socketdock";
    private static final String INTERNAL = BASE + ".internal";

    /**
     * The internal layers, bottom first: a package may import only packages of a lower layer
     * ({@code backend} and {@code server} share the top one and never import each other).
     */
    private static final Map<String, Integer> LAYER = Map.of(
            INTERNAL + ".common", 0,
            INTERNAL + ".net", 1,
            INTERNAL + ".wire", 2,
            INTERNAL + ".relay", 3,
            INTERNAL + ".backend", 4,
            INTERNAL + ".server", 4);

    /**
     * The public packages may use {@code internal.common} (checks and text); beyond it, only the
     * classes that hand the settings over reach into {@code internal}, each into what it hands to.
     */
    private static final Map<String, Set<String>> HANDOVER = Map.of(
            BASE + ".SocketDock", Set.of(INTERNAL + ".relay", INTERNAL + ".server", INTERNAL + ".net"),
            BASE + ".Backends", Set.of(INTERNAL + ".backend"),
            BASE + ".mount.Mounting", Set.of(INTERNAL + ".relay", INTERNAL + ".server"));

    /**
     * The relay core's doors: the only classes of {@code internal.relay} each other package may
     * name. The server layer reaches it through its entry point, the connection as a callback
     * reaches it, the frame and the settings; the backend layer through what a built-in backend is
     * handed at start and what that hands out; the public API hands the settings over.
     */
    private static final Map<String, Set<String>> RELAY_DOORS = Map.of(
            INTERNAL + ".server", Set.of("RelayCore", "CallbackTarget", "OutFrame", "Settings"),
            INTERNAL + ".backend", Set.of("Relay", "BuiltInBackend", "ByteBudget", "Events"),
            BASE, Set.of("Settings", "BuiltInBackend"),
            BASE + ".mount", Set.of("Settings"));

    /** A class of {@code internal.relay} named in code, or all of them ({@code *}). */
    private static final Pattern RELAY_CLASS =
            Pattern.compile("\\bio\\.github\\.socketdock\\.internal\\.relay\\.([A-Z]\\w*|\\*)");

    private static final Pattern IMPORT = Pattern.compile(
            "^import (?:static )?(io\\.github\\.socketdock(?:\\.[a-z]\\w*)*)\\.(?:[A-Z]|\\*;)", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(io\\.github\\.socketdock(?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");

    private static final Path CORE = Path.of("src/main/java");

    /** One source file: its class and the packages of {@code io.github.socketdock} it refers to. */
    private record Source(String pkg, String className, Set<String> uses, boolean isPublic) {
    }

    private static List<Source> sources(Path root) {
        List<Source> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                if (name.equals("module-info") || name.equals("package-info")) {
                    continue;
                }
                String text = Files.readString(f);
                String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> uses = new TreeSet<>();
                Matcher m = IMPORT.matcher(text);
                while (m.find()) {
                    uses.add(m.group(1));
                }
                String code = withoutComments(text).replaceAll("(?m)^(package|import) .*$", "");
                Matcher q = QUALIFIED.matcher(code);
                while (q.find()) {
                    uses.add(q.group(1));
                }
                uses.remove(pkg);
                boolean isPublic = Pattern.compile("^public .*\\b(class|interface|record|enum) " + name + "\\b",
                        Pattern.MULTILINE).matcher(text).find();
                all.add(new Source(pkg, pkg + "." + name, uses, isPublic));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** @return {@code text} without its comments, its string literals emptied */
    private static String withoutComments(String text) {
        return text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"")
                .replaceAll("//[^\n]*", "");
    }

    private static List<Path> moduleSourceRoots() throws IOException {
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            return modules.filter(m -> m.getFileName().toString().startsWith("socketdock-"))
                    .map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).sorted().toList();
        }
    }

    @Test
    void internalPackagesImportOnlyLowerLayers() {
        List<String> against = new ArrayList<>();
        for (Source s : sources(CORE)) {
            Integer mine = LAYER.get(s.pkg());
            if (mine == null) {
                continue;
            }
            for (String used : s.uses()) {
                Integer theirs = LAYER.get(used);
                if (used.startsWith(INTERNAL) && (theirs == null || theirs >= mine)) {
                    against.add(s.className() + " -> " + used);
                }
            }
        }
        assertThat(against).as("arrows against the layers " + LAYER).isEmpty();
        assertThat(sources(CORE)).as("every internal class is in a layer")
                .filteredOn(s -> s.pkg().startsWith(INTERNAL)).allSatisfy(s -> assertThat(LAYER).containsKey(s.pkg()));
    }

    @Test
    void commonImportsNoOtherPackageSoThePublicPackagesThatUseItFormNoCycle() {
        assertThat(sources(CORE)).filteredOn(s -> s.pkg().equals(INTERNAL + ".common"))
                .allSatisfy(s -> assertThat(s.uses()).as(s.className()).noneMatch(u -> u.startsWith(BASE)));
    }

    @Test
    void thePublicPackagesReachIntoInternalOnlyWhereTheyHandTheSettingsOver() {
        List<String> against = new ArrayList<>();
        for (Source s : sources(CORE)) {
            if (s.pkg().startsWith(INTERNAL)) {
                continue;
            }
            Set<String> allowed = HANDOVER.getOrDefault(s.className(), Set.of());
            for (String used : s.uses()) {
                if (used.startsWith(INTERNAL) && !used.equals(INTERNAL + ".common") && !allowed.contains(used)) {
                    against.add(s.className() + " -> " + used);
                }
            }
        }
        assertThat(against).isEmpty();
    }

    @Test
    void theRelayCoreIsReachedOnlyThroughItsDoors() throws IOException {
        List<String> against = new ArrayList<>();
        Set<String> doors = new TreeSet<>();
        RELAY_DOORS.values().forEach(doors::addAll);
        try (Stream<Path> files = Files.walk(CORE)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = CORE.relativize(f.getParent()).toString().replace('/', '.');
                if (pkg.equals(INTERNAL + ".relay")) {
                    continue;
                }
                Matcher m = RELAY_CLASS.matcher(withoutComments(Files.readString(f)));
                while (m.find()) {
                    if (!RELAY_DOORS.getOrDefault(pkg, Set.of()).contains(m.group(1))) {
                        against.add(CORE.relativize(f) + " -> relay." + m.group(1));
                    }
                }
            }
        }
        assertThat(against).as("classes of internal.relay named outside its doors " + RELAY_DOORS).isEmpty();
        assertThat(sources(CORE)).filteredOn(s -> s.pkg().equals(INTERNAL + ".relay") && s.isPublic())
                .extracting(s -> s.className().substring(s.pkg().length() + 1))
                .as("the public classes of internal.relay are its doors, and nothing else")
                .containsExactlyInAnyOrderElementsOf(doors);
    }

    @Test
    void noOtherModuleUsesCoresInternals() throws IOException {
        List<String> against = new ArrayList<>();
        for (Path root : moduleSourceRoots()) {
            if (root.normalize().startsWith(Path.of("../socketdock-core").normalize())) {
                continue;
            }
            for (Source s : sources(root)) {
                s.uses().stream().filter(u -> u.startsWith(INTERNAL)).forEach(u -> against.add(s.className() + " -> " + u));
            }
        }
        assertThat(against).as("the other modules use core's API (and the adapters its mount door) only").isEmpty();
        assertThat(sources(CORE)).filteredOn(s -> s.pkg().startsWith(INTERNAL))
                .allSatisfy(s -> assertThat(s.uses()).as(s.className()).doesNotContain(BASE + ".mount"));
    }

    @Test
    void everyPackageHasAPackageInfo() throws IOException {
        for (Path root : moduleSourceRoots()) {
            Set<String> packages = new TreeSet<>();
            sources(root).forEach(s -> packages.add(s.pkg()));
            for (String pkg : packages) {
                assertThat(root.resolve(pkg.replace('.', '/')).resolve("package-info.java")).as(pkg).exists();
            }
        }
    }

    @Test
    void noPackageIsSplitAcrossModules() throws IOException {
        Map<String, Set<Path>> modulesOf = new TreeMap<>();
        for (Path root : moduleSourceRoots()) {
            sources(root).forEach(s -> modulesOf.computeIfAbsent(s.pkg(), p -> new TreeSet<>()).add(root));
        }
        assertThat(modulesOf).isNotEmpty().allSatisfy((pkg, roots) -> assertThat(roots).as(pkg).hasSize(1));
    }

    @Test
    void theModuleExportsAndOpensNoInternalPackage() throws IOException {
        String descriptor = Files.readString(CORE.resolve("module-info.java")).replaceAll("(?s)/\\*.*?\\*/", "")
                .replaceAll("//[^\n]*", "");
        assertThat(descriptor).contains("exports io.github.socketdock;")
                .doesNotContainPattern("(exports|opens)\\s+io\\.github\\.socketdock\\.internal")
                .doesNotContainPattern("\\bopen\\s+module");
    }

    @Test
    void theReadmeNamesEveryPackageInHowTheCodeIsLaidOut() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("## How the code is laid out");
        assertThat(start).as("the README's section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> packages = new TreeSet<>();
        for (Path root : moduleSourceRoots()) {
            sources(root).forEach(s -> packages.add(s.pkg()));
        }
        assertThat(packages).contains(BASE, INTERNAL + ".relay");
        assertThat(packages).allSatisfy(pkg -> assertThat(section).as("the README names " + pkg)
                .contains("`" + pkg + "`"));
    }
}
