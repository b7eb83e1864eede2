package io.desire.local;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.mapper.MapperExtrasPlugin;
import org.elasticsearch.index.shard.IndexSettingProvider;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.reindex.ReindexPlugin;
import org.elasticsearch.transport.Netty4Plugin;

/**
 * Starts a single-node Elasticsearch 7.17 in this JVM, for local runs and integration tests only.
 *
 * <pre>
 * java -cp ... io.desire.local.ElasticsearchLauncher --home DIR --http-port 9200 --transport-port 9300
 * </pre>
 *
 * <p>Everything (config, data, logs) lives under {@code --home}. The node binds to 127.0.0.1 only,
 * uses {@code discovery.type: single-node}, has no x-pack, and creates indices with 0 replicas unless a
 * template or the create-index request says otherwise, so a one-node cluster is green.
 *
 * <p>Running as root: the "can not run elasticsearch as root" refusal, the jar-hell check and the
 * security manager all live in {@code org.elasticsearch.bootstrap.Elasticsearch/Bootstrap}, which this
 * launcher does not use; it constructs the {@link Node} directly (as Elasticsearch's own test
 * framework does). Production bootstrap checks are not enforced for {@code single-node} discovery.
 * Never use this for anything but a throw-away local node.
 */
public final class ElasticsearchLauncher {

    /** Exposes Node's protected constructor that accepts classpath plugins. */
    static final class LocalNode extends Node {
        LocalNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    /** Default {@code index.number_of_replicas: 0}; templates and requests still win. */
    public static final class LocalDefaultsPlugin extends Plugin {
        @Override
        public Collection<IndexSettingProvider> getAdditionalIndexSettingProviders() {
            return Collections.singletonList(new IndexSettingProvider() {
                @Override
                public Settings getAdditionalIndexSettings(
                        String indexName, boolean isDataStreamIndex, Settings templateAndRequestSettings) {
                    if (templateAndRequestSettings.hasValue(IndexMetadata.SETTING_NUMBER_OF_REPLICAS)
                            || templateAndRequestSettings.hasValue(IndexMetadata.SETTING_AUTO_EXPAND_REPLICAS)) {
                        return Settings.EMPTY;
                    }
                    return Settings.builder().put(IndexMetadata.SETTING_NUMBER_OF_REPLICAS, 0).build();
                }
            });
        }
    }

    private ElasticsearchLauncher() {}

    public static void main(String[] args) throws Exception {
        // must be set before log4j initialises: the node logs while it closes in our shutdown hook
        System.setProperty("log4j.shutdownHookEnabled", "false");
        Path home = null;
        int httpPort = 9200;
        int transportPort = 9300;
        String clusterName = "desire-local";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--home": home = Path.of(args[++i]); break;
                case "--http-port": httpPort = Integer.parseInt(args[++i]); break;
                case "--transport-port": transportPort = Integer.parseInt(args[++i]); break;
                case "--cluster-name": clusterName = args[++i]; break;
                default:
                    System.err.println("unknown argument: " + a);
                    System.err.println("usage: ElasticsearchLauncher --home DIR [--http-port N] [--transport-port N] [--cluster-name NAME]");
                    System.exit(2);
            }
        }
        if (home == null) {
            System.err.println("--home DIR is required");
            System.exit(2);
        }
        home = home.toAbsolutePath();
        Path config = home.resolve("config");
        Path data = home.resolve("data");
        Path logs = home.resolve("logs");
        Files.createDirectories(config);
        Files.createDirectories(data);
        Files.createDirectories(logs);
        Files.createDirectories(home.resolve("plugins"));
        Path log4jConfig = config.resolve("log4j2.properties");
        // always refresh from the jar so edits to local-runtime/elasticsearch/config apply after a rebuild
        try (InputStream in = ElasticsearchLauncher.class.getResourceAsStream("/config/log4j2.properties")) {
            if (in == null) {
                throw new IllegalStateException("config/log4j2.properties missing from the launcher's classpath");
            }
            Files.copy(in, log4jConfig, StandardCopyOption.REPLACE_EXISTING);
        }

        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", data.toString())
                .put("path.logs", logs.toString())
                .put("cluster.name", clusterName)
                .put("node.name", "desire-local-es")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                .put("transport.port", transportPort)
                // a dev box or CI runner with a full-ish disk must not turn the cluster yellow/red
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.destructive_requires_name", false)
                .build();

        LogConfigurator.registerErrorListener();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
                settings, Collections.emptyMap(), config, () -> "desire-local-es");
        LogConfigurator.setNodeName("desire-local-es");
        LogConfigurator.configure(environment);

        List<Class<? extends Plugin>> plugins = List.of(
                Netty4Plugin.class, ReindexPlugin.class, MapperExtrasPlugin.class, LocalDefaultsPlugin.class);
        Node node = new LocalNode(environment, plugins);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                if (!node.awaitClose(20, TimeUnit.SECONDS)) {
                    LogManager.getLogger(ElasticsearchLauncher.class).warn("node did not close within 20s");
                }
            } catch (Throwable e) {
                LogManager.getLogger(ElasticsearchLauncher.class).error("error while stopping Elasticsearch", e);
            } finally {
                stopped.countDown();
                LogManager.shutdown(); // log4j's own shutdown hook is disabled (see main)
            }
        }, "desire-es-shutdown"));

        node.start();
        System.out.println("desire-local-es started: http://127.0.0.1:" + httpPort
                + " (transport 127.0.0.1:" + transportPort + ", home " + home + ")");
        stopped.await();
    }
}
