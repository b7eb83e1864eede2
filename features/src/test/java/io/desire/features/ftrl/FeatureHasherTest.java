package io.desire.features.ftrl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FeatureHasherTest {

    /** Reference MurmurHash3_x86_32 values (as Guava's murmur3_32_fixed computes them on UTF-8). */
    @Test
    void matchesReferenceMurmur3Vectors() {
        assertThat(FeatureHasher.murmur3_32("", 0)).isZero();
        assertThat(FeatureHasher.murmur3_32("", 42)).isEqualTo(142593372);
        assertThat(FeatureHasher.murmur3_32("a", 0)).isEqualTo(1009084850);
        assertThat(FeatureHasher.murmur3_32("a", 42)).isEqualTo(-1293573533);
        assertThat(FeatureHasher.murmur3_32("abcd", 0)).isEqualTo(1139631978);
        assertThat(FeatureHasher.murmur3_32("abcd", 42)).isEqualTo(-396302900);
        assertThat(FeatureHasher.murmur3_32("hello", 0)).isEqualTo(613153351);
        assertThat(FeatureHasher.murmur3_32("hello", 42)).isEqualTo(-488910111);
        assertThat(FeatureHasher.murmur3_32("The quick brown fox jumps over the lazy dog", 0))
                .isEqualTo(0x2e4ff723);
        assertThat(FeatureHasher.murmur3_32("The quick brown fox jumps over the lazy dog", 42))
                .isEqualTo(880582914);
        assertThat(FeatureHasher.murmur3_32("item\u0001é€", 0)).isEqualTo(-1580512310);
        assertThat(FeatureHasher.murmur3_32("item\u0001é€", 42)).isEqualTo(-621609192);
    }

    @Test
    void bucketsAreStableAcrossInstancesAndInRange() {
        FeatureHasher a = new FeatureHasher(12, 99);
        FeatureHasher b = new FeatureHasher(12, 99);
        for (int k = 0; k < 1000; k++) {
            String v = "item-" + k;
            assertThat(a.bucket("i", v)).isEqualTo(b.bucket("i", v)).isBetween(0, 4095);
            assertThat(a.cross("t", "evening", "c", v)).isEqualTo(b.cross("t", "evening", "c", v));
        }
        // pinned: a model trained today must find its weights tomorrow
        assertThat(new FeatureHasher(20, FeatureHasher.DEFAULT_SEED).bucket("i", "sku-1"))
                .isEqualTo(FeatureHasher.murmur3_32("i\u001fsku-1", FeatureHasher.DEFAULT_SEED) & 0xFFFFF);
    }

    @Test
    void seedNamespaceAndCrossPartsAllChangeTheBucket() {
        FeatureHasher h = new FeatureHasher(24, 1);
        int plain = h.bucket("c", "shoes");
        assertThat(new FeatureHasher(24, 2).bucket("c", "shoes")).isNotEqualTo(plain);
        assertThat(h.bucket("i", "shoes")).isNotEqualTo(plain);
        assertThat(h.cross("t", "evening", "c", "shoes"))
                .isNotEqualTo(h.cross("t", "morning", "c", "shoes"))
                .isNotEqualTo(h.cross("c", "shoes", "t", "evening"))
                .isNotEqualTo(plain);
        assertThat(h.cross("s", "vip", "t", "evening", "c", "shoes"))
                .isNotEqualTo(h.cross("t", "evening", "c", "shoes"));
    }

    @Test
    void spreadsDistinctNamesOverTheSpace() {
        FeatureHasher h = new FeatureHasher(20, FeatureHasher.DEFAULT_SEED);
        Set<Integer> buckets = new HashSet<>();
        for (int k = 0; k < 10_000; k++) {
            buckets.add(h.bucket("i", Integer.toString(k)));
        }
        // 10k names in 1M buckets: ~50 expected collisions
        assertThat(buckets.size()).isGreaterThan(9_850);
    }

    @Test
    void rejectsBitsOutOfRange() {
        assertThatThrownBy(() -> new FeatureHasher(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeatureHasher(FtrlParams.MAX_BITS + 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
