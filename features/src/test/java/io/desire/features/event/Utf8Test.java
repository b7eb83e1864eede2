package io.desire.features.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void agreesWithTheStrictJdkDecoderOnRandomInput() {
        Random random = new Random(1);
        // bias towards bytes that start and continue multi-byte sequences
        byte[] interesting = {
            (byte) 0x80,
            (byte) 0xBF,
            (byte) 0xC0,
            (byte) 0xC2,
            (byte) 0xDF,
            (byte) 0xE0,
            (byte) 0xED,
            (byte) 0xEF,
            (byte) 0xF0,
            (byte) 0xF4,
            (byte) 0xF5,
            (byte) 0xA0,
            (byte) 0x9F,
            (byte) 0x8F,
            (byte) 0x90,
            'a'
        };
        for (int i = 0; i < 100_000; i++) {
            byte[] b = new byte[1 + random.nextInt(6)];
            for (int k = 0; k < b.length; k++) {
                b[k] = random.nextBoolean()
                        ? interesting[random.nextInt(interesting.length)]
                        : (byte) random.nextInt(256);
            }
            assertThat(Utf8.firstInvalid(b, b.length) < 0)
                    .as("%s", java.util.HexFormat.of().formatHex(b))
                    .isEqualTo(jdkAccepts(b));
        }
    }

    @Test
    void reportsTheOffsetOfTheFirstBadSequence() {
        byte[] fine = "héllo €𝄞".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.firstInvalid(fine, fine.length)).isEqualTo(-1);
        assertThat(Utf8.firstInvalid(new byte[] {'a', 'b', (byte) 0xC3}, 3)).isEqualTo(2);
        assertThat(Utf8.firstInvalid(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, 4))
                .isEqualTo(1);
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
