package io.desire.operators;

/**
 * The items one user interacted with in one context, per slide-sized pane: the keyed map value of
 * {@link ContextTrending}'s differentially private mode in earlier versions ({@value
 * ContextTrending#LEGACY_USER_STATE_NAME}), kept so that their savepoints restore; {@link
 * ContextTrending} moves it into {@link PaneUsers}. A Flink POJO of parallel arrays sorted by pane
 * start, then arrival; each (pane, item) appears once.
 */
public class UserPanes {
    /** Pane start times (epoch ms, multiples of the slide), ascending. */
    public long[] paneStarts = new long[0];
    /** The item of each entry. */
    public String[] items = new String[0];

    public UserPanes() {}
}
