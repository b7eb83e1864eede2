package io.desire.eval;

import java.util.List;

/**
 * One recommendation document as an app reads it from Elasticsearch: its id ({@code
 * user:contextKey}), its context key, the newest event time it reflects, the number of the user's
 * events behind it, and its items in rank order.
 */
record ServedDocument(String id, String contextKey, long eventTime, long profileEvents, List<String> items) {

    ServedDocument {
        items = List.copyOf(items);
    }
}
