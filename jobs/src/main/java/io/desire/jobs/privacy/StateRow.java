package io.desire.jobs.privacy;

/**
 * One piece of an operator's state on its way from an old snapshot to the rewritten one: a keyed
 * value, map entry or list element of one key, a timer of that key, or an entry of the operator's
 * broadcast or union list state. Values travel as the bytes of the state's own serializer, so the
 * rewrite never re-interprets them. A Flink POJO.
 */
public class StateRow {
    public static final int VALUE = 0;
    public static final int MAP_ENTRY = 1;
    public static final int LIST_ELEMENT = 2;
    public static final int EVENT_TIMER = 3;
    public static final int PROCESSING_TIMER = 4;
    public static final int BROADCAST_ENTRY = 5;
    public static final int UNION_ELEMENT = 6;

    /** The state key (a user pseudonym, an item id…); empty for operator (non-keyed) state. */
    public String key = "";

    public int kind;
    /** Index of the state in its {@link UserStateSpec} list of that kind. */
    public int state;
    /** Serialised map key (map entries, broadcast entries), else empty. */
    public byte[] entryKey = new byte[0];
    /** Serialised value or element, else empty. */
    public byte[] value = new byte[0];
    /** Timer time. */
    public long time;

    public StateRow() {}

    StateRow(String key, int kind, int state, byte[] entryKey, byte[] value, long time) {
        this.key = key;
        this.kind = kind;
        this.state = state;
        this.entryKey = entryKey;
        this.value = value;
        this.time = time;
    }
}
