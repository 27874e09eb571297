package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The README's embedding examples are taken from the example sources, line for line: the first
 * Java block from {@link InProcessMediator}, and those of "Embedding" from {@link MountedOnJetty}
 * and {@link MountedOnJavalin}.
 */
class ReadmeSnippetTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "'# SocketDock for Java', InProcessMediator",
        "'### On a Jetty 12 server', MountedOnJetty",
        "'### In a Javalin 7 app', MountedOnJavalin",
    })
    void everyLineOfTheReadmeExampleIsInTheExampleSource(String heading, String example) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf(heading + "\n");
        assertThat(section).as("README has the heading " + heading).isNotNegative();
        int start = readme.indexOf("```java\n", section);
        assertThat(start).as("README has a java block after " + heading).isPositive();
        String block = readme.substring(start + "```java\n".length(), readme.indexOf("```", start + 7));
        List<String> lines = block.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList());
        assertThat(lines.size()).as("README example lines").isBetween(5, 15);

        List<String> source = Files.readAllLines(Path.of("src/main/java/io/github/socketdock/examples/" + example + ".java"))
                .stream().map(String::strip).collect(Collectors.toList());
        assertThat(source).as("the README's lines, in the same order").containsSubsequence(lines);
    }
}
