package io.desire.jobs;

import io.desire.features.event.RawRecord;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Version 2 of the streaming job in the savepoint-upgrade test: the shipped job plus an operator
 * that version 1 did not have (a stateful audit of input records per Kafka source split, with new
 * uids). The test packs it, with a {@code PaneTotals} (context windows) that has one more field, into a copy of the
 * shipped jar: what a team's next release looks like to Flink.
 */
public final class UpgradedStreamingJob {
    static final String AUDIT_SOURCE_UID = "desire-v2-audit-source";
    static final String AUDIT_COUNT_UID = "desire-v2-audit-count";
    static final String AUDIT_STATE = "records-seen";

    private UpgradedStreamingJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig cfg = JobConfig.fromArgs(args);
        StreamExecutionEnvironment env = JobEnvironment.create(cfg);
        StreamingJob.wire(env, cfg);
        JobConfig audit = cfg.with(ConfigKeys.KAFKA_GROUP.name(), cfg.getString(ConfigKeys.KAFKA_GROUP) + "-audit");
        env.fromSource(StreamingJob.kafkaSource(audit), WatermarkStrategy.noWatermarks(), "events (audit)")
                .uid(AUDIT_SOURCE_UID)
                .keyBy(UpgradedStreamingJob::split)
                .process(new CountRecords())
                .uid(AUDIT_COUNT_UID)
                .name("audit: records per source")
                .sinkTo(new DiscardingSink<>())
                .uid("desire-v2-audit-sink");
        env.execute("desire-streaming");
    }

    /** "kafka:topic/partition" of a record's source "kafka:topic/partition@offset". */
    static String split(RawRecord r) {
        if (r.source == null) {
            return "";
        }
        int at = r.source.indexOf('@');
        return at < 0 ? r.source : r.source.substring(0, at);
    }

    /** Counts records per key in state; emits nothing the job needs. */
    static final class CountRecords extends KeyedProcessFunction<String, RawRecord, Long> {
        private transient ValueState<Long> seen;

        @Override
        public void open(OpenContext context) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>(AUDIT_STATE, Types.LONG));
        }

        @Override
        public void processElement(RawRecord record, Context ctx, Collector<Long> out) throws Exception {
            Long n = seen.value();
            seen.update(n == null ? 1L : n + 1);
        }
    }
}
