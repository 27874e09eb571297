package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.Http;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code kubernetes/socketdock.yaml} and {@code kubernetes/socketdock-podmonitor.yaml}, parsed: a
 * Deployment whose pods name their control port in their callback URLs (the pod IP from the
 * downward API into {@code SOCKETDOCK_ENDPOINT}), require the control token from a Secret, probe
 * {@code /readyz} and {@code /healthz}, and get the time to drain; a Service that exposes only the
 * public port; a NetworkPolicy that admits only the mediator and Prometheus to the control port;
 * a PodMonitor that scrapes {@code /metrics} there with the token. The option names and values are
 * checked against the real command: its {@code --help}, run once bare for the names and once with
 * the manifest's environment, which converts every value the way a start would (a bad one exits
 * 2); and the command runs with the container's environment (on loopback, free ports) to show
 * what each port serves.
 */
class KubernetesManifestIT {

    /** What the downward API would give: a string here, nothing is sent to it. */
    private static final String POD_IP = "10.0.0.7";
    /** The test's stand-in for the Secret's token. */
    private static final String TOKEN = "k8s-manifest-test-token-0123456789";
    private static final String PROMETHEUS_OPERATOR = "monitoring.coreos.com/v1";

    private Map<String, Object> deployment;
    private Map<String, Object> service;
    private Map<String, Object> networkPolicy;
    private Map<String, Object> podMonitor;
    private Map<String, Object> pod;
    private Map<String, Object> container;

    @BeforeEach
    void parse() throws IOException {
        Path dir = Path.of(System.getProperty("socketdock.examples", "."), "kubernetes");
        List<Map<String, Object>> docs = load(dir.resolve("socketdock.yaml"));
        assertThat(docs).extracting(d -> d.get("kind"))
                .containsExactlyInAnyOrder("Deployment", "Service", "NetworkPolicy");
        deployment = kind(docs, "Deployment");
        service = kind(docs, "Service");
        networkPolicy = kind(docs, "NetworkPolicy");
        assertThat(deployment.get("apiVersion")).isEqualTo("apps/v1");
        assertThat(service.get("apiVersion")).isEqualTo("v1");
        assertThat(networkPolicy.get("apiVersion")).isEqualTo("networking.k8s.io/v1");
        List<Map<String, Object>> monitoring = load(dir.resolve("socketdock-podmonitor.yaml"));
        assertThat(monitoring).extracting(d -> d.get("kind")).containsExactly("PodMonitor");
        podMonitor = monitoring.get(0);
        assertThat(podMonitor.get("apiVersion")).isEqualTo(PROMETHEUS_OPERATOR);
        pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
        List<Object> containers = list(pod.get("containers"));
        assertThat(containers).hasSize(1);
        container = map(containers.get(0));
    }

