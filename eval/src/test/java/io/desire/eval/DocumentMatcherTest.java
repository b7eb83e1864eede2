package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Test events are matched to the document of their context first, then to the user's other documents. */
class DocumentMatcherTest {

    private static final ServedDocument EVENING = doc("evening", 3_000, 30);
    private static final ServedDocument MORNING = doc("morning", 5_000, 20);
    private static final ServedDocument NIGHT = doc("night", 5_000, 40);

    private static ServedDocument doc(String context, long eventTime, long profileEvents) {
        return new ServedDocument("u:" + context, context, eventTime, profileEvents, List.of("i-" + context));
    }

    private static final Map<String, ServedDocument> BY_CONTEXT =
            Map.of("evening", EVENING, "morning", MORNING, "night", NIGHT);

    @Test
    void theDocumentOfTheEventsContextComesFirstWithoutSearching() {
        AtomicInteger searches = new AtomicInteger();
        DocumentMatcher.Choice c = new DocumentMatcher(DocumentMatcher.Match.CONTEXT)
                .choose("evening", BY_CONTEXT::get, () -> {
                    searches.incrementAndGet();
                    return List.of(EVENING, MORNING, NIGHT);
                });
        assertThat(c.document()).isEqualTo(EVENING);
        assertThat(c.how()).isEqualTo(DocumentMatcher.How.CONTEXT);
        assertThat(searches).hasValue(0);
    }

    @Test
    void withoutADocumentInThatContextTheMostRecentThenMostEventsWins() {
        DocumentMatcher.Choice c = new DocumentMatcher(DocumentMatcher.Match.CONTEXT)
                .choose("weekend", BY_CONTEXT::get, () -> List.of(EVENING, MORNING, NIGHT));
        // morning and night share the newest event time; night has more profile events
        assertThat(c.document()).isEqualTo(NIGHT);
        assertThat(c.how()).isEqualTo(DocumentMatcher.How.FALLBACK);
    }

    @Test
    void aUserWithoutDocumentsGetsNone() {
        DocumentMatcher.Choice c =
                new DocumentMatcher(DocumentMatcher.Match.CONTEXT).choose("evening", key -> null, List::of);
        assertThat(c.document()).isNull();
        assertThat(c.how()).isEqualTo(DocumentMatcher.How.NONE);
    }

    @Test
    void userMatchTakesTheDocumentWithTheMostProfileEventsWhateverTheContext() {
        ServedDocument older = doc("old", 1_000, 99);
        DocumentMatcher.Choice c = new DocumentMatcher(DocumentMatcher.Match.USER)
                .choose("evening", BY_CONTEXT::get, () -> List.of(EVENING, older, NIGHT));
        assertThat(c.document()).isEqualTo(older);
    }
}
