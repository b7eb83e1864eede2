package io.desire.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RecommendationIndexTest {

    @Test
    void templateCoversTheAliasIndicesWithTheRecommendationMapping() throws Exception {
        RecommendationIndex index = RecommendationIndex.defaults();
        JsonNode t = new ObjectMapper().readTree(index.templateJson());

        assertThat(index.templateName()).isEqualTo("desire-recs");
        assertThat(index.firstIndex()).isEqualTo("desire-recs-000001");
        assertThat(t.path("index_patterns").get(0).asText()).isEqualTo("desire-recs-*");
        assertThat(t.at("/template/settings/number_of_shards").asInt()).isEqualTo(1);
        assertThat(t.at("/template/settings/number_of_replicas").asInt()).isZero();
        JsonNode p = t.at("/template/mappings/properties");
        for (String keyword : new String[] {
            "/user",
            "/context/properties/geo_cell",
            "/context/properties/time_bucket",
            "/context/properties/device",
            "/context/properties/key",
            "/model_version"
        }) {
            assertThat(p.at(keyword + "/type").asText()).as(keyword).isEqualTo("keyword");
        }
        assertThat(p.at("/items/type").asText()).isEqualTo("object");
        assertThat(p.at("/items/enabled").asBoolean(true))
                .as("items kept in _source only")
                .isFalse();
        assertThat(p.at("/items/properties").isMissingNode()).isTrue();
        assertThat(p.at("/event_time/type").asText()).isEqualTo("date");
        assertThat(p.at("/updated_at/type").asText()).isEqualTo("date");
    }

    @Test
    void searchableItemsAreIndexedWithTheirTypes() throws Exception {
        JsonNode p = new ObjectMapper()
                .readTree(new RecommendationIndex("desire-recs", 0, true).templateJson())
                .at("/template/mappings/properties/items");
        assertThat(p.path("enabled").isMissingNode()).isTrue();
        for (String keyword : new String[] {"item", "category", "reasons"}) {
            assertThat(p.at("/properties/" + keyword + "/type").asText())
                    .as(keyword)
                    .isEqualTo("keyword");
        }
        assertThat(p.at("/properties/rank/type").asText()).isEqualTo("integer");
        assertThat(p.at("/properties/score/type").asText()).isEqualTo("float");
    }

    @Test
    void replicasAndAliasAreConfigurable() throws Exception {
        RecommendationIndex index = new RecommendationIndex("recs-eu", 2);
        JsonNode t = new ObjectMapper().readTree(index.templateJson());
        assertThat(t.path("index_patterns").get(0).asText()).isEqualTo("recs-eu-*");
        assertThat(t.at("/template/settings/number_of_replicas").asInt()).isEqualTo(2);
        assertThatThrownBy(() -> new RecommendationIndex("recs", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 or more");
    }
}
