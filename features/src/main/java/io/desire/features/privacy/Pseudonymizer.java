package io.desire.features.privacy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a user id into its pseudonym: {@code <keyId>:} followed by the first
 * {@value #PSEUDONYM_BYTES} bytes of {@code HMAC-SHA256(key, UTF-8 bytes of the user id)} in lower-case
 * hex, e.g. {@code k1:3f0c…} (32 hex digits). The engine applies it right after parsing, and apps apply
 * it to find a user's documents: the same key and key id give the same pseudonym everywhere.
 *
 * <p>Guarantees: deterministic for a key; without the key a pseudonym cannot be linked back to the id
 * (short of guessing ids and the key); 128 bits make collisions negligible for any realistic number of
 * users. Thread-safe. The key is never part of {@link #toString()} or any exception message.
 *
 * <p>Elsewhere (key file holds the key as hex):
 * {@code printf %s "$USER_ID" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(cat key.hex) | awk '{print "k1:" substr($NF,1,32)}'}.
 */
public final class Pseudonymizer {
    /** HMAC output bytes kept: 16 bytes = 128 bits = 32 hex digits. */
    public static final int PSEUDONYM_BYTES = 16;
    /** Shortest accepted key: 32 bytes, the HMAC-SHA256 block-size recommendation of RFC 2104's output length. */
    public static final int MIN_KEY_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern KEY_ID = Pattern.compile("[a-z][a-z0-9]{0,7}");
    private static final Pattern PSEUDONYM = Pattern.compile("[a-z][a-z0-9]{0,7}:[0-9a-f]{32}");
    private static final HexFormat HEX = HexFormat.of();

    private final String keyId;
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    /**
     * @param keyId the key's id, 1–8 lower-case letters or digits starting with a letter (e.g. {@code k1})
     * @param key the secret, at least {@value #MIN_KEY_BYTES} bytes
     */
    public Pseudonymizer(String keyId, byte[] key) {
        checkKeyId(keyId);
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("pseudonym key must be at least " + MIN_KEY_BYTES + " bytes ("
                    + 2 * MIN_KEY_BYTES + " hex digits), got " + (key == null ? 0 : key.length) + " bytes");
        }
        this.keyId = keyId;
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** Fails unless {@code keyId} is 1–8 lower-case letters or digits starting with a letter. */
    public static String checkKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException(
                    "pseudonym key id (privacy.key-id) must be 1-8 lower-case letters or digits"
                            + " starting with a letter, e.g. k1; got " + (keyId == null ? "null" : "'" + keyId + "'"));
        }
        return keyId;
    }

    /** A pseudonymizer whose key comes from {@code source} (a key file or an environment variable). */
    public static Pseudonymizer from(PseudonymKeySource source) {
        return new Pseudonymizer(source.keyId(), source.loadKey());
    }

    /** The key id every pseudonym of this key starts with. */
    public String keyId() {
        return keyId;
    }

    /**
     * The pseudonym of {@code userId}. A value that already is a pseudonym of this key id is
     * returned unchanged, so applying it twice (a replay of pseudonymised data) is harmless.
     */
    public String pseudonym(String userId) {
        if (userId == null) {
            return null;
        }
        if (isPseudonym(userId) && userId.startsWith(keyId + ":")) {
            return userId;
        }
        byte[] mac = macs.get().doFinal(userId.getBytes(StandardCharsets.UTF_8));
        return keyId + ':' + HEX.formatHex(mac, 0, PSEUDONYM_BYTES);
    }

    /** Whether {@code id} has the shape of a pseudonym ({@code <keyId>:} and 32 hex digits). */
    public static boolean isPseudonym(String id) {
        return id != null && PSEUDONYM.matcher(id).matches();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Pseudonymizer{keyId=" + keyId + ", HMAC-SHA256, " + PSEUDONYM_BYTES + " bytes}";
    }
}
