package io.desire.operators.state;

import java.io.IOException;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The snapshot of a {@link CompactSerializer}: no configuration, only a format version. It resolves
 * compatibility so that savepoints taken before the compact formats existed restore:
 *
 * <ul>
 *   <li>its own snapshot, same version: compatible as is;
 *   <li>a {@link PojoSerializerSnapshot} of the same state type (what Flink wrote while the type was
 *       serialised as a POJO): compatible after migration — Flink reads each value with the restored
 *       POJO serializer and writes it back in the compact format (eagerly on RocksDB, on restore on
 *       the heap backend);
 *   <li>anything else: incompatible.
 * </ul>
 *
 * A type whose format changed gives its snapshot a higher version and a serializer per version it
 * still reads ({@link #CompactSerializerSnapshot(Class, int, IntFunction)}): an older snapshot then
 * restores a serializer of the old format and resolves "compatible after migration", so Flink reads
 * the old values with it and writes them in the current format. A type whose format only gained
 * encodings that the current serializer reads next to the old ones ({@link
 * #CompactSerializerSnapshot(Class, int, Supplier)}) restores older versions as is, without
 * rewriting the state; its higher version makes an older build refuse the newer savepoint instead of
 * failing on its first unknown value.
 *
 * <p>Subclasses need a public no-argument constructor: Flink instantiates them by name on restore.
 */
public abstract class CompactSerializerSnapshot<T> implements TypeSerializerSnapshot<T> {
    /** Version of the compact formats; bump it, and keep reading the old one, when a format changes. */
    public static final int VERSION = 1;

    private final Class<T> type;
    private final int currentVersion;
    private final IntFunction<? extends TypeSerializer<T>> serializerOfVersion;
    private final boolean readsOlderAsIs;
    private int readVersion;

    protected CompactSerializerSnapshot(Class<T> type, Supplier<? extends TypeSerializer<T>> serializer) {
        this(type, VERSION, version -> serializer.get());
    }

    /**
     * @param currentVersion the version of the type's current format, ≥ {@link #VERSION}
     * @param serializer the current serializer, which reads every format 1..currentVersion as is
     */
    protected CompactSerializerSnapshot(
            Class<T> type, int currentVersion, Supplier<? extends TypeSerializer<T>> serializer) {
        this(type, currentVersion, version -> serializer.get(), true);
    }

    /**
     * @param currentVersion the version of the type's current format, ≥ {@link #VERSION}
     * @param serializerOfVersion the serializer reading format {@code v}, for every v in 1..currentVersion
     */
    protected CompactSerializerSnapshot(
            Class<T> type, int currentVersion, IntFunction<? extends TypeSerializer<T>> serializerOfVersion) {
        this(type, currentVersion, serializerOfVersion, false);
    }

    private CompactSerializerSnapshot(
            Class<T> type,
            int currentVersion,
            IntFunction<? extends TypeSerializer<T>> serializerOfVersion,
            boolean readsOlderAsIs) {
        this.type = type;
        this.readsOlderAsIs = readsOlderAsIs;
        this.currentVersion = currentVersion;
        this.serializerOfVersion = serializerOfVersion;
        this.readVersion = currentVersion;
    }

    @Override
    public int getCurrentVersion() {
        return currentVersion;
    }

    @Override
    public void writeSnapshot(DataOutputView out) {}

    @Override
    public void readSnapshot(int version, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
        if (version < 1 || version > currentVersion) {
            throw new IOException(getClass().getSimpleName() + ": unknown format version " + version);
        }
        readVersion = version;
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return serializerOfVersion.apply(readVersion);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
        if (old != null && old.getClass() == getClass()) {
            return ((CompactSerializerSnapshot<T>) old).readVersion == currentVersion || readsOlderAsIs
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        if (old instanceof PojoSerializerSnapshot<T> pojo && isPojoOf(pojo)) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }

    /** Whether the old POJO snapshot is of this state type (not of another type under the same name). */
    private boolean isPojoOf(PojoSerializerSnapshot<T> pojo) {
        TypeSerializer<T> prior = pojo.restoreSerializer();
        if (!(prior instanceof PojoSerializer)) {
            return false;
        }
        Object sample = prior.createInstance();
        return sample != null && sample.getClass() == type;
    }
}
