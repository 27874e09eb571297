package io.github.socketdock.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page of the Prometheus text format (0.0.4) as the tests read it: its lines, the families
 * declared by {@code # TYPE} and {@code # HELP}, and its samples with their labels.
 */
final class PrometheusPage {

    /** One sample line: {@code name{labels} value}. */
    record Sample(String name, Map<String, String> labels, String value) {

        /** @return the labels without {@code le}: which series of a histogram the bucket belongs to */
        Map<String, String> series() {
            Map<String, String> series = new LinkedHashMap<>(labels);
            series.remove("le");
            return series;
        }
    }

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;
    private final Map<String, String> types = new LinkedHashMap<>();
    private final Set<String> helped = new HashSet<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusPage(String text) {
        this.text = text;
        for (String line : text.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (line.startsWith("# HELP ")) {
                helped.add(line.split(" ")[2]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
    }

    static PrometheusPage parse(String text) {
        return new PrometheusPage(text);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        if (brace < 0) {
            String[] parts = line.split(" ");
            return new Sample(parts[0], Map.of(), parts[1]);
        }
        int end = line.lastIndexOf('}');
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher m = LABEL.matcher(line.substring(brace + 1, end));
        while (m.find()) {
            labels.put(m.group(1), m.group(2));
        }
        return new Sample(line.substring(0, brace), labels, line.substring(end + 1).trim().split(" ")[0]);
    }

    /** @return every line of the page, comments included */
    long lineCount() {
        return text.lines().count();
    }

    /** @return family name → its type ({@code counter}, {@code gauge}, {@code histogram}, {@code summary}) */
    Map<String, String> types() {
        return types;
    }

    /** @return the families that have a {@code # HELP} line */
    Set<String> helped() {
        return helped;
    }

    List<Sample> samples() {
        return samples;
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** @return the names of the samples, e.g. {@code x_bucket}, {@code x_count} of a histogram {@code x} */
    Set<String> sampleNames() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** @return the declared family a sample belongs to, or null when none is declared */
    String family(String sampleName) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (sampleName.endsWith(suffix)) {
                String family = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(family);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    return family;
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
