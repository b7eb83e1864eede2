package io.desire.operators.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.profile.DecayedScores;
import io.desire.features.profile.UserProfile;
import io.desire.features.serving.ConsumedItems;
import io.desire.features.serving.SessionLists;
import io.desire.operators.UserContexts;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.als.UserFactorState;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The compact serializers write the fields they know by hand: a field added to a state type would
 * silently not be saved. This test lists each type's fields as its serializer writes them; when it
 * fails, add the field to the serializer under a new {@link CompactSerializerSnapshot#VERSION} that
 * still reads the previous format, then update the list.
 */
class CompactStateFieldsTest {

    @Test
    void everyFieldOfEveryStateTypeIsWrittenByItsSerializer() {
        assertThat(fields(UserProfile.class))
                .as("UserProfileSerializer")
                .containsExactlyInAnyOrder(
                        "items",
                        "categories",
                        "recentItems",
                        "purchased",
                        "segment",
                        "locale",
                        "modelVersion",
                        "events",
                        "lastEventTime");
        assertThat(fields(DecayedScores.class))
                .as("UserProfileSerializer (decayed scores)")
                .containsExactlyInAnyOrder("keys", "values", "labels", "asOf");
        assertThat(fields(UserContexts.class))
                .as("UserContextsSerializer")
                .containsExactlyInAnyOrder(
                        "keys",
                        "emittedEventTime",
                        "pendingEventTime",
                        "attributes",
                        "timerAt",
                        "flushArmed",
                        "fingerprint",
                        "writtenAt");
        assertThat(fields(AlsCandidates.class))
                .as("AlsCandidatesSerializer")
                .containsExactlyInAnyOrder("userId", "items", "scores", "categories", "eventTime", "refresh");
        assertThat(fields(UserFactorState.class))
                .as("UserFactorStateSerializer")
                .containsExactlyInAnyOrder("factors", "items", "values", "eventTime");
        assertThat(fields(ConsumedItems.class)).as("ConsumedItemsSerializer").containsExactlyInAnyOrder("hashes");
        assertThat(fields(SessionLists.class))
                .as("SessionListsSerializer")
                .containsExactlyInAnyOrder("lastEventTime", "k", "hashes", "scored", "nextHashes", "nextScored");
    }

    /** Instance fields of the type and its superclasses, as Flink's POJO analysis sees them. */
    private static Set<String> fields(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())) {
                    names.add(f.getName());
                }
            }
        }
        return names;
    }
}
