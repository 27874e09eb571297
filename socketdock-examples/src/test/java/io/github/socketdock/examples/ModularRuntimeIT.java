package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.testing.TestWebSocket;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs the in-process mediator example with the examples and core as named modules, in a module
 * layer of their own (nothing from the test class path leaks in: its parent is the platform class
 * loader). Proves that core's module descriptor is complete at run time: Jetty, gson and slf4j are
 * resolved from it, Jetty reaches the WebSocket endpoint, the version resource loads, and
 * {@code internal} is neither exported nor opened (that an import of it fails to compile is
 * {@link ModuleBoundaryTest}).
 */
class ModularRuntimeIT {

    @Test
    void theExampleRelaysWithCoreAsANamedModule() throws Exception {
        List<Path> modulePath = ModulePath.explicitModulesOnTheClassPath();
        ModuleFinder finder = ModuleFinder.of(modulePath.toArray(Path[]::new));
        ModuleLayer boot = ModuleLayer.boot();
        Configuration config = boot.configuration().resolveAndBind(finder, ModuleFinder.of(),
                Set.of("io.github.socketdock.examples"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());

        Module core = layer.findModule("io.github.socketdock").orElseThrow();
        assertThat(core.getDescriptor().isAutomatic()).isFalse();
        assertThat(core.getDescriptor().exports()).filteredOn(e -> !e.isQualified()).extracting(e -> e.source())
                .containsExactlyInAnyOrder("io.github.socketdock", "io.github.socketdock.http");
        assertThat(core.getDescriptor().exports()).filteredOn(e -> e.isQualified())
                .as("only the mount door, and only to the adapter modules")
                .hasSize(1)
                .allSatisfy(e -> assertThat(e.source()).isEqualTo("io.github.socketdock.mount"))
                .allSatisfy(e -> assertThat(e.targets())
                        .containsExactlyInAnyOrder("io.github.socketdock.jetty", "io.github.socketdock.javalin"));
        assertThat(core.getDescriptor().opens()).as("nothing is opened to reflection").isEmpty();

        ClassLoader loader = layer.findLoader("io.github.socketdock.examples");
        Class<?> mediatorClass = loader.loadClass("io.github.socketdock.examples.InProcessMediator");
        Class<?> dockClass = loader.loadClass("io.github.socketdock.SocketDock");
        assertThat(dockClass.getModule()).isSameAs(core);
        assertThat(dockClass).as("not the class-path copy").isNotSameAs(io.github.socketdock.SocketDock.class);
        assertThat(dockClass.getMethod("version").invoke(null))
                .as("the version resource loads inside the module")
                .isEqualTo(io.github.socketdock.SocketDock.version());

        Object mediator = mediatorClass.getConstructor().newInstance();
        Object dock = mediatorClass.getMethod("start", mediatorClass, int.class).invoke(null, mediator, 0);
        Method close = dockClass.getMethod("close");
        try (TestWebSocket socket = TestWebSocket.connect(
                URI.create("ws://127.0.0.1:" + dockClass.getMethod("port").invoke(dock) + "/ws"),
                Map.of("X-Agent", "alice"))) {
            socket.send("hello from the module path");

            assertThat(socket.takeText(Duration.ofSeconds(30))).isEqualTo("ack: hello from the module path");
        } finally {
            close.invoke(dock);
        }
    }
}
