package io.desire.eval;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Chooses the document an app shows a user, as the README tells apps to read: the document of the
 * user in the context the app is in (by id {@code user:contextKey}); if there is none, the user's
 * other documents, the most recent first ({@code event_time} descending, then {@code
 * profile_events} descending). With {@link Match#USER} the context is ignored and the user's document
 * with the most {@code profile_events} (then the newest) is taken — the rule of the independent
 * served-check scorer, kept for cross-checking.
 */
final class DocumentMatcher {

    /** How a test event is matched to a document. */
    enum Match {
        /** The document of the event's context, else the user's most recent document. */
        CONTEXT,
        /** The user's document with the most profile events, whatever the context. */
        USER;

        static Match parse(String s) {
            return switch (s) {
                case "context" -> CONTEXT;
                case "user" -> USER;
                default ->
                    throw new IllegalArgumentException("--served-match must be context or user, got '" + s + "'");
            };
        }
    }

    /** How the chosen document was found. */
    enum How {
        CONTEXT,
        FALLBACK,
        NONE
    }

    /** The chosen document (null when the user has none) and how it was found. */
    record Choice(ServedDocument document, How how) {}

    static final Comparator<ServedDocument> MOST_RECENT = Comparator.comparingLong(ServedDocument::eventTime)
            .reversed()
            .thenComparing(
                    Comparator.comparingLong(ServedDocument::profileEvents).reversed())
            .thenComparing(ServedDocument::id);

    static final Comparator<ServedDocument> MOST_EVENTS = Comparator.comparingLong(ServedDocument::profileEvents)
            .reversed()
            .thenComparing(Comparator.comparingLong(ServedDocument::eventTime).reversed())
            .thenComparing(ServedDocument::id);

    private final Match match;

    DocumentMatcher(Match match) {
        this.match = match;
    }

    /**
     * @param contextKey the context of the test event (ignored with {@link Match#USER})
     * @param byContext the user's document of a context key, or null (a GET by id)
     * @param userDocuments all documents of the user (a search by user), asked only when needed
     */
    Choice choose(
            String contextKey,
            Function<String, ServedDocument> byContext,
            Supplier<List<ServedDocument>> userDocuments) {
        if (match == Match.CONTEXT && contextKey != null) {
            ServedDocument d = byContext.apply(contextKey);
            if (d != null) {
                return new Choice(d, How.CONTEXT);
            }
        }
        List<ServedDocument> all = userDocuments.get();
        if (all.isEmpty()) {
            return new Choice(null, How.NONE);
        }
        ServedDocument best = all.stream()
                .min(match == Match.USER ? MOST_EVENTS : MOST_RECENT)
                .orElseThrow();
        return new Choice(best, How.FALLBACK);
    }
}
