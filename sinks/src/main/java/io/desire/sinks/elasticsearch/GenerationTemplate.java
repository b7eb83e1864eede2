package io.desire.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;

/**
 * The {@link IndexBootstrap} of a sink that writes into one generation index of an alias (see
 * {@link IndexGenerations}): it only puts the alias's index template, so that the generation gets
 * the recommendation mapping even if it has to be created by a write. It never creates the alias
 * nor {@code <alias>-000001}, so a sink that fills a fresh generation leaves what apps read as it
 * is. Idempotent, like every bootstrap.
 */
final class GenerationTemplate implements IndexBootstrap {
    private static final long serialVersionUID = 1L;

    private final RecommendationIndex template;

    GenerationTemplate(String alias, int replicas, boolean searchableItems) {
        this.template = new RecommendationIndex(alias, replicas, searchableItems);
    }

    @Override
    public void ensure(ElasticsearchClient client) throws IOException {
        template.installTemplate(client);
    }

    @Override
    public String toString() {
        return "GenerationTemplate{" + template + '}';
    }
}
