package io.desire.jobs.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillJobTest {

    @Test
    void aPlainBootstrapFolderGetsItsFileSystemSchemeWhichFlinkRequiresOfSnapshotFolders() throws Exception {
        assertThat(BackfillJob.qualified("/data/boot")).isEqualTo("file:/data/boot");
        assertThat(BackfillJob.qualified("file:///data/boot")).isEqualTo("file:/data/boot");
        assertThat(BackfillJob.qualified(null)).isNull();
    }

    @Test
    void coalescesDocumentsAndSkipsCheckpointsUnlessTheUserChoseOtherwise() {
        JobConfig defaults = BackfillJob.backfillConfig(JobConfig.of(Map.of()));
        assertThat(defaults.getString(ConfigKeys.COALESCE))
                .as("ranking at the end of history: only stragglers wait")
                .isEqualTo(BackfillJob.DEFAULT_COALESCE_RANK_AT_END);
        assertThat(defaults.getString(ConfigKeys.CHECKPOINT_INTERVAL))
                .isEqualTo(BackfillJob.DEFAULT_CHECKPOINT_INTERVAL);
        assertThat(defaults.getString(ConfigKeys.ES_BULK_ACTIONS)).isEqualTo(BackfillJob.DEFAULT_BULK_ACTIONS);
        assertThat(defaults.getString(ConfigKeys.ES_BULK_SIZE)).isEqualTo(BackfillJob.DEFAULT_BULK_SIZE);
        assertThat(BackfillJob.settle(defaults)).hasMillis(1_200);

        JobConfig coalesced = BackfillJob.backfillConfig(JobConfig.fromArgs(new String[] {"--recs.serve", "auto"}));
        assertThat(coalesced.getString(ConfigKeys.COALESCE)).isEqualTo(BackfillJob.DEFAULT_COALESCE);
        assertThat(BackfillJob.settle(coalesced)).hasSeconds(31);
        assertThat(defaults.getString(ConfigKeys.ALS_CANDIDATES_INTERVAL))
                .isEqualTo(BackfillJob.DEFAULT_ALS_CANDIDATES_INTERVAL);
        assertThat(BackfillJob.backfillConfig(JobConfig.fromArgs(new String[] {"--als.candidates-interval", "0ms"}))
                        .getString(ConfigKeys.ALS_CANDIDATES_INTERVAL))
                .isEqualTo("0ms");

        String[] args = {"--recs.coalesce", "200ms", "--checkpoint.interval=10s"};
        JobConfig chosen = BackfillJob.backfillConfig(JobConfig.fromArgs(args));
        assertThat(chosen.getString(ConfigKeys.COALESCE)).isEqualTo("200ms");
        assertThat(chosen.getString(ConfigKeys.CHECKPOINT_INTERVAL)).isEqualTo("10s");
        assertThat(BackfillJob.settle(chosen.with(ConfigKeys.BACKFILL_SETTLE.name(), "2s")))
                .hasSeconds(2);
    }

    @Test
    void ranksAtTheEndUnlessWhatServesOrLearnsNeedsTheDocumentsOfHistory() {
        assertThat(HistoryReadFeed.applies(JobConfig.of(Map.of()))).isTrue();
        assertThat(HistoryReadFeed.applies(JobConfig.fromArgs(new String[] {"--learning.enabled", "false"})))
                .isTrue();
        assertThat(HistoryReadFeed.applies(JobConfig.fromArgs(new String[] {"--backfill.rank-at-end", "false"})))
                .isFalse();
        assertThat(HistoryReadFeed.applies(JobConfig.fromArgs(new String[] {"--recs.serve", "auto"})))
                .as("the arms are judged on the documents of history")
                .isFalse();
        assertThat(HistoryReadFeed.applies(JobConfig.fromArgs(new String[] {"--ranker.labels", "both"})))
                .as("the ranker learns from served documents")
                .isFalse();
    }
}
