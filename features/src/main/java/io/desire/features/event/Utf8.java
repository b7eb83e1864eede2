package io.desire.features.event;

/**
 * Strict UTF-8 validation without decoding, as in the Unicode standard, table 3-7 (well-formed byte
 * sequences): rejects overlong forms, UTF-16 surrogates (U+D800..U+DFFF), code points above U+10FFFF,
 * stray continuation bytes and truncated sequences, exactly like a JDK decoder set to
 * {@code CodingErrorAction.REPORT}.
 */
final class Utf8 {
    private Utf8() {}

    /** Offset of the first byte of the first ill-formed sequence in {@code b[0, len)}, or -1 if well-formed. */
    static int firstInvalid(byte[] b, int len) {
        int i = 0;
        while (i < len) {
            int c = b[i];
            if (c >= 0) { // ASCII, the common case
                i++;
                continue;
            }
            c &= 0xFF;
            if (c < 0xC2) { // continuation byte without a lead, or overlong 2-byte lead C0/C1
                return i;
            }
            if (c < 0xE0) {
                if (i + 1 >= len || !cont(b[i + 1])) {
                    return i;
                }
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= len) {
                    return i;
                }
                int c1 = b[i + 1] & 0xFF;
                int lo = c == 0xE0 ? 0xA0 : 0x80; // E0: no overlongs
                int hi = c == 0xED ? 0x9F : 0xBF; // ED: no surrogates
                if (c1 < lo || c1 > hi || !cont(b[i + 2])) {
                    return i;
                }
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= len) {
                    return i;
                }
                int c1 = b[i + 1] & 0xFF;
                int lo = c == 0xF0 ? 0x90 : 0x80; // F0: no overlongs
                int hi = c == 0xF4 ? 0x8F : 0xBF; // F4: nothing above U+10FFFF
                if (c1 < lo || c1 > hi || !cont(b[i + 2]) || !cont(b[i + 3])) {
                    return i;
                }
                i += 4;
            } else {
                return i;
            }
        }
        return -1;
    }

    private static boolean cont(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
