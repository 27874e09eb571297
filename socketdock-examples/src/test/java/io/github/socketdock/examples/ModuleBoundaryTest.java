package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What this module's own build relies on: a module that requires {@code io.github.socketdock}
 * compiles against its API and fails to compile against {@code internal}, which the module does
 * not export. Compiled with javac against core as a named module, as an application would.
 */
class ModuleBoundaryTest {

    @TempDir
    Path dir;

    @Test
    void aModuleThatImportsTheApiCompiles() throws Exception {
        List<Diagnostic<? extends JavaFileObject>> errors = compileProbe(
                "import io.github.socketdock.SocketDock;",
                "String version = SocketDock.version();");

        assertThat(errors).isEmpty();
    }

    @Test
    void aModuleThatImportsInternalFailsToCompile() throws Exception {
        List<Diagnostic<? extends JavaFileObject>> errors = compileProbe(
                "import io.github.socketdock.internal.common.Version;",
                "String version = Version.get();");

        assertThat(errors).extracting(Diagnostic::getCode).contains("compiler.err.package.not.visible");
        assertThat(errors).extracting(e -> e.getMessage(null))
                .anySatisfy(m -> assertThat(m).contains("io.github.socketdock.internal"));
    }

    private List<Diagnostic<? extends JavaFileObject>> compileProbe(String importLine, String field) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/probe"));
        Files.writeString(dir.resolve("src/module-info.java"), "module probe { requires io.github.socketdock; }\n");
        Files.writeString(src.resolve("Probe.java"),
                "package probe;\n" + importLine + "\npublic class Probe { " + field + " }\n");
        Path out = Files.createDirectories(dir.resolve("out"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            String modulePath = ModulePath.explicitModulesOnTheClassPath().stream()
                    .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
            assertThat(modulePath).as("core is on the module path").contains("socketdock-core");
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("--release", "17", "-d", out.toString(), "--module-path", modulePath),
                    null,
                    files.getJavaFileObjects(dir.resolve("src/module-info.java"), src.resolve("Probe.java")))
                    .call();
            List<Diagnostic<? extends JavaFileObject>> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).collect(Collectors.toList());
            assertThat(ok).as("compiled without errors").isEqualTo(errors.isEmpty());
            return errors;
        }
    }
}
