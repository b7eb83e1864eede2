package io.desire.jobs.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a secret that may be given as a value (argument, properties file, environment variable) or
 * as a file holding it. Exactly one of the two may be set; the secret itself never appears in a
 * message, only the key and file names.
 */
public final class Secrets {
    private Secrets() {}

    /**
     * The secret of {@code valueKey}, or the content of the file named by {@code fileKey} with its
     * trailing line break dropped; {@code null} when neither is set.
     *
     * @throws IllegalArgumentException when both are set, or the file cannot be read or is empty
     */
    public static String read(JobConfig cfg, ConfigKeys.Key valueKey, ConfigKeys.Key fileKey) {
        String value = cfg.getOptional(valueKey);
        String file = cfg.getOptional(fileKey);
        if (value != null && file != null) {
            throw new IllegalArgumentException("Set one of '" + valueKey.name() + "' (or " + valueKey.envName()
                    + ") and '" + fileKey.name() + "', not both");
        }
        return file != null ? readFile(Path.of(file), fileKey) : value;
    }

    private static String readFile(Path file, ConfigKeys.Key fileKey) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + fileKey.name() + " " + file + ": " + e, e);
        }
        String secret = content.replaceAll("[\\r\\n]+$", "");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException(fileKey.name() + " " + file + " is empty");
        }
        return secret;
    }
}
