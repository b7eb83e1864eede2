package io.desire.jobs.history;

import io.desire.features.event.RawRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.Path;

/**
 * The Flink {@link FileSource} of history files: raw records (and markers) as {@link
 * HistoryFormatReader} reads them, to pass through {@link HistoryRecords} and then the event parser.
 *
 * <p>Guarantees: the source reads exactly the given files, each once, whole, by one reader; none is
 * filtered out (Flink's default filter would drop names starting with {@code .} or {@code _} even
 * when named explicitly). Bounded, it finishes after the last file. With {@code keepAlive} it stays
 * running after the last file, reading nothing more, until the job is stopped (with a savepoint);
 * the files are listed once, not polled, so a large file set on an object store costs no requests
 * while the job idles.
 */
public final class HistorySource {

    /**
     * With {@code keepAlive}, how often the source's enumerator wakes; the files are handed out at the
     * first wake-up, after this delay.
     */
    public static final Duration KEEP_ALIVE_DISCOVERY_INTERVAL = Duration.ofSeconds(1);

    private HistorySource() {}

    /**
     * A source over {@code files} in {@code configuredOrNull}, or detecting the format per file when
     * it is {@code null}.
     *
     * @throws IllegalArgumentException when {@code files} is empty, or the format is detected and a
     *     file's name tells none ({@link HistoryFormat#checkDetectable})
     */
    public static FileSource<RawRecord> files(
            List<HistoryFile> files, HistoryFormat configuredOrNull, boolean keepAlive) {
        return files(files, configuredOrNull, ContextColumns.ALL, keepAlive);
    }

    /**
     * As {@link #files(List, HistoryFormat, boolean)}; of CSV files, the columns that are not event
     * fields and that {@code contextColumns} selects become context attributes.
     */
    public static FileSource<RawRecord> files(
            List<HistoryFile> files, HistoryFormat configuredOrNull, ContextColumns contextColumns, boolean keepAlive) {
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("no history files to read");
        }
        Path[] paths = new Path[files.size()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = files.get(i).path();
            if (configuredOrNull == null) {
                HistoryFormat.checkDetectable(paths[i].toString());
            }
        }
        FileSource.FileSourceBuilder<RawRecord> builder = FileSource.forBulkFileFormat(
                new HistoryFormatReader(configuredOrNull, HistoryFormatReader.DEFAULT_BATCH_SIZE, contextColumns),
                paths);
        builder.setFileEnumerator(new ListedOnce());
        if (keepAlive) {
            builder.monitorContinuously(KEEP_ALIVE_DISCOVERY_INTERVAL);
        } else {
            builder.processStaticFileSet();
        }
        return builder.build();
    }

    /**
     * Lists the given paths once per enumerator, whole and unfiltered; later calls (the continuous
     * enumerator's periodic discovery) find nothing new without touching the file system. After a
     * restore the files are listed again, and the enumerator's checkpointed set of processed paths
     * keeps them from being read twice.
     */
    static final class ListedOnce implements FileEnumerator.Provider {
        private static final long serialVersionUID = 1L;

        @Override
        public FileEnumerator create() {
            NonSplittingRecursiveEnumerator all = new NonSplittingRecursiveEnumerator(path -> true);
            return new FileEnumerator() {
                private boolean listed;

                @Override
                public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int minDesiredSplits)
                        throws IOException {
                    if (listed) {
                        return List.of();
                    }
                    Collection<FileSourceSplit> splits = all.enumerateSplits(paths, minDesiredSplits);
                    listed = true;
                    return splits;
                }
            };
        }
    }
}
