package io.desire.jobs.history;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A line's bytes as text: strictly UTF-8 (for values that are kept), or leniently (for headers and layouts). */
final class LineText {
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /** The line as UTF-8 text, or {@code null} when it is not valid UTF-8. */
    String strict(byte[] line) {
        try {
            return utf8.reset().decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The line as UTF-8 text, ill-formed bytes replaced. */
    static String lenient(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }

    /** The line as Latin-1 text: every byte is a character, so this never fails. */
    static String latin1(byte[] line) {
        return new String(line, StandardCharsets.ISO_8859_1);
    }
}
