package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/** The defaults taken from the library's constants: one source for each option's default. */
class LibraryDefaultsTest {

    private final Map<String, OptionSpec> options = Main.newCommandLine(Map.of()).getCommandSpec().options().stream()
            .collect(Collectors.toMap(OneLineErrorHandler::name, o -> o));

    @Test
    void everyEntryNamesAnOptionThatDeclaresNoDefaultOfItsOwn() {
        assertThat(options).containsKeys(LibraryDefaults.BY_OPTION.keySet().toArray(String[]::new));
        for (String name : LibraryDefaults.BY_OPTION.keySet()) {
            assertThat(options.get(name).defaultValue()).as(name).isNull();
        }
    }

    @Test
    void everyEntryIsReadByItsOptionsConverter() throws Exception {
        for (Map.Entry<String, String> e : LibraryDefaults.BY_OPTION.entrySet()) {
            OptionSpec option = options.get(e.getKey());
            if (option.converters().length > 0) {
                assertThat(option.converters()[0].convert(e.getValue())).as(e.getKey()).isNotNull();
            }
        }
    }

    @Test
    void answersOnlyForTheOptionsItLists() throws Exception {
        LibraryDefaults defaults = new LibraryDefaults();

        assertThat(defaults.defaultValue(options.get("--ping-timeout"))).isEqualTo("20s");
        assertThat(defaults.defaultValue(options.get("--max-queued-bytes"))).isEqualTo("16MiB");
        assertThat(defaults.defaultValue(options.get("--idle-timeout"))).isNull();
        assertThat(defaults.defaultValue(options.get("--max-buffered-bytes"))).isNull();
        assertThat(defaults.defaultValue(options.get("--endpoint"))).isNull();
    }
}
