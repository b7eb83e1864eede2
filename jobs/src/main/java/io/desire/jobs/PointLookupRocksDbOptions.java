package io.desire.jobs;

import java.util.Collection;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * RocksDB column options for the engine's access pattern: almost every state access is a point
 * read of one small value by its exact key (a user's profile, an item's catalog entry, an event id
 * that de-duplication has usually never seen), and no state is scanned by key prefix.
 *
 * <p>It adds a whole-key bloom filter to each memtable, so a read of an absent key (every new event
 * id, every new user) skips the memtable's skip list. The bloom filters of the SST files are Flink's
 * own option ({@code state.backend.rocksdb.use-bloom-filter}), set next to this factory by {@link
 * JobEnvironment}. Neither changes what is stored: checkpoints and savepoints are the same with or
 * without them, so the setting can change between restores.
 */
public class PointLookupRocksDbOptions implements RocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;

    /**
     * Share of a memtable's size given to its bloom filter. RocksDB's documentation suggests 0.1 or
     * less; with whole-key filtering this gives about ten bits per key for the engine's small values.
     */
    static final double MEMTABLE_BLOOM_RATIO = 0.1;

    @Override
    public DBOptions createDBOptions(DBOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        return currentOptions;
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(
            ColumnFamilyOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        return currentOptions
                .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO)
                .setMemtableWholeKeyFiltering(true);
    }
}
