package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** The build's {@code socketdock-<version>-dist.tar.gz}, unpacked as {@code tar} would (file modes included). */
final class DistArchive {

    static final String VERSION = System.getProperty("project.version");

    private DistArchive() {
    }

    /** @return the directory the archive holds everything in, {@code socketdock-<version>}, under {@code dir} */
    static Path home(Path dir) {
        return dir.resolve("socketdock-" + VERSION);
    }

    /** Unpacks the archive into {@code dir}; @return each entry's name and permission bits */
    static Map<String, Integer> unpack(Path dir) throws IOException {
        Map<String, Integer> modes = new HashMap<>();
        Path archive = Path.of(System.getProperty("socketdock.dist"));
        try (InputStream file = Files.newInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                Path target = dir.resolve(e.getName()).normalize();
                assertThat(target.startsWith(dir)).as("entry %s stays inside the directory", e.getName()).isTrue();
                modes.put(e.getName(), e.getMode() & 0777);
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(rwx(e.getMode())));
                }
            }
        }
        return modes;
    }

    private static String rwx(int mode) {
        String all = "rwxrwxrwx";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? all.charAt(i) : '-');
        }
        return s.toString();
    }
}
