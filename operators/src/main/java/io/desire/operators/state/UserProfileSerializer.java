package io.desire.operators.state;

import io.desire.features.profile.DecayedScores;
import io.desire.features.profile.UserProfile;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link UserProfile} in the compact format: one {@link StringTable} for every string of the profile
 * (item ids, categories, segment, locale, model version), then the two decayed score sets as
 * references and doubles, the recent and purchased items as references, and the times as deltas
 * from the last event time. About half the bytes of the POJO format, with no reflection.
 */
public final class UserProfileSerializer extends CompactSerializer<UserProfile> {
    private static final long serialVersionUID = 1L;

    /** The one instance: the serializer has no state. */
    public static final UserProfileSerializer INSTANCE = new UserProfileSerializer();

    /**
     * Version of the format: 2 writes doubles as small integers where they are multiples of 1/4
     * ({@link CompactCodec#writeDoubles}); format 1 is read as is.
     */
    public static final int FORMAT = 2;

    private static final int HAS_ITEMS = 1;
    private static final int HAS_CATEGORIES = 2;

    @Override
    public UserProfile createInstance() {
        return new UserProfile();
    }

    @Override
    public void serialize(UserProfile p, DataOutputView out) throws IOException {
        StringTable strings = new StringTable(keys(p.items) + keys(p.categories) + 16);
        int[][] items = refs(strings, p.items);
        int[][] categories = refs(strings, p.categories);
        int[] recent = strings.refs(p.recentItems);
        int[] purchased = strings.refs(p.purchased);
        int segment = strings.ref(p.segment);
        int locale = strings.ref(p.locale);
        int modelVersion = strings.ref(p.modelVersion);
        strings.write(out);

        CompactCodec.writeTime(out, p.lastEventTime, 0);
        CompactCodec.writeSignedVarLong(out, p.events);
        out.writeByte((p.items != null ? HAS_ITEMS : 0) | (p.categories != null ? HAS_CATEGORIES : 0));
        write(items, p.items, p.lastEventTime, out);
        write(categories, p.categories, p.lastEventTime, out);
        StringTable.writeRefs(out, recent);
        StringTable.writeRefs(out, purchased);
        StringTable.writeRef(out, segment);
        StringTable.writeRef(out, locale);
        StringTable.writeRef(out, modelVersion);
    }

    @Override
    public UserProfile deserialize(DataInputView in) throws IOException {
        String[] strings = StringTable.read(in);
        UserProfile p = new UserProfile();
        p.lastEventTime = CompactCodec.readTime(in, 0);
        p.events = CompactCodec.readSignedVarLong(in);
        int present = in.readUnsignedByte();
        p.items = (present & HAS_ITEMS) != 0 ? read(strings, p.lastEventTime, in) : null;
        p.categories = (present & HAS_CATEGORIES) != 0 ? read(strings, p.lastEventTime, in) : null;
        p.recentItems = StringTable.refs(in, strings);
        p.purchased = StringTable.refs(in, strings);
        p.segment = StringTable.ref(in, strings);
        p.locale = StringTable.ref(in, strings);
        p.modelVersion = StringTable.ref(in, strings);
        return p;
    }

    /** Distinct strings are mostly the scored keys: labels, recent and purchased items repeat them. */
    private static int keys(DecayedScores s) {
        return s == null ? 0 : CompactCodec.length(s.keys);
    }

    /** References of the keys and labels of {@code s}; null for a null set. */
    private static int[][] refs(StringTable strings, DecayedScores s) {
        return s == null ? null : new int[][] {strings.refs(s.keys), strings.refs(s.labels)};
    }

    private static void write(int[][] refs, DecayedScores s, long base, DataOutputView out) throws IOException {
        if (s == null) {
            return;
        }
        StringTable.writeRefs(out, refs[0]);
        CompactCodec.writeDoubles(out, s.values);
        StringTable.writeRefs(out, refs[1]);
        CompactCodec.writeTime(out, s.asOf, base);
    }

    private static DecayedScores read(String[] strings, long base, DataInputView in) throws IOException {
        DecayedScores s = new DecayedScores();
        s.keys = StringTable.refs(in, strings);
        s.values = CompactCodec.readDoubles(in);
        s.labels = StringTable.refs(in, strings);
        s.asOf = CompactCodec.readTime(in, base);
        return s;
    }

    @Override
    public Snapshot snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of {@link UserProfileSerializer}; restores savepoints of the POJO format too. */
    public static final class Snapshot extends CompactSerializerSnapshot<UserProfile> {
        public Snapshot() {
            super(UserProfile.class, FORMAT, () -> INSTANCE);
        }
    }
}
