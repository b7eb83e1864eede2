package io.desire.operators;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the item catalog and fills in the category of behaviour events.
 *
 * <p>{@code item} events upsert the item's attributes: fields the event carries replace the stored
 * ones, absent ({@code null}) fields leave them unchanged, and an {@code item} event older (event
 * time) than the last one applied changes nothing. {@code item} events are forwarded too. Behaviour
 * events without a category get the catalog's category when the item is known; events of unknown
 * items and all other events pass through unchanged. Nothing is dropped.
 *
 * <p><b>State:</b> one {@link CatalogItem} per item ({@value #STATE_NAME}). <b>TTL:</b> none: an item's
 * attributes are needed for as long as the item receives events, and the catalog is small (one small
 * entry per item).
 *
 * <p>Wiring: key by {@link #keySelector()}: the item id, or for events without one ({@code user},
 * {@code forget_user}) a per-user key that can never equal an item id, so those events spread across
 * subtasks and never touch catalog state. Metrics: counters {@value #ITEMS_METRIC} and
 * {@value #ENRICHED_METRIC}.
 */
public class EnrichFromCatalog extends KeyedProcessFunction<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    public static final String STATE_NAME = "catalog-item";
    public static final String ITEMS_METRIC = "catalogUpdates";
    public static final String ENRICHED_METRIC = "eventsEnriched";
    /** Prefix of keys of events without item; control characters never occur in validated ids. */
    public static final String NO_ITEM_KEY_PREFIX = "\u0001";

    private transient ValueState<CatalogItem> catalog;
    private transient Counter updates;
    private transient Counter enriched;

    public static ValueStateDescriptor<CatalogItem> createStateDescriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(CatalogItem.class));
    }

    /** Keys by item id; events without item by {@code \u0001 + userId}. */
    public static KeySelector<Event, String> keySelector() {
        return e -> e.itemId != null ? e.itemId : NO_ITEM_KEY_PREFIX + e.userId;
    }

    @Override
    public void open(OpenContext openContext) {
        catalog = getRuntimeContext().getState(createStateDescriptor());
        updates = getRuntimeContext().getMetricGroup().counter(ITEMS_METRIC);
        enriched = getRuntimeContext().getMetricGroup().counter(ENRICHED_METRIC);
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<Event> out) throws Exception {
        if (event.itemId == null || event.type == null) {
            out.collect(event);
            return;
        }
        if (event.type == EventType.ITEM) {
            upsert(event);
            out.collect(event);
            return;
        }
        if (event.type.isBehaviour() && event.category == null) {
            CatalogItem item = catalog.value();
            if (item != null && item.category != null) {
                Event copy = event.copy();
                copy.category = item.category;
                enriched.inc();
                out.collect(copy);
                return;
            }
        }
        out.collect(event);
    }

    private void upsert(Event event) throws Exception {
        CatalogItem item = catalog.value();
        if (item == null) {
            item = new CatalogItem();
        } else if (event.ts < item.updatedAt) {
            return;
        }
        if (event.category != null) {
            item.category = event.category;
        }
        if (event.tags != null) {
            item.tags = event.tags.clone();
        }
        if (event.price != null) {
            item.price = event.price;
        }
        if (event.available != null) {
            item.available = event.available;
        }
        item.updatedAt = event.ts;
        catalog.update(item);
        updates.inc();
    }
}
