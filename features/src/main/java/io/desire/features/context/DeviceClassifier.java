package io.desire.features.context;

import java.util.HashMap;
import java.util.Map;

/**
 * Reduces the free-text {@code device} and {@code os} of an event to one of five device classes:
 * {@value #MOBILE}, {@value #TABLET}, {@value #DESKTOP}, {@value #TV} or {@value #OTHER}.
 *
 * <p>{@code device} decides first; {@code os} only when the device is absent or unknown. Matching is
 * case-insensitive; spaces and hyphens count as underscores, and a trailing version is ignored
 * ({@code "iOS 17.2"} is {@code ios}, {@code "Android TV 12"} is {@code android_tv}).
 *
 * <pre>
 *   device  phone, mobile, smartphone, iphone             → mobile
 *           tablet, ipad                                  → tablet
 *           desktop, laptop, pc, computer                 → desktop
 *           tv, smart_tv, smarttv, console                → tv
 *   os      ios, android                                  → mobile
 *           ipados                                        → tablet
 *           windows, macos, mac_os, mac_os_x, osx, linux,
 *           chromeos, chrome_os                           → desktop
 *           tvos, tizen, webos, roku, roku_os, androidtv,
 *           android_tv, fire_tv                           → tv
 * </pre>
 *
 * Anything else is {@value #OTHER}. All methods are static and thread-safe.
 */
public final class DeviceClassifier {
    public static final String MOBILE = "mobile";
    public static final String TABLET = "tablet";
    public static final String DESKTOP = "desktop";
    public static final String TV = "tv";
    public static final String OTHER = ContextDefaults.OTHER_DEVICE;

    /** Inputs longer than this are not names of a device or OS; they are not looked up. */
    private static final int MAX_NAME_LENGTH = 64;

    private static final Map<String, String> BY_DEVICE = new HashMap<>();
    private static final Map<String, String> BY_OS = new HashMap<>();

    static {
        put(BY_DEVICE, MOBILE, "phone", "mobile", "smartphone", "iphone");
        put(BY_DEVICE, TABLET, "tablet", "ipad");
        put(BY_DEVICE, DESKTOP, "desktop", "laptop", "pc", "computer");
        put(BY_DEVICE, TV, "tv", "smart_tv", "smarttv", "console");
        put(BY_OS, MOBILE, "ios", "android");
        put(BY_OS, TABLET, "ipados");
        put(BY_OS, DESKTOP, "windows", "macos", "mac_os", "mac_os_x", "osx", "linux", "chromeos", "chrome_os");
        put(BY_OS, TV, "tvos", "tizen", "webos", "roku", "roku_os", "androidtv", "android_tv", "fire_tv");
    }

    private DeviceClassifier() {}

    /**
     * The device class of an event.
     *
     * @param device the event's {@code context.device}, or {@code null}
     * @param os the event's {@code context.os}, or {@code null}
     * @return mobile, tablet, desktop, tv or other; never {@code null}
     */
    public static String classify(String device, String os) {
        String c = fromDevice(device);
        if (c == null) {
            c = fromOs(os);
        }
        return c == null ? OTHER : c;
    }

    /** The class named by a device, or {@code null} when absent or unknown. */
    public static String fromDevice(String device) {
        return lookup(BY_DEVICE, device);
    }

    /** The class implied by an operating system, or {@code null} when absent or unknown. */
    public static String fromOs(String os) {
        return lookup(BY_OS, os);
    }

    private static String lookup(Map<String, String> table, String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_NAME_LENGTH) {
            return null;
        }
        String key = normalize(raw);
        return key.isEmpty() ? null : table.get(key);
    }

    /** Lowercase, {@code ' '} and {@code '-'} to {@code '_'}, cut at the first digit, trimmed. */
    static String normalize(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= '0' && c <= '9') {
                break;
            }
            if (c == ' ' || c == '-' || c == '_' || c == '\t') {
                // collapse runs and drop leading separators
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
                    sb.append('_');
                }
            } else {
                sb.append(Character.toLowerCase(c));
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == '_') {
            end--;
        }
        sb.setLength(end);
        return sb.toString();
    }

    private static void put(Map<String, String> table, String deviceClass, String... names) {
        for (String n : names) {
            table.put(n, deviceClass);
        }
    }
}
