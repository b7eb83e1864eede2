package io.desire.features.privacy;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where the pseudonym key is read from: a key file ({@code privacy.key-file}) or, when no file is
 * given, the environment variable {@value #DEFAULT_ENV} of the process that applies it. It holds the
 * location only, never the key, so it can travel inside a job graph; {@link #loadKey()} reads the key
 * where it is used (a task manager).
 *
 * <p>Format, file or variable: the key as hex digits (at least 64 = 32 bytes), surrounding whitespace
 * ignored, e.g. from {@code openssl rand -hex 32}. Errors name the file or variable, never the content.
 */
public record PseudonymKeySource(String keyId, String keyFile, String envName) implements Serializable {
    /** The environment variable read when no key file is given. */
    public static final String DEFAULT_ENV = "DESIRE_PRIVACY_KEY";

    public PseudonymKeySource {
        if ((keyFile == null || keyFile.isBlank()) && (envName == null || envName.isBlank())) {
            throw new IllegalArgumentException("a pseudonym key needs a key file or an environment variable");
        }
    }

    /** The key from {@code keyFile}, or from the variable {@value #DEFAULT_ENV} when {@code keyFile} is null. */
    public static PseudonymKeySource of(String keyId, String keyFile) {
        return new PseudonymKeySource(keyId, keyFile == null || keyFile.isBlank() ? null : keyFile, DEFAULT_ENV);
    }

    /** The key bytes; fails with a message naming where it looked (never the key). */
    public byte[] loadKey() {
        return loadKey(System.getenv());
    }

    byte[] loadKey(Map<String, String> env) {
        String text;
        String where;
        if (keyFile != null && !keyFile.isBlank()) {
            where = "privacy.key-file " + keyFile;
            try {
                text = Files.readString(Path.of(keyFile), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the pseudonym key: " + where + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        } else {
            where = "environment variable " + envName;
            text = env.get(envName);
            if (text == null || text.isBlank()) {
                throw new IllegalStateException(
                        "privacy.pseudonyms is on but no key is configured: set privacy.key-file or " + envName
                                + " on every task manager (docs/privacy.md)");
            }
        }
        String hex = text.strip();
        if (hex.length() % 2 != 0 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalStateException(
                    "the pseudonym key in " + where + " is not hex digits (make one with `openssl rand -hex 32`)");
        }
        byte[] key = HexFormat.of().parseHex(hex);
        if (key.length < Pseudonymizer.MIN_KEY_BYTES) {
            throw new IllegalStateException("the pseudonym key in " + where + " has " + key.length + " bytes; at least "
                    + Pseudonymizer.MIN_KEY_BYTES + " are needed (`openssl rand -hex 32`)");
        }
        return key;
    }

    @Override
    public String toString() {
        return "PseudonymKeySource{keyId=" + keyId + ", " + (keyFile != null ? "file " + keyFile : "env " + envName)
                + '}';
    }
}
