package io.github.socketdock.cli;

import io.github.socketdock.SocketDock;
import picocli.CommandLine.IVersionProvider;

/** Answers {@code --version} with {@code SocketDock <version>}, the library's own version. */
final class VersionProvider implements IVersionProvider {

    /** @return the version, e.g. {@code 0.1.0} */
    static String version() {
        return SocketDock.version();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"SocketDock " + version()};
    }
}
