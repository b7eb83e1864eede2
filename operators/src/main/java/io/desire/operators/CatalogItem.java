package io.desire.operators;

/**
 * The catalog attributes of one item, as last declared by its {@code item} events. Keyed state of
 * {@link EnrichFromCatalog}; a Flink POJO.
 */
public class CatalogItem {
    public String category;
    public String[] tags;
    /** {@code null} when never declared. */
    public Double price;
    /** {@code null} when never declared. */
    public Boolean available;
    /** Event time (epoch ms) of the newest {@code item} event applied. */
    public long updatedAt = Long.MIN_VALUE;

    public CatalogItem() {}
}
