package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code kubernetes/socketdock.yaml}, parsed: a Deployment whose pods name themselves in their
 * callback URLs (the pod IP from the downward API into {@code SOCKETDOCK_ENDPOINT}), probe
 * {@code /readyz} and {@code /healthz}, and get the time to drain; a Service that reaches them.
 * The option names and values are checked against the real command: its {@code --help}, run once
 * bare for the names and once with the manifest's environment, which converts every value the way
 * a start would (a bad one exits 2).
 */
class KubernetesManifestIT {

    /** What the downward API would give: a string here, nothing is sent to it. */
    private static final String POD_IP = "10.0.0.7";

    private Map<String, Object> deployment;
    private Map<String, Object> service;
    private Map<String, Object> pod;
    private Map<String, Object> container;

    @BeforeEach
    void parse() throws IOException {
        Path file = Path.of(System.getProperty("socketdock.examples", "."), "kubernetes", "socketdock.yaml");
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in).forEach(doc -> docs.add(map(doc)));
        }
        assertThat(docs).extracting(d -> d.get("kind")).containsExactlyInAnyOrder("Deployment", "Service");
        deployment = docs.stream().filter(d -> d.get("kind").equals("Deployment")).findFirst().orElseThrow();
        service = docs.stream().filter(d -> d.get("kind").equals("Service")).findFirst().orElseThrow();
        assertThat(deployment.get("apiVersion")).isEqualTo("apps/v1");
        assertThat(service.get("apiVersion")).isEqualTo("v1");
        pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
        List<Object> containers = list(pod.get("containers"));
        assertThat(containers).hasSize(1);
        container = map(containers.get(0));
    }

    @Test
    void eachPodPutsItsOwnIpFromTheDownwardApiIntoItsEndpoint() {
        List<Map<String, Object>> env = env();
        int podIp = indexOf(env, "POD_IP");
        int endpoint = indexOf(env, "SOCKETDOCK_ENDPOINT");
        assertThat(podIp).as("POD_IP is set").isNotNegative();
        assertThat(endpoint).as("SOCKETDOCK_ENDPOINT is set").isNotNegative();
        assertThat(podIp).as("POD_IP comes before the variable that uses it as $(POD_IP)").isLessThan(endpoint);
        assertThat(map(map(env.get(podIp).get("valueFrom")).get("fieldRef")).get("fieldPath")).isEqualTo("status.podIP");

        int port = containerPort();
        assertThat(env.get(endpoint).get("value")).isEqualTo("http://$(POD_IP):" + port);
        assertThat(values()).containsEntry("SOCKETDOCK_BINDIP", "0.0.0.0")
                .containsEntry("SOCKETDOCK_BINDPORT", String.valueOf(port));
        assertThat(values().get("SOCKETDOCK_BACKEND")).isEqualTo("http");
        assertThat(values().get("SOCKETDOCK_MESSAGE_URI")).startsWith("http");
    }

    @Test
    void everySocketdockVariableIsAnOptionOfTheCommandAndItsValueIsValid() throws Exception {
        Set<String> variables = new TreeSet<>();
        for (String option : optionNames(SocketDockJar.help(Map.of()))) {
            variables.add("SOCKETDOCK_" + option.substring(2).toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
        assertThat(variables).contains("SOCKETDOCK_ENDPOINT", "SOCKETDOCK_SHUTDOWN_TIMEOUT", "SOCKETDOCK_LOG_FORMAT");

        Map<String, String> values = values();
        assertThat(env()).extracting(e -> (String) e.get("name")).filteredOn(n -> n.startsWith("SOCKETDOCK_"))
                .allSatisfy(name -> assertThat(variables).as("an option reads %s", name).contains(name));
        String help = SocketDockJar.help(values);
        assertThat(optionHelp(help, "--endpoint")).contains("Default: http://" + POD_IP + ":" + containerPort());
        assertThat(optionHelp(help, "--log-format")).contains("Default: json");
    }

    @Test
    void probesAskReadyzAndHealthzOnTheContainersPort() {
        Map<String, Object> readiness = map(map(container.get("readinessProbe")).get("httpGet"));
        Map<String, Object> liveness = map(map(container.get("livenessProbe")).get("httpGet"));

        assertThat(readiness.get("path")).isEqualTo("/readyz");
        assertThat(liveness.get("path")).isEqualTo("/healthz");
        assertThat(List.of(readiness.get("port"), liveness.get("port")))
                .allSatisfy(port -> assertThat(port).isIn("http", containerPort()));
        assertThat(map(list(container.get("ports")).get(0)).get("name")).isEqualTo("http");
    }

    @Test
    void theGracePeriodOutlastsPreStopAndTheDrain() throws Exception {
        List<Object> preStop = list(map(map(map(container.get("lifecycle")).get("preStop")).get("exec")).get("command"));
        assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
        Duration sleep = Duration.ofSeconds(Long.parseLong(String.valueOf(preStop.get(1))));
        Duration shutdownTimeout = duration(optionHelp(SocketDockJar.help(values()), "--shutdown-timeout")
                .replaceAll(".*Default: (\\S+).*", "$1"));
        Duration grace = Duration.ofSeconds(((Number) pod.get("terminationGracePeriodSeconds")).longValue());

        assertThat(shutdownTimeout).isPositive();
        assertThat(grace).as("grace period > preStop %s + shutdown timeout %s", sleep, shutdownTimeout)
                .isGreaterThan(sleep.plus(shutdownTimeout));
    }

    @Test
    void theServiceSelectsThePodsAndTargetsTheirPort() {
        Map<String, Object> spec = map(deployment.get("spec"));
        Map<String, Object> podLabels = map(map(map(spec.get("template")).get("metadata")).get("labels"));
        Map<String, Object> serviceSpec = map(service.get("spec"));

        assertThat(podLabels).containsAllEntriesOf(map(map(spec.get("selector")).get("matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(map(serviceSpec.get("selector")));
        assertThat(list(serviceSpec.get("ports"))).singleElement()
                .satisfies(port -> assertThat(map(port).get("targetPort")).isIn("http", containerPort()));
        assertThat(map(pod.get("securityContext")).get("runAsNonRoot")).isEqualTo(true);
    }

    private int containerPort() {
        return ((Number) map(list(container.get("ports")).get(0)).get("containerPort")).intValue();
    }

    private List<Map<String, Object>> env() {
        return list(container.get("env")).stream().map(KubernetesManifestIT::map).toList();
    }

    /** @return the variables with a plain value, $(VAR) expanded from earlier ones as the kubelet does */
    private Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("POD_IP", POD_IP);
        for (Map<String, Object> e : env()) {
            if (e.get("value") != null) {
                String value = String.valueOf(e.get("value"));
                for (Map.Entry<String, String> earlier : values.entrySet()) {
                    value = value.replace("$(" + earlier.getKey() + ")", earlier.getValue());
                }
                values.put((String) e.get("name"), value);
            }
        }
        return values;
    }

    private static int indexOf(List<Map<String, Object>> env, String name) {
        for (int i = 0; i < env.size(); i++) {
            if (name.equals(env.get(i).get("name"))) {
                return i;
            }
        }
        return -1;
    }

    /** @return the long option names listed in the help, aliases included */
    private static List<String> optionNames(String help) {
        List<String> names = new ArrayList<>();
        Matcher line = Pattern.compile("(?m)^ {2,6}(?:-\\w, )?(--[\\w-]+(?:, --[\\w-]+)*)").matcher(help);
        while (line.find()) {
            for (String name : line.group(1).split(", ")) {
                if (!name.equals("--help") && !name.equals("--version")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** @return one option's help text, on one line */
    private static String optionHelp(String help, String name) {
        Matcher start = Pattern.compile("(?m)^ {2,6}" + Pattern.quote(name) + "[=, ]").matcher(help);
        assertThat(start.find()).as("%s in the help", name).isTrue();
        StringBuilder text = new StringBuilder();
        for (String l : help.substring(start.start()).lines().toList()) {
            if (text.length() > 0 && (l.isBlank() || l.matches(" {2,6}-.*"))) {
                break;
            }
            text.append(' ').append(l.strip());
        }
        return text.toString().strip();
    }

    /** @return a duration as the command writes it in whole seconds, minutes or hours ({@code 30s}, {@code 2m}) */
    private static Duration duration(String text) {
        assertThat(text).as("a duration in s, m or h").matches("\\d+[smh]");
        return Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }
}
