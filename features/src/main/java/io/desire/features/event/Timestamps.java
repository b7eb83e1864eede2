package io.desire.features.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Parsing of the {@code ts} field: ISO-8601 date-times with an offset, and epoch milliseconds as
 * decimal text. The common form {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm)} is parsed by hand
 * without allocation; other ISO-8601 forms fall back to {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}.
 */
final class Timestamps {
    /** Returned when the text is not a timestamp of the accepted forms. */
    static final long INVALID = Long.MIN_VALUE;
    /** Returned by {@link #parseEpochMillisText} for a decimal integer too large for a long. */
    static final long TOO_LARGE = Long.MAX_VALUE;

    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private Timestamps() {}

    /** True when {@code s} is an optional {@code '-'} followed by one or more ASCII digits. */
    static boolean isIntegerText(String s) {
        int n = s.length();
        int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
        if (i == n) {
            return false;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Epoch milliseconds from decimal text already checked with {@link #isIntegerText}.
     *
     * @return the value, or {@link #TOO_LARGE} when it has more than 18 digits
     */
    static long parseEpochMillisText(String s) {
        boolean neg = s.charAt(0) == '-';
        int start = neg ? 1 : 0;
        while (start < s.length() - 1 && s.charAt(start) == '0') {
            start++;
        }
        if (s.length() - start > 18) {
            return TOO_LARGE;
        }
        long v = 0;
        for (int i = start; i < s.length(); i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return neg ? -v : v;
    }

    /**
     * Epoch milliseconds of an ISO-8601 date-time with offset ({@code Z}, {@code +hh:mm}); fractions
     * below a millisecond are truncated.
     *
     * @return the instant, or {@link #INVALID}
     */
    static long parseIso(String s) {
        long fast = parseIsoFast(s);
        if (fast != INVALID) {
            return fast;
        }
        // Rare forms such as a missing seconds field or a ±hh:mm:ss offset; also rejects invalid input.
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME
                    .parse(s, Instant::from)
                    .toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            return INVALID;
        }
    }

    /** The hand-written path; {@link #INVALID} for anything it does not recognise. */
    static long parseIsoFast(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return INVALID;
        }
        char t = s.charAt(10);
        if (t != 'T' && t != 't') {
            return INVALID;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return INVALID;
        }
        int dim = DAYS_IN_MONTH[month - 1] + (month == 2 && isLeap(year) ? 1 : 0);
        if (day > dim) {
            return INVALID;
        }
        int i = 19;
        int millis = 0;
        if (s.charAt(i) == '.') {
            i++;
            int fracStart = i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (i - fracStart < 3) {
                    millis = millis * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            int fracLen = i - fracStart;
            if (fracLen == 0 || fracLen > 9) {
                return INVALID;
            }
            for (int k = fracLen; k < 3; k++) {
                millis *= 10;
            }
        }
        if (i >= n) {
            return INVALID;
        }
        int offsetSeconds;
        char z = s.charAt(i);
        if ((z == 'Z' || z == 'z') && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((z == '+' || z == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || om < 0 || oh > 18 || om > 59 || (oh == 18 && om > 0)) {
                return INVALID;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
        } else {
            return INVALID;
        }
        long epochDay = epochDay(year, month, day);
        long secs = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return secs * 1000L + millis;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yoe = y - era * 400;
        int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }

    private static boolean isLeap(int y) {
        return (y & 3) == 0 && (y % 100 != 0 || y % 400 == 0);
    }

    /** The non-negative value of {@code len} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
