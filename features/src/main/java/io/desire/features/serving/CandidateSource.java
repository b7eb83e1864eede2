package io.desire.features.serving;

import io.desire.features.ranking.Reasons;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The candidate sources of the serving path, in their back-fill priority: when a list led by one
 * source runs short, the others fill it in this order. Each has a stable name ({@code recs.sources})
 * and the reason code its items carry in documents.
 */
public enum CandidateSource {
    /** The user's top-N of the ALS factor model. */
    ALS("als", Reasons.ALS),
    /** Items that often followed the user's most recent items (co-visitation). */
    SEQUENCE("sequence", Reasons.SEQUENCE),
    /** Items the user showed affinity for, and items of the user's favourite categories. */
    AFFINITY("affinity", Reasons.AFFINITY_ITEM),
    /** Items trending in the user's context (geo cell × time bucket × device) over the trending window. */
    CONTEXT("context", Reasons.CONTEXT_TRENDING),
    /** Long-horizon popularity: decayed interaction counts over days to weeks. */
    POPULAR("popular", Reasons.POPULAR);

    /** The default of {@code recs.sources}: every source. */
    public static final String ALL = "als,sequence,affinity,context,popular";

    private final String configName;
    private final String reason;

    CandidateSource(String configName, String reason) {
        this.configName = configName;
        this.reason = reason;
    }

    /** The name in {@code recs.sources} and in model versions ({@code source-<name>}). */
    public String configName() {
        return configName;
    }

    /** The reason code of the source's items in documents. */
    public String reason() {
        return reason;
    }

    /**
     * Parses a comma-separated list of source names.
     *
     * @throws IllegalArgumentException naming the bad entry and the allowed names, or for an empty list
     */
    public static Set<CandidateSource> parseList(String spec) {
        EnumSet<CandidateSource> out = EnumSet.noneOf(CandidateSource.class);
        for (String part : (spec == null ? "" : spec).split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            CandidateSource s = byName(name);
            if (s == null) {
                throw new IllegalArgumentException(
                        "recs.sources lists '" + part.trim() + "'; expected names among " + ALL);
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("recs.sources must name at least one of " + ALL);
        }
        return out;
    }

    /** The source of this config name, or null. */
    public static CandidateSource byName(String name) {
        for (CandidateSource s : values()) {
            if (s.configName.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The names of {@code sources}, in priority order. */
    public static List<String> names(Set<CandidateSource> sources) {
        List<String> out = new ArrayList<>();
        for (CandidateSource s : sources) {
            out.add(s.configName);
        }
        return out;
    }
}
