package io.desire.jobs;

import io.desire.features.event.DeadLetter;
import io.desire.features.event.RawRecord;
import io.desire.features.recs.Recommendation;
import io.desire.jobs.config.JobConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The recommendation pipeline run to the end on a bounded input, as raw records {@code test#1..n}
 * received at {@link TestEvents#T0}: the documents and dead letters it produced, and its job id.
 */
record BoundedPipeline(JobID job, List<Recommendation> recommendations, List<DeadLetter> deadLetters) {

    static BoundedPipeline run(List<String> lines, JobConfig cfg, String name) throws Exception {
        List<RawRecord> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            records.add(new RawRecord(lines.get(i).getBytes(StandardCharsets.UTF_8), "test#" + (i + 1), TestEvents.T0));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                JobEnvironment.flinkConfiguration(new Configuration(), cfg));
        DataStream<RawRecord> raw = env.fromData(records, TypeInformation.of(RawRecord.class));
        RecommendationPipeline.Outputs out = RecommendationPipeline.build(raw, cfg);
        CloseableIterator<Recommendation> recs = out.recommendations().collectAsync();
        CloseableIterator<DeadLetter> dead = out.deadLetters().collectAsync();
        JobID job = env.execute(name).getJobID();
        List<Recommendation> recommendations = new ArrayList<>();
        recs.forEachRemaining(recommendations::add);
        List<DeadLetter> deadLetters = new ArrayList<>();
        dead.forEachRemaining(deadLetters::add);
        return new BoundedPipeline(job, recommendations, deadLetters);
    }
}
