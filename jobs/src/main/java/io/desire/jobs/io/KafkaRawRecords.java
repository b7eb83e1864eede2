package io.desire.jobs.io;

import io.desire.features.event.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Hands Kafka records to the engine unparsed, tagged with {@code kafka:topic/partition@offset}.
 * Parsing happens in a downstream operator so that a bad record becomes a dead letter instead of a
 * failed source. Records with a null value (tombstones) are skipped: they carry no event.
 */
public final class KafkaRawRecords implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        if (record.value() == null) {
            return;
        }
        String source = "kafka:" + record.topic() + '/' + record.partition() + '@' + record.offset();
        out.collect(new RawRecord(record.value(), source, record.timestamp()));
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
