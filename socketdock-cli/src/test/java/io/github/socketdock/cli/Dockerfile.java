package io.github.socketdock.cli;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read the way the builder reads it, as far as the tests need: comment lines
 * dropped, lines ending in {@code \} joined, each instruction split into its keyword and its
 * arguments, and grouped by build stage ({@code FROM}).
 */
record Dockerfile(List<Stage> stages) {

    /** One instruction: its keyword, upper-cased, and the rest of its line. */
    record Instruction(String keyword, String args) {

        /** @return the arguments of an exec-form instruction ({@code ["java", "-jar", ...]}; a HEALTHCHECK's CMD) */
        List<String> execForm() {
            String json = keyword.equals("HEALTHCHECK") ? args.substring(args.indexOf("CMD ") + 4).strip() : args;
            if (!json.startsWith("[")) {
                throw new AssertionError(keyword + " is not in exec form: " + args);
            }
            List<String> parts = new ArrayList<>();
            JsonParser.parseString(json).getAsJsonArray().forEach(e -> parts.add(e.getAsString()));
            return parts;
        }
    }

    /** One build stage: its base image, its name (or null) and its instructions after the FROM. */
    record Stage(String image, String name, List<Instruction> instructions) {

        /** @return the instructions with this keyword, in order */
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** @return the one instruction with this keyword; fails when there is none or several */
        Instruction one(String keyword) {
            List<Instruction> found = all(keyword);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + keyword + " in stage " + image + ", found " + found);
            }
            return found.get(0);
        }

        /** @return the variables its ENV instructions set ({@code K=V} pairs), in order */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");
            for (Instruction i : all("ENV")) {
                Matcher m = pair.matcher(i.args());
                while (m.find()) {
                    String value = m.group(2);
                    env.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
                }
            }
            return env;
        }
    }

    /** Reads and parses a Dockerfile. */
    static Dockerfile read(Path file) throws IOException {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.strip().startsWith("#")) {
                continue; // comments (and parser directives) may sit even inside a continued instruction
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (!current.toString().isBlank()) {
                logical.add(current.toString().strip());
            }
            current.setLength(0);
        }
        List<Stage> stages = new ArrayList<>();
        for (String line : logical) {
            String[] split = line.split("\\s+", 2);
            Instruction instruction = new Instruction(split[0].toUpperCase(Locale.ROOT), split.length > 1 ? split[1] : "");
            if (instruction.keyword().equals("FROM")) {
                String[] from = instruction.args().split("\\s+");
                String name = from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null;
                stages.add(new Stage(from[0], name, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                throw new AssertionError("instruction before the first FROM: " + line);
            } else {
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        return new Dockerfile(List.copyOf(stages));
    }

    /** @return the last stage, the image that runs */
    Stage runStage() {
        return stages.get(stages.size() - 1);
    }
}
