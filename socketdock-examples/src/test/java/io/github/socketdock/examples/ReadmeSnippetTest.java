package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's embedding example is taken from {@link InProcessMediator}, line for line. */
class ReadmeSnippetTest {

    @Test
    void everyLineOfTheReadmeExampleIsInTheExampleSource() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java\n");
        assertThat(start).as("README has a java block").isPositive();
        String block = readme.substring(start + "```java\n".length(), readme.indexOf("```", start + 7));
        List<String> lines = block.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList());
        assertThat(lines.size()).as("README example lines").isBetween(5, 15);

        List<String> source = Files.readAllLines(Path.of("src/main/java/io/github/socketdock/examples/InProcessMediator.java"))
                .stream().map(String::strip).collect(Collectors.toList());
        assertThat(source).as("the README's lines, in the same order").containsSubsequence(lines);
    }
}
