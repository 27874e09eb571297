package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@link TopicHelp}: the command's own options under General, then each mixin and each headed group. */
class TopicHelpTest {

    @Test
    void rendersGeneralThenEachMixinThenEachGroupUnderItsHeading() {
        String help = TopicHelp.install(new CommandLine(new Sample())).getUsageMessage()
                .replace(System.lineSeparator(), "\n");

        assertThat(help).containsSubsequence("\nGeneral:\n", "--own", "-h, --help", "\nFirst:\n", "--first=<x>",
                "Default: 1", "\nSecond:\n", "--second", "\nGrouped:\n", "--grouped");
        assertThat(help.split("--grouped", -1)).as("--grouped in the synopsis and once in the list").hasSize(3);
        assertThat(help).doesNotContain("Options:");
    }

    @Command(name = "sample", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false)
    static final class Sample {
        @Option(names = "--own")
        String own;

        @Mixin(name = "First")
        FirstOptions first;

        @Mixin(name = "Second")
        SecondOptions second;

        @ArgGroup(exclusive = false, heading = "%nGrouped:%n")
        GroupOptions grouped;
    }

    static final class FirstOptions {
        @Option(names = "--first", paramLabel = "<x>", defaultValue = "1")
        int first;
    }

    static final class SecondOptions {
        @Option(names = "--second")
        boolean second;
    }

    static final class GroupOptions {
        @Option(names = "--grouped")
        String grouped;
    }
}
