package io.desire.jobs.backfill;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.ModelUpdateCodec;
import io.desire.operators.als.ItemFactorUpdate;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the end-of-history signals on the item-vector topic: {@link ItemFactorUpdate#sweepAll} (one
 * more epoch of the item side over the interactions read) and the "history read" signal {@link
 * ItemFactorUpdate#refreshAll}, after which every ALS user subtask re-folds its users against the
 * final item vectors and every user's documents are ranked once more with the final models — without
 * ending event time, so the state stays that of the cut-over. They go through the topic (not a side
 * channel) so they reach every subtask after the vectors published before them.
 */
final class RefreshSignal {
    private RefreshSignal() {}

    static void send(JobConfig cfg, ItemFactorUpdate signal) throws Exception {
        Properties p = io.desire.jobs.io.KafkaClientSettings.merged(
                new Properties(), io.desire.jobs.io.KafkaClientSettings.of(cfg));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            cfg.getString(ConfigKeys.TOPIC_ITEM_FACTORS),
                            signal.itemId.getBytes(StandardCharsets.UTF_8),
                            ModelUpdateCodec.encode(signal)))
                    .get(60, TimeUnit.SECONDS);
        }
    }
}
