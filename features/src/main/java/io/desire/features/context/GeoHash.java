package io.desire.features.context;

/**
 * Standard base-32 geohash (Niemeyer, geohash.org): encoding, validation and decoding of cells.
 *
 * <p>Cells are lowercase strings over {@code 0123456789bcdefghjkmnpqrstuvwxyz} (no {@code a i l o}),
 * so a cell never contains the context-key separator {@code ':'} and never equals the placeholder
 * {@code unknown}. Precision is the number of characters: 5 is a cell of about 4.9 km × 4.9 km at the
 * equator, 12 about 3.7 cm × 1.9 cm. All methods are static and thread-safe.
 */
public final class GeoHash {
    /** Smallest supported precision (one character, 5 bits). */
    public static final int MIN_PRECISION = 1;
    /** Largest supported precision (12 characters, 60 bits). */
    public static final int MAX_PRECISION = 12;

    private static final char[] BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz".toCharArray();
    /** ASCII code → 5-bit value, or -1; upper case maps like lower case. */
    private static final byte[] DECODE = new byte[128];

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < BASE32.length; i++) {
            DECODE[BASE32[i]] = (byte) i;
            DECODE[Character.toUpperCase(BASE32[i])] = (byte) i;
        }
    }

    private GeoHash() {}

    /**
     * Encodes a position.
     *
     * @param lat latitude in [-90, 90]
     * @param lon longitude in [-180, 180]
     * @param precision number of characters, {@value #MIN_PRECISION} to {@value #MAX_PRECISION}
     * @return the lowercase geohash of the cell that contains the position
     * @throws IllegalArgumentException if a coordinate is out of range or not finite, or the precision
     *     is out of range
     */
    public static String encode(double lat, double lon, int precision) {
        if (!(lat >= -90.0 && lat <= 90.0)) {
            throw new IllegalArgumentException("lat must be in [-90, 90], got " + lat);
        }
        if (!(lon >= -180.0 && lon <= 180.0)) {
            throw new IllegalArgumentException("lon must be in [-180, 180], got " + lon);
        }
        checkPrecision(precision);
        double latLo = -90.0;
        double latHi = 90.0;
        double lonLo = -180.0;
        double lonHi = 180.0;
        char[] out = new char[precision];
        boolean evenBit = true; // bits alternate, longitude first
        for (int c = 0; c < precision; c++) {
            int idx = 0;
            for (int b = 0; b < 5; b++) {
                idx <<= 1;
                if (evenBit) {
                    double mid = (lonLo + lonHi) / 2;
                    if (lon >= mid) {
                        idx |= 1;
                        lonLo = mid;
                    } else {
                        lonHi = mid;
                    }
                } else {
                    double mid = (latLo + latHi) / 2;
                    if (lat >= mid) {
                        idx |= 1;
                        latLo = mid;
                    } else {
                        latHi = mid;
                    }
                }
                evenBit = !evenBit;
            }
            out[c] = BASE32[idx];
        }
        return new String(out);
    }

    /**
     * True when {@code s} is a non-empty string of geohash characters (either case). Length is not
     * limited here; see {@link #normalize(String, int)}.
     */
    public static boolean isValid(CharSequence s) {
        return s != null && s.length() > 0 && indexOfInvalidChar(s) < 0;
    }

    /** Index of the first character that is not a geohash character (either case), or -1. */
    public static int indexOfInvalidChar(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128 || DECODE[c] < 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A given geohash as a cell of the configured precision: lowercased, and truncated when longer
     * (a prefix of a geohash is the cell that contains it).
     *
     * @return the cell, or {@code null} when {@code geohash} is not valid or shorter than
     *     {@code precision} (a coarser cell would not match the cells of other events)
     */
    public static String normalize(String geohash, int precision) {
        checkPrecision(precision);
        if (geohash == null || geohash.length() < precision) {
            return null;
        }
        boolean lower = true;
        for (int i = 0; i < geohash.length(); i++) {
            char c = geohash.charAt(i);
            if (c >= 128 || DECODE[c] < 0) {
                return null;
            }
            if (i < precision && c >= 'A' && c <= 'Z') {
                lower = false;
            }
        }
        String cell = geohash.length() == precision ? geohash : geohash.substring(0, precision);
        return lower ? cell : cell.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The bounding box of a cell.
     *
     * @throws IllegalArgumentException if {@code geohash} is not valid
     */
    public static Box decode(String geohash) {
        if (!isValid(geohash)) {
            throw new IllegalArgumentException("not a geohash: must be 1 or more of " + new String(BASE32));
        }
        double latLo = -90.0;
        double latHi = 90.0;
        double lonLo = -180.0;
        double lonHi = 180.0;
        boolean evenBit = true;
        for (int i = 0; i < geohash.length(); i++) {
            int v = DECODE[geohash.charAt(i)];
            for (int b = 4; b >= 0; b--) {
                boolean one = ((v >> b) & 1) == 1;
                if (evenBit) {
                    double mid = (lonLo + lonHi) / 2;
                    if (one) {
                        lonLo = mid;
                    } else {
                        lonHi = mid;
                    }
                } else {
                    double mid = (latLo + latHi) / 2;
                    if (one) {
                        latLo = mid;
                    } else {
                        latHi = mid;
                    }
                }
                evenBit = !evenBit;
            }
        }
        return new Box(latLo, latHi, lonLo, lonHi);
    }

    private static void checkPrecision(int precision) {
        if (precision < MIN_PRECISION || precision > MAX_PRECISION) {
            throw new IllegalArgumentException(
                    "geohash precision must be " + MIN_PRECISION + " to " + MAX_PRECISION + ", got " + precision);
        }
    }

    /** A cell's bounds in degrees; the lower bounds are inclusive. */
    public record Box(double minLat, double maxLat, double minLon, double maxLon) {
        public double centerLat() {
            return (minLat + maxLat) / 2;
        }

        public double centerLon() {
            return (minLon + maxLon) / 2;
        }

        public boolean contains(double lat, double lon) {
            return lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon;
        }
    }
}
