package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.Uids;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;

/**
 * Validates the deployment files against Flink, the job's configuration and each other, since none
 * of them can be run here (no Docker engine, no Kubernetes): {@code docker/Dockerfile},
 * {@code docker/docker-compose.yml}, {@code docker/kubernetes/flink-deployment.yaml},
 * {@code .dockerignore} and {@code flink-conf/config.yaml}.
 *
 * <p>YAML is read with snakeyaml-engine, the parser Flink itself uses for {@code config.yaml}
 * (on the test classpath through flink-core).
 */
class DeploymentFilesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path FLINK_CONF = ROOT.resolve("flink-conf/config.yaml");
    private static final Path DOCKERFILE = ROOT.resolve("docker/Dockerfile");
    private static final Path COMPOSE = ROOT.resolve("docker/docker-compose.yml");
    private static final Path KUBERNETES = ROOT.resolve("docker/kubernetes/flink-deployment.yaml");
    private static final Path DOCKERIGNORE = ROOT.resolve(".dockerignore");

    private static final String CHECKPOINT_DIR = "execution.checkpointing.dir";
    private static final String SAVEPOINT_DIR = "execution.checkpointing.savepoint-dir";
    private static final String PROMETHEUS = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    private static final List<String> FLINK_SERVICES = List.of("jobmanager", "taskmanager", "submit");
    /** Settings the state of a savepoint depends on; Kubernetes must run with flink-conf's values. */
    private static final List<String> STATE_KEYS = List.of(
            "state.backend.type",
            "state.backend.rocksdb.timer-service.factory",
            "pipeline.generic-types",
            "pipeline.max-parallelism",
            "execution.checkpointing.interval",
            "execution.checkpointing.mode",
            "execution.checkpointing.incremental",
            "execution.checkpointing.externalized-checkpoint-retention",
            "execution.checkpointing.snapshot-compression",
            "restart-strategy.type");

    /** Scanning is the slow part (one to two seconds): once per run. */
    private static final class Keys {
        static final FlinkOptionKeys FLINK = FlinkOptionKeys.scan(DeploymentFilesTest.class.getClassLoader());
    }

    @Test
    void everyYamlFileParses() throws IOException {
        assertThat(flinkConf()).containsKeys(CHECKPOINT_DIR, SAVEPOINT_DIR);
        assertThat(map(yaml(COMPOSE).get("services")))
                .containsKeys("kafka", "topics", "elasticsearch", "jobmanager", "taskmanager", "submit");
        List<Map<String, Object>> docs = yamlAll(KUBERNETES);
        assertThat(docs).extracting(d -> d.get("kind")).containsExactly("PersistentVolumeClaim", "FlinkDeployment");
        assertThat(flinkDeployment().get("apiVersion")).isEqualTo("flink.apache.org/v1beta1");
    }

    @Test
    void everyFlinkKeyIsOneFlinkKnows() throws IOException {
        List<String> problems = new ArrayList<>();
        Keys.FLINK.problems(flinkConf()).forEach(p -> problems.add("flink-conf/config.yaml: " + p));
        for (String service : FLINK_SERVICES) {
            Keys.FLINK
                    .problems(flinkProperties(service))
                    .forEach(p -> problems.add("docker-compose.yml " + service + " FLINK_PROPERTIES: " + p));
        }
        Keys.FLINK
                .problems(kubernetesFlinkConfiguration())
                .forEach(p -> problems.add("flink-deployment.yaml flinkConfiguration: " + p));
        assertThat(problems).isEmpty();
    }

    @Test
    void keyCheckerFindsTyposAndUnknownReporters() {
        FlinkOptionKeys flink = Keys.FLINK;
        // The scan reached every package the files draw keys from.
        assertThat(flink.optionClasses())
                .contains(
                        "org.apache.flink.configuration.CheckpointingOptions",
                        "org.apache.flink.state.rocksdb.RocksDBOptions");
        assertThat(flink.optionClasses()).anyMatch(c -> c.startsWith("org.apache.flink.runtime."));

        Map<String, String> good = new LinkedHashMap<>();
        good.put("execution.checkpointing.interval", "10s");
        good.put("state.backend.rocksdb.timer-service.factory", "HEAP");
        good.put("metrics.reporter.prom.factory.class", PROMETHEUS);
        good.put("metrics.reporter.prom.port", "9249-9259");
        assertThat(flink.problems(good)).isEmpty();

        assertThat(flink.problems(Map.of("execution.checkpointing.intervall", "10s")))
                .singleElement()
                .asString()
                .contains("execution.checkpointing.intervall");
        assertThat(flink.problems(Map.of("metrics.reporter.prom.factory.class", "org.example.PromReporterFactory")))
                .singleElement()
                .asString()
                .contains("org.example.PromReporterFactory");
        assertThat(flink.problems(Map.of("metrics.reporter.prom", "x"))).hasSize(1);
    }

    @Test
    void jobArgumentsAreKnownKeysAndCarryNoSecret() throws IOException {
        for (List<String> args : List.of(composeJobArgs(), kubernetesJobArgs())) {
            JobConfig.fromArgs(args.toArray(String[]::new)); // refuses unknown keys and stray values
            for (String key : explicitArgs(args).keySet()) {
                assertThat(ConfigKeys.byName(key).secret())
                        .as("--%s in %s: secrets come from the environment (DESIRE_...), not arguments", key, args)
                        .isFalse();
            }
            // The same arguments with a misspelt key are refused, so the check above can fail.
            List<String> typo = new ArrayList<>(args);
            typo.set(0, args.get(0) + "x");
            assertThatThrownBy(() -> JobConfig.fromArgs(typo.toArray(String[]::new)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Unknown configuration key");
        }
    }

    @Test
    void jobArgumentsAgreeWithTheClusterAndTheFilesAround() throws IOException {
        String interval = flinkConf().get("execution.checkpointing.interval");
        assertThat(interval)
                .as("execution.checkpointing.interval in flink-conf/config.yaml")
                .isNotNull();
        Duration confInterval = TimeUtils.parseDuration(interval);

        // Compose: session cluster with flink-conf; topics created by the `topics` service.
        Map<String, String> compose = explicitArgs(composeJobArgs());
        assertThat(jobDuration(compose, ConfigKeys.CHECKPOINT_INTERVAL)).isEqualTo(confInterval);
        assertCheckpointDirAgrees(compose);
        assertElasticsearchTrust(compose, List.of());
        String topicsScript = String.join("\n", strings(service("topics").get("command")));
        assertThat(topicsScript).contains("--topic " + jobValue(compose, ConfigKeys.KAFKA_TOPIC) + " ");
        if (compose.get(ConfigKeys.DEAD_LETTER_PATH.name()) == null) {
            assertThat(topicsScript).contains("--topic " + jobValue(compose, ConfigKeys.DEAD_LETTER_TOPIC) + " ");
        }

        // Kubernetes: the job overrides parallelism and checkpoint interval, so they must agree.
        Map<String, Object> job = map(map(flinkDeployment().get("spec")).get("job"));
        Map<String, String> k8s = explicitArgs(kubernetesJobArgs());
        if (k8s.containsKey(ConfigKeys.PARALLELISM.name())) {
            assertThat(k8s.get(ConfigKeys.PARALLELISM.name())).isEqualTo(String.valueOf(job.get("parallelism")));
        }
        assertThat(jobDuration(k8s, ConfigKeys.CHECKPOINT_INTERVAL))
                .isEqualTo(
                        TimeUtils.parseDuration(kubernetesFlinkConfiguration().get("execution.checkpointing.interval")))
                .isEqualTo(confInterval);
        assertCheckpointDirAgrees(k8s);
        assertElasticsearchTrust(k8s, mountPaths(podContainer()));
    }

    @Test
    void stateDirectoriesAreFlinkConfsEverywhere() throws IOException {
        Map<String, String> conf = flinkConf();
        String checkpoints = conf.get(CHECKPOINT_DIR);
        String savepoints = conf.get(SAVEPOINT_DIR);
        assertThat(checkpoints).startsWith("file:///");
        assertThat(savepoints).startsWith("file:///");

        Map<String, String> k8s = kubernetesFlinkConfiguration();
        assertThat(k8s).containsEntry(CHECKPOINT_DIR, checkpoints).containsEntry(SAVEPOINT_DIR, savepoints);
        List<String> podMounts = mountPaths(podContainer());
        for (String dir : List.of(checkpoints, savepoints, k8s.get("high-availability.storageDir"))) {
            assertThat(podMounts).as("a pod volume holds %s", dir).anyMatch(m -> isUnder(localPath(dir), m));
        }

        String dockerfile = Files.readString(DOCKERFILE);
        for (String service : List.of("jobmanager", "taskmanager")) {
            Map<String, String> properties = flinkProperties(service);
            assertThat(properties.getOrDefault(CHECKPOINT_DIR, checkpoints)).isEqualTo(checkpoints);
            assertThat(properties.getOrDefault(SAVEPOINT_DIR, savepoints)).isEqualTo(savepoints);
            List<String> targets = strings(service(service).get("volumes")).stream()
                    .map(v -> v.split(":")[1])
                    .toList();
            for (String dir : List.of(checkpoints, savepoints)) {
                assertThat(targets).as("%s mounts a volume on %s", service, dir).contains(localPath(dir));
                // Named volumes copy the ownership of the image's directory: it must exist there.
                assertThat(dockerfile).contains(localPath(dir));
            }
        }
        Map<String, Object> volumes = map(yaml(COMPOSE).get("volumes"));
        assertThat(volumes).containsKeys("checkpoints", "savepoints", "es-data");
    }

    @Test
    void kubernetesRunsWithFlinkConfsStateSettings() throws IOException {
        Map<String, String> conf = flinkConf();
        Map<String, String> k8s = kubernetesFlinkConfiguration();
        for (String key : STATE_KEYS) {
            if (conf.containsKey(key)) {
                assertThat(k8s).as("flinkConfiguration %s", key).containsKey(key);
                assertThat(sameFlinkValue(conf.get(key), k8s.get(key)))
                        .as("%s: flink-conf %s, Kubernetes %s", key, conf.get(key), k8s.get(key))
                        .isTrue();
            }
        }
        assertThat(k8s.get("pipeline.max-parallelism")).isEqualTo(String.valueOf(Uids.MAX_PARALLELISM));
        // The CRD types flinkConfiguration values as strings: a bare 2 or true is refused by the API server.
        Map<String, Object> raw = map(map(flinkDeployment().get("spec")).get("flinkConfiguration"));
        raw.forEach((key, value) ->
                assertThat(value).as("flinkConfiguration %s", key).isInstanceOf(String.class));
    }

    @Test
    void kubernetesJobIsUpgradedThroughSavepoints() throws Exception {
        Map<String, Object> spec = map(flinkDeployment().get("spec"));
        Map<String, Object> job = map(spec.get("job"));
        assertThat(job).containsEntry("upgradeMode", "savepoint").containsEntry("state", "running");
        // The operator refuses savepoint upgrades without a savepoint directory, and falls back to
        // the latest checkpoint when the job cannot take one.
        assertThat(kubernetesFlinkConfiguration().get(SAVEPOINT_DIR)).isNotBlank();
        assertThat(kubernetesFlinkConfiguration().get(CHECKPOINT_DIR)).isNotBlank();
        assertIsJobMain((String) job.get("entryClass"));

        // The FlinkVersion enum of the operator, v<major>_<minor>: same major as the project, not newer.
        Matcher version = Pattern.compile("v(\\d+)_(\\d+)").matcher((String) spec.get("flinkVersion"));
        assertThat(version.matches())
                .as("flinkVersion %s", spec.get("flinkVersion"))
                .isTrue();
        int[] project = majorMinor(pomProperty("flink.version"));
        assertThat(Integer.parseInt(version.group(1))).isEqualTo(project[0]);
        assertThat(Integer.parseInt(version.group(2))).isLessThanOrEqualTo(project[1]);

        Map<String, Object> container = podContainer();
        assertThat(container.get("name")).isEqualTo("flink-main-container");
        Map<String, Object> password = envEntry(container, ConfigKeys.ES_PASSWORD.envName());
        assertThat(password)
                .as("%s from a Secret", ConfigKeys.ES_PASSWORD.envName())
                .doesNotContainKey("value")
                .containsKey("valueFrom");
        assertThat(map(password.get("valueFrom"))).containsKey("secretKeyRef");
    }

    @Test
    void imagesMatchTheProjectsVersions() throws IOException {
        Matcher from = Pattern.compile("flink:(\\d+\\.\\d+(?:\\.\\d+)?)-java17")
                .matcher(instruction("FROM").get(0));
        assertThat(from.matches())
                .as("FROM %s: the official Flink image for Java 17", instruction("FROM"))
                .isTrue();
        assertThat(majorMinor(from.group(1))).isEqualTo(majorMinor(pomProperty("flink.version")));

        assertThat(service("kafka").get("image")).isEqualTo("apache/kafka:" + pomProperty("kafka.version"));
        assertThat(service("topics").get("image")).isEqualTo(service("kafka").get("image"));
        String es = (String) service("elasticsearch").get("image");
        assertThat(es).startsWith("docker.elastic.co/elasticsearch/elasticsearch:");
        assertThat(majorMinor(es.substring(es.lastIndexOf(':') + 1)))
                .isEqualTo(majorMinor(pomProperty("elasticsearch-java.version")));

        for (String service : FLINK_SERVICES) {
            Map<String, Object> s = service(service);
            assertThat(s.get("image"))
                    .as(service)
                    .isEqualTo(service("jobmanager").get("image"));
            assertThat(map(s.get("build")))
                    .as(service)
                    .containsEntry("context", "..")
                    .containsEntry("dockerfile", "docker/Dockerfile");
        }
        assertThat(service("jobmanager").get("command")).isEqualTo("jobmanager");
        assertThat(service("taskmanager").get("command")).isEqualTo("taskmanager");
    }

    @Test
    void theJobJarHasOnePathEverywhere() throws Exception {
        List<String> jarCopy = copyOf("jobs/target/");
        String imageJar = jarCopy.get(1);
        assertThat(imageJar).endsWith(".jar");

        Map<String, Object> job = map(map(flinkDeployment().get("spec")).get("job"));
        assertThat(job.get("jarURI")).isEqualTo("local://" + imageJar);

        Matcher run = Pattern.compile("flink run -d .*?-c (\\S+) (\\S+\\.jar) ").matcher(composeSubmitScript());
        assertThat(run.find())
                .as("`flink run -d ... -c CLASS JAR` in the submit script")
                .isTrue();
        assertThat(run.group(2)).isEqualTo(imageJar);
        assertThat(run.group(1)).isEqualTo(job.get("entryClass")).isEqualTo(jobsPom("mainClass"));
        assertIsJobMain(run.group(1));

        // COPY's glob takes the shaded jar `mvn package` builds.
        PathMatcher source = FileSystems.getDefault().getPathMatcher("glob:" + jarCopy.get(0));
        assertThat(source.matches(Path.of(shadedJar())))
                .as("%s matches %s", jarCopy.get(0), shadedJar())
                .isTrue();
    }

    @Test
    void dockerignoreKeepsWhatTheImageCopies() throws Exception {
        List<String> patterns = Files.readAllLines(DOCKERIGNORE).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        for (List<String> copy :
                instruction("COPY").stream().map(DeploymentFilesTest::copyArgs).toList()) {
            for (String source : copy.subList(0, copy.size() - 1)) {
                String file = source.contains("*") ? shadedJar() : source;
                assertThat(dockerIgnored(patterns, file))
                        .as("%s is sent to the build", file)
                        .isFalse();
            }
        }
        // ...and it still keeps local state and other build output out of the context.
        assertThat(dockerIgnored(patterns, ".desire/kafka/data/meta.properties"))
                .isTrue();
        assertThat(dockerIgnored(patterns, "jobs/target/classes/io/desire/jobs/StreamingJob.class"))
                .isTrue();
        assertThat(dockerIgnored(
                        patterns, "jobs/target/" + jobsPom("artifactId") + "-" + pomProperty("version") + ".jar"))
                .as("the unshaded jar")
                .isTrue();
    }

    @Test
    void prometheusReporterHasItsPluginInTheImage() throws IOException {
        boolean used = kubernetesFlinkConfiguration().containsValue(PROMETHEUS)
                || flinkConf().containsValue(PROMETHEUS);
        assertThat(used).as("the Kubernetes deployment reports to Prometheus").isTrue();
        String run = String.join("\n", instruction("RUN"));
        assertThat(run).contains("/opt/flink/plugins/metrics-prometheus").contains("flink-metrics-prometheus-*.jar");
    }

    @Test
    void composeSubmitsOnlyWhenEverythingIsReadyAndKeepsPortsLocal() throws IOException {
        Map<String, Object> submit = service("submit");
        Map<String, Object> dependsOn = map(submit.get("depends_on"));
        for (String healthy : List.of("jobmanager", "kafka", "elasticsearch")) {
            assertThat(map(dependsOn.get(healthy))).as(healthy).containsEntry("condition", "service_healthy");
            assertThat(service(healthy)).as("%s has a healthcheck", healthy).containsKey("healthcheck");
        }
        assertThat(map(dependsOn.get("topics"))).containsEntry("condition", "service_completed_successfully");

        Map<String, Object> es = map(service("elasticsearch").get("environment"));
        assertThat(es).containsEntry("xpack.security.enabled", "true");
        String password = String.valueOf(es.get("ELASTIC_PASSWORD"));
        assertThat(password).startsWith("${ELASTIC_PASSWORD");
        // The job's main() runs in the submit container: the password must be in its environment.
        assertThat(map(submit.get("environment")).get(ConfigKeys.ES_PASSWORD.envName()))
                .isEqualTo(password);
        assertThat(explicitArgs(composeJobArgs())).containsKey(ConfigKeys.ES_USERNAME.name());

        Map<String, Object> services = map(yaml(COMPOSE).get("services"));
        for (String name : services.keySet()) {
            for (String port : strings(map(services.get(name)).getOrDefault("ports", List.of()))) {
                assertThat(port)
                        .as("%s publishes %s on the loopback interface only", name, port)
                        .startsWith("127.0.0.1:");
            }
        }
    }

    // ---- the files ------------------------------------------------------------------------------

    private static Map<String, String> flinkConf() throws IOException {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", yaml(FLINK_CONF), flat);
        return flat;
    }

    private static Map<String, Object> service(String name) throws IOException {
        Object service = map(yaml(COMPOSE).get("services")).get(name);
        assertThat(service).as("compose service %s", name).isNotNull();
        return map(service);
    }

    /** FLINK_PROPERTIES of a service, read as the image's docker-entrypoint.sh reads it. */
    private static Map<String, String> flinkProperties(String service) throws IOException {
        Object text = map(service(service).get("environment")).get("FLINK_PROPERTIES");
        assertThat(text).as("%s FLINK_PROPERTIES", service).isInstanceOf(String.class);
        Map<String, String> properties = new LinkedHashMap<>();
        for (String line : ((String) text).split("\n")) {
            String l = line.trim();
            if (!l.isEmpty()) {
                int colon = l.indexOf(':');
                assertThat(colon).as("'%s' is key: value", l).isPositive();
                properties.put(
                        l.substring(0, colon).trim(), l.substring(colon + 1).trim());
            }
        }
        return properties;
    }

    /** The submit service runs {@code bash -ec SCRIPT NAME ARGS...}: the script and then the job arguments. */
    private static List<String> composeSubmitCommand() throws IOException {
        List<String> command = strings(service("submit").get("command"));
        assertThat(command).as("submit command").hasSizeGreaterThan(4);
        assertThat(command.subList(0, 2)).containsExactly("bash", "-ec");
        return command;
    }

    private static String composeSubmitScript() throws IOException {
        // $$ is Compose's escape for a literal $.
        return composeSubmitCommand().get(2).replace("$$", "$");
    }

    private static List<String> composeJobArgs() throws IOException {
        List<String> command = composeSubmitCommand();
        assertThat(composeSubmitScript()).contains("\"$@\"");
        return command.subList(4, command.size());
    }

    private static Map<String, Object> flinkDeployment() throws IOException {
        return yamlAll(KUBERNETES).stream()
                .filter(d -> "FlinkDeployment".equals(d.get("kind")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no FlinkDeployment in " + KUBERNETES));
    }

    private static Map<String, String> kubernetesFlinkConfiguration() throws IOException {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", map(map(flinkDeployment().get("spec")).get("flinkConfiguration")), flat);
        return flat;
    }

    private static List<String> kubernetesJobArgs() throws IOException {
        return strings(map(map(flinkDeployment().get("spec")).get("job")).get("args"));
    }

    /** The Flink container of the top-level pod template (JobManager and TaskManagers). */
    private static Map<String, Object> podContainer() throws IOException {
        Map<String, Object> podSpec =
                map(map(map(flinkDeployment().get("spec")).get("podTemplate")).get("spec"));
        List<?> containers = (List<?>) podSpec.get("containers");
        assertThat(containers).as("podTemplate containers").hasSize(1);
        return map(containers.get(0));
    }

    private static List<String> mountPaths(Map<String, Object> container) {
        return ((List<?>) container.getOrDefault("volumeMounts", List.of()))
                .stream().map(m -> String.valueOf(map(m).get("mountPath"))).toList();
    }

    private static Map<String, Object> envEntry(Map<String, Object> container, String name) {
        return ((List<?>) container.get("env"))
                .stream()
                        .map(DeploymentFilesTest::map)
                        .filter(e -> name.equals(e.get("name")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no env " + name + " in " + container.get("name")));
    }

    /** Dockerfile instructions of one kind, continuation lines joined, without the keyword. */
    private static List<String> instruction(String keyword) throws IOException {
        List<String> found = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            String t = line.trim();
            if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = t.endsWith("\\");
            current.append(continues ? t.substring(0, t.length() - 1) : t).append(' ');
            if (!continues) {
                String text = current.toString().trim();
                current.setLength(0);
                if (text.regionMatches(true, 0, keyword + " ", 0, keyword.length() + 1)) {
                    found.add(text.substring(keyword.length() + 1).trim());
                }
            }
        }
        return found;
    }

    /** COPY sources and destination, flags dropped. */
    private static List<String> copyArgs(String copy) {
        return List.of(copy.split("\\s+")).stream()
                .filter(a -> !a.startsWith("--"))
                .toList();
    }

    /** The COPY whose source starts with {@code prefix}: [source, destination]. */
    private static List<String> copyOf(String prefix) throws IOException {
        return instruction("COPY").stream()
                .map(DeploymentFilesTest::copyArgs)
                .filter(a -> a.size() == 2 && a.get(0).startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no COPY " + prefix + "... in " + DOCKERFILE));
    }

    /** The shaded job jar as `mvn package` names it, relative to the repository root. */
    private static String shadedJar() throws Exception {
        return "jobs/target/" + jobsPom("artifactId") + "-" + pomProperty("version") + "-"
                + jobsPom("shadedClassifierName") + ".jar";
    }

    // ---- small helpers ------------------------------------------------------------------------

    private static Map<String, Object> yaml(Path file) throws IOException {
        Object doc = new Load(LoadSettings.builder().setLabel(file.toString()).build())
                .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
        return map(doc);
    }

    private static List<Map<String, Object>> yamlAll(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Load(
                        LoadSettings.builder().setLabel(file.toString()).build())
                .loadAllFromString(Files.readString(file, StandardCharsets.UTF_8))) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).as("a YAML mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    private static List<String> strings(Object o) {
        if (o instanceof String s) {
            return List.of(s);
        }
        assertThat(o).as("a YAML sequence").isInstanceOf(List.class);
        return ((List<?>) o).stream().map(String::valueOf).toList();
    }

    /** Nested YAML keys joined with dots, as Flink reads its standard YAML configuration. */
    private static void flatten(String prefix, Map<String, Object> map, Map<String, String> out) {
        map.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?>) {
                flatten(name, map(value), out);
            } else {
                out.put(name, String.valueOf(value));
            }
        });
    }

    /** {@code --key value} and {@code --key=value} pairs, as JobConfig reads them. */
    private static Map<String, String> explicitArgs(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            assertThat(a).as("argument %d of %s", i, args).startsWith("--");
            int eq = a.indexOf('=');
            if (eq > 0) {
                out.put(a.substring(2, eq), a.substring(eq + 1));
            } else {
                out.put(a.substring(2), args.get(++i));
            }
        }
        return out;
    }

    /** The value the job runs with: given in the arguments, else the documented default. */
    private static String jobValue(Map<String, String> explicit, ConfigKeys.Key key) {
        return explicit.getOrDefault(key.name(), key.defaultValue());
    }

    private static Duration jobDuration(Map<String, String> explicit, ConfigKeys.Key key) {
        return Objects.requireNonNull(JobConfig.parseDuration(jobValue(explicit, key)), key.name());
    }

    private static void assertCheckpointDirAgrees(Map<String, String> explicit) throws IOException {
        String dir = explicit.get(ConfigKeys.CHECKPOINT_DIR.name());
        if (dir != null) {
            assertThat(dir)
                    .as("--checkpoint.dir overrides the cluster's")
                    .isEqualTo(flinkConf().get(CHECKPOINT_DIR));
        }
    }

    /** As ElasticsearchSinkBuilder: a CA needs an https host; the CA file must be in a mounted volume. */
    private static void assertElasticsearchTrust(Map<String, String> explicit, List<String> mounts) {
        String ca = explicit.get(ConfigKeys.ES_CA_CERT.name());
        String hosts = jobValue(explicit, ConfigKeys.ES_HOSTS);
        if (ca != null) {
            assertThat(hosts).as("es.hosts with es.ca-cert").contains("https://");
            assertThat(mounts).as("a volume holds %s", ca).anyMatch(m -> isUnder(ca, m));
        }
        if (hosts.contains("https://")) {
            assertThat(ca).as("es.ca-cert for %s", hosts).isNotNull();
        }
    }

    private static void assertIsJobMain(String className) throws ClassNotFoundException {
        Class<?> type = Class.forName(className, false, DeploymentFilesTest.class.getClassLoader());
        Method main;
        try {
            main = type.getMethod("main", String[].class);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(className + " has no main(String[])", e);
        }
        assertThat(Modifier.isStatic(main.getModifiers()))
                .as(className + ".main is static")
                .isTrue();
    }

    /** Same value as Flink reads it: enums and booleans ignore case, durations compare by length. */
    private static boolean sameFlinkValue(String a, String b) {
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        try {
            return TimeUtils.parseDuration(a).equals(TimeUtils.parseDuration(b));
        } catch (RuntimeException notDurations) {
            return false;
        }
    }

    private static String localPath(String fileUri) {
        assertThat(fileUri).as("a file:// URI").startsWith("file:/");
        return URI.create(fileUri).getPath();
    }

    private static boolean isUnder(String path, String dir) {
        return Path.of(path).normalize().startsWith(Path.of(dir).normalize());
    }

    private static int[] majorMinor(String version) {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)").matcher(version);
        assertThat(m.lookingAt()).as("version %s", version).isTrue();
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /**
     * Whether Docker leaves {@code path} out of the build context: the last pattern matching the
     * path or one of its parent directories decides, {@code !} re-includes.
     */
    static boolean dockerIgnored(List<String> patterns, String path) {
        boolean ignored = false;
        for (String raw : patterns) {
            boolean exception = raw.startsWith("!");
            PathMatcher matcher =
                    FileSystems.getDefault().getPathMatcher("glob:" + (exception ? raw.substring(1) : raw));
            for (Path p = Path.of(path); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    ignored = !exception;
                    break;
                }
            }
        }
        return ignored;
    }

    private static String pomProperty(String name) throws IOException {
        Document pom = xml(ROOT.resolve("pom.xml"));
        if (name.equals("version")) {
            return text(pom.getDocumentElement(), "version");
        }
        return text(pom.getDocumentElement(), "properties", name);
    }

    private static String jobsPom(String element) throws IOException {
        Document pom = xml(ROOT.resolve("jobs/pom.xml"));
        if (element.equals("artifactId")) {
            return text(pom.getDocumentElement(), "artifactId");
        }
        String value =
                pom.getElementsByTagName(element).item(0).getTextContent().trim();
        assertThat(value).as("<%s> in jobs/pom.xml", element).isNotBlank();
        return value;
    }

    /** Text of the direct-child path below {@code parent}. */
    private static String text(org.w3c.dom.Element parent, String... path) {
        org.w3c.dom.Element e = parent;
        for (String name : path) {
            org.w3c.dom.Element next = null;
            for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof org.w3c.dom.Element child && child.getTagName().equals(name)) {
                    next = child;
                    break;
                }
            }
            assertThat(next).as("<%s> in a pom", String.join("/", path)).isNotNull();
            e = next;
        }
        return e.getTextContent().trim();
    }

    private static Document xml(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(in);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
