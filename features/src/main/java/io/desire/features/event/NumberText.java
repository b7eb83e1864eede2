package io.desire.features.event;

/**
 * The grammar of numbers given as JSON strings ({@code "value":"4.5"}): what counts as a decimal
 * number, and how producers spell the values that are not finite. Stricter than
 * {@link Double#parseDouble}, which also takes hex, blanks and Java suffixes.
 */
final class NumberText {
    private NumberText() {}

    /**
     * A plain decimal number: optional sign, digits with an optional fraction, optional exponent;
     * no spaces, hex, or Java suffixes such as {@code d} that {@link Double#parseDouble} would accept.
     */
    static boolean isDecimal(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                i++;
            }
            int exp = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** NaN or an infinity as producers spell them in strings. */
    static boolean isNonFinite(String s) {
        String t = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        return t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("infinity") || t.equalsIgnoreCase("inf");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