    private static List<Map<String, Object>> load(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in).forEach(doc -> docs.add(map(doc)));
        }
        return docs;
    }

    private static Map<String, Object> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> d.get("kind").equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void eachPodPutsItsOwnIpAndControlPortFromTheDownwardApiIntoItsEndpoint() {
        List<Map<String, Object>> env = env();
        int podIp = indexOf(env, "POD_IP");
        int endpoint = indexOf(env, "SOCKETDOCK_ENDPOINT");
        assertThat(podIp).as("POD_IP is set").isNotNegative();
        assertThat(endpoint).as("SOCKETDOCK_ENDPOINT is set").isNotNegative();
        assertThat(podIp).as("POD_IP comes before the variable that uses it as $(POD_IP)").isLessThan(endpoint);
        assertThat(map(map(env.get(podIp).get("valueFrom")).get("fieldRef")).get("fieldPath")).isEqualTo("status.podIP");

        assertThat(env.get(endpoint).get("value")).as("callbacks go to the control port")
                .isEqualTo("http://$(POD_IP):" + containerPort("control"));
        assertThat(values()).containsEntry("SOCKETDOCK_BINDIP", "0.0.0.0")
                .containsEntry("SOCKETDOCK_BINDPORT", String.valueOf(containerPort("ws")))
                .containsEntry("SOCKETDOCK_CONTROL_BINDIP", "0.0.0.0")
                .containsEntry("SOCKETDOCK_CONTROL_BINDPORT", String.valueOf(containerPort("control")));
        assertThat(containerPort("control")).isNotEqualTo(containerPort("ws"));
        assertThat(values().get("SOCKETDOCK_BACKEND")).isEqualTo("http");
        assertThat(values().get("SOCKETDOCK_MESSAGE_URI")).startsWith("http");
    }

    @Test
    void theControlTokenIsRequiredAndComesFromASecret() {
        Map<String, Object> token = env().get(indexOf(env(), "SOCKETDOCK_CONTROL_TOKEN"));
        Map<String, Object> ref = map(map(token.get("valueFrom")).get("secretKeyRef"));
        assertThat(token).doesNotContainKey("value");
        assertThat(ref.get("name")).isEqualTo("socketdock");
        assertThat(ref.get("key")).isEqualTo("control-token");
        assertThat(ref.get("optional")).as("optional: a pod without the Secret would start without a token")
                .isIn(null, false);
    }

    @Test
    void kubernetesInjectsNoServiceVariables() {
        assertThat(pod.get("enableServiceLinks")).as("enableServiceLinks: SOCKETDOCK_SERVICE_HOST and the like")
                .isEqualTo(false);
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
        assertThat(optionHelp(help, "--endpoint")).contains("Default: http://" + POD_IP + ":" + containerPort("control"));
        assertThat(optionHelp(help, "--log-format")).contains("Default: json");
    }

    @Test
    void probesAskReadyzAndHealthzOnThePublicPort() {
        Map<String, Object> readiness = map(map(container.get("readinessProbe")).get("httpGet"));
        Map<String, Object> liveness = map(map(container.get("livenessProbe")).get("httpGet"));

        assertThat(readiness.get("path")).isEqualTo("/readyz");
        assertThat(liveness.get("path")).isEqualTo("/healthz");
        assertThat(List.of(readiness.get("port"), liveness.get("port")))
                .allSatisfy(port -> assertThat(port).isIn("ws", containerPort("ws")));
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
    void theServiceSelectsThePodsAndExposesOnlyThePublicPort() {
        Map<String, Object> spec = map(deployment.get("spec"));
        Map<String, Object> podLabels = podLabels();
        Map<String, Object> serviceSpec = map(service.get("spec"));

        assertThat(podLabels).containsAllEntriesOf(map(map(spec.get("selector")).get("matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(map(serviceSpec.get("selector")));
        assertThat(list(serviceSpec.get("ports"))).singleElement()
                .satisfies(port -> assertThat(map(port).get("targetPort")).isIn("ws", containerPort("ws")));
        assertThat(map(pod.get("securityContext")).get("runAsNonRoot")).isEqualTo(true);
    }

    @Test
    void onlyTheMediatorAndPrometheusReachTheControlPort() {
        Map<String, Object> spec = map(networkPolicy.get("spec"));
        assertThat(podLabels()).containsAllEntriesOf(map(map(spec.get("podSelector")).get("matchLabels")));
        assertThat(list(spec.get("policyTypes"))).contains("Ingress");

        List<Map<String, Object>> rules = list(spec.get("ingress")).stream().map(KubernetesManifestIT::map).toList();
        List<Map<String, Object>> control = rules.stream().filter(r -> opens(r, "control")).toList();
        assertThat(control).as("rules that open the control port").isNotEmpty().allSatisfy(rule ->
                assertThat(rule.get("from")).as("a rule for the control port names who may connect: %s", rule)
                        .isInstanceOf(List.class).asList().isNotEmpty());
        List<Map<String, Object>> peers = control.stream()
                .flatMap(r -> list(r.get("from")).stream().map(KubernetesManifestIT::map)).toList();
        assertThat(peers).allSatisfy(peer -> assertThat(peer).as("a peer by label, never an address block")
                .doesNotContainKey("ipBlock").containsKey("podSelector"));
        assertThat(peers).extracting(peer -> map(map(peer.get("podSelector")).get("matchLabels")).get("app.kubernetes.io/name"))
                .containsExactlyInAnyOrder("mediator", "prometheus");
        Map<String, Object> prometheus = peers.stream()
                .filter(p -> "prometheus".equals(map(map(p.get("podSelector")).get("matchLabels")).get("app.kubernetes.io/name")))
                .findFirst().orElseThrow();
        assertThat(prometheus).as("Prometheus runs in a namespace of its own").containsKey("namespaceSelector");

        assertThat(rules).as("the public port stays open to every client")
                .anySatisfy(r -> assertThat(opens(r, "ws") && r.get("from") == null).isTrue());
    }

    @Test
    void prometheusScrapesMetricsOnTheControlPortWithTheToken() {
        assertThat(map(map(deployment.get("spec")).get("template"))).extracting("metadata")
                .satisfies(metadata -> assertThat(map(metadata).get("annotations")).as("prometheus.io/* annotations: "
                        + "a scrape by them carries no token and gets 401").isNull());

        Map<String, Object> spec = map(podMonitor.get("spec"));
        assertThat(podLabels()).containsAllEntriesOf(map(map(spec.get("selector")).get("matchLabels")));
        Map<String, Object> endpoint = map(list(spec.get("podMetricsEndpoints")).get(0));
        assertThat(list(spec.get("podMetricsEndpoints"))).hasSize(1);
        assertThat(endpoint.get("port")).isEqualTo("control");
        assertThat(endpoint.get("path")).isEqualTo("/metrics");
        Map<String, Object> authorization = map(endpoint.get("authorization"));
        assertThat(authorization.get("type")).isIn(null, "Bearer");
        assertThat(map(authorization.get("credentials"))).as("the Secret key the pods take their token from")
                .isEqualTo(Map.of("name", "socketdock", "key", "control-token"));
        assertThat(map(map(env().get(indexOf(env(), "SOCKETDOCK_CONTROL_TOKEN")).get("valueFrom")).get("secretKeyRef")))
                .containsAllEntriesOf(map(authorization.get("credentials")));
    }

    @Test
    void theReadmesPlainPrometheusScrapeSendsTheTokenToTheControlPort() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("socketdock.examples", "."), "..", "README.md"));
        Matcher block = Pattern.compile("(?s)```yaml\n(.*?)```").matcher(readme);
        Map<String, Object> job = null;
        while (block.find()) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(block.group(1));
            if (doc instanceof List<?> jobs && !jobs.isEmpty() && jobs.get(0) instanceof Map<?, ?> m
                    && "socketdock".equals(m.get("job_name"))) {
                job = map(m);
            }
        }
        assertThat(job).as("a scrape_configs entry with job_name: socketdock in the README").isNotNull();
        assertThat(job.get("metrics_path")).isIn(null, "/metrics");
        assertThat(map(job.get("authorization")).get("credentials_file")).asString().isNotBlank();
        List<Object> relabel = list(job.get("relabel_configs"));
        assertThat(relabel).anySatisfy(r -> {
            assertThat(map(r).get("action")).isEqualTo("keep");
            assertThat(list(map(r).get("source_labels"))).contains("__meta_kubernetes_pod_container_port_name");
            assertThat(String.valueOf(map(r).get("regex"))).contains("control");
        });
    }

    /**
     * The command started with the container's environment: the Secret's token, the pod IP and
     * both addresses 127.0.0.1, both ports free ones. The public port serves the WebSocket route
     * and health and nothing of the control side; the control port refuses every request without
     * the token, and serves {@code /metrics} with it.
     */
    @Test
    void withTheContainersEnvironmentThePublicPortServesNoControlRouteAndTheControlPortNeedsTheToken() throws Exception {
        int publicPort = SocketDockJar.freePort();
        int controlPort = SocketDockJar.freePort();
        Map<String, String> env = containerEnvironment("127.0.0.1", Map.of("socketdock/control-token", TOKEN));
        assertThat(env.get("SOCKETDOCK_ENDPOINT")).endsWith(":" + containerPort("control"));
        env.put("SOCKETDOCK_ENDPOINT", "http://127.0.0.1:" + controlPort);
        env.put("SOCKETDOCK_BINDIP", "127.0.0.1"); // tests never listen beyond loopback
        env.put("SOCKETDOCK_BINDPORT", String.valueOf(publicPort));
        env.put("SOCKETDOCK_CONTROL_BINDIP", "127.0.0.1");
        env.put("SOCKETDOCK_CONTROL_BINDPORT", String.valueOf(controlPort));
        Path stderr = Files.createTempFile("socketdock-k8s", ".log");
        Process dock = SocketDockJar.processBuilder(SocketDockJar.command(), env)
                .redirectErrorStream(true).redirectOutput(stderr.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(stderr).contains("listening on")
                    || !dock.isAlive());
            assertThat(dock.isAlive()).as(Files.readString(stderr)).isTrue();
            URI pub = URI.create("http://127.0.0.1:" + publicPort);
            URI control = URI.create("http://127.0.0.1:" + controlPort);
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + TOKEN);
            String id = "0123456789abcdef0123456789abcdef";

            assertThat(Http.call("GET", pub.resolve("/healthz")).statusCode()).isEqualTo(200);
            assertThat(Http.call("GET", pub.resolve("/readyz")).statusCode()).isEqualTo(200);
            assertThat(Http.call("GET", pub.resolve("/ws")).statusCode()).as("the WebSocket route").isEqualTo(426);
            assertThat(Http.post(pub.resolve("/socket/" + id + "/send"), "text/plain", new byte[] {'x'}, bearer).statusCode())
                    .as("/socket/*/send on the public port, even with the token").isEqualTo(404);
            assertThat(Http.post(pub.resolve("/socket/" + id + "/disconnect"), null, new byte[0], bearer).statusCode())
                    .isEqualTo(404);
            assertThat(Http.call("GET", pub.resolve("/metrics"), bearer).statusCode()).isEqualTo(404);
            assertThat(Http.call("GET", pub.resolve("/status"), bearer).statusCode()).isEqualTo(404);

            assertThat(Http.post(control.resolve("/socket/" + id + "/send"), "text/plain", new byte[] {'x'}).statusCode())
                    .as("a callback without the token").isEqualTo(401);
            assertThat(Http.call("GET", control.resolve("/metrics")).statusCode()).as("/metrics without the token")
                    .isEqualTo(401);
            assertThat(Http.call("GET", control.resolve("/status")).statusCode()).isEqualTo(401);
            assertThat(Http.post(control.resolve("/socket/" + id + "/send"), "text/plain", new byte[] {'x'}, bearer)
                    .statusCode()).as("a callback with the token, for a socket that is not open").isEqualTo(410);
            var metrics = Http.call("GET", control.resolve("/metrics"), bearer);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("socketdock_connections_active");
        } finally {
            dock.destroy();
            if (!dock.waitFor(60, TimeUnit.SECONDS)) {
                dock.destroyForcibly();
            }
            Files.deleteIfExists(stderr);
        }
    }

    /** @return whether an ingress rule opens the container port of this name (a rule without ports opens all) */
    private boolean opens(Map<String, Object> rule, String portName) {
        if (rule.get("ports") == null) {
            return true;
        }
        return list(rule.get("ports")).stream().map(KubernetesManifestIT::map)
                .anyMatch(p -> portName.equals(p.get("port")) || Integer.valueOf(containerPort(portName)).equals(p.get("port")));
    }

    private Map<String, Object> podLabels() {
        return map(map(map(map(deployment.get("spec")).get("template")).get("metadata")).get("labels"));
    }

    private int containerPort(String name) {
        return list(container.get("ports")).stream().map(KubernetesManifestIT::map)
                .filter(p -> name.equals(p.get("name"))).findFirst()
                .map(p -> ((Number) p.get("containerPort")).intValue())
                .orElseThrow(() -> new AssertionError("no container port named " + name));
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
                values.put((String) e.get("name"), expand(String.valueOf(e.get("value")), values));
            }
        }
        return values;
    }

    /**
     * @param podIp   what the downward API gives for {@code status.podIP}
     * @param secrets each Secret key's value, by {@code <secret>/<key>}
     * @return the container's environment as the kubelet makes it: every variable, $(VAR) expanded
     */
    private Map<String, String> containerEnvironment(String podIp, Map<String, String> secrets) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map<String, Object> e : env()) {
            String name = (String) e.get("name");
            if (e.get("value") != null) {
                values.put(name, expand(String.valueOf(e.get("value")), values));
                continue;
            }
            Map<String, Object> from = map(e.get("valueFrom"));
            if (from.get("fieldRef") != null) {
                assertThat(map(from.get("fieldRef")).get("fieldPath")).isEqualTo("status.podIP");
                values.put(name, podIp);
            } else {
                Map<String, Object> ref = map(from.get("secretKeyRef"));
                String secret = ref.get("name") + "/" + ref.get("key");
                assertThat(secrets).as("the test has a value for the Secret key %s", secret).containsKey(secret);
                values.put(name, secrets.get(secret));
            }
        }
        return values;
    }

    private static String expand(String value, Map<String, String> earlier) {
        for (Map.Entry<String, String> e : earlier.entrySet()) {
            value = value.replace("$(" + e.getKey() + ")", e.getValue());
        }
        return value;
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
