package io.desire.jobs.config;

import io.desire.features.privacy.DpParams;
import io.desire.features.privacy.PseudonymKeySource;
import io.desire.features.privacy.Pseudonymizer;
import io.desire.operators.privacy.ProtectDeadLetters;

/**
 * The privacy settings of a job configuration ({@code privacy.*}), validated together so that a
 * contradictory combination fails before the job starts, with a message naming the keys.
 *
 * @param pseudonymKey where the pseudonym key is read; {@code null} when user ids are kept as sent
 * @param rawDeadLetters where raw payloads of rejected records go
 * @param dp the differential-privacy budget of published lists; {@code null} when they are exact
 */
public record PrivacySettings(PseudonymKeySource pseudonymKey, ProtectDeadLetters.Mode rawDeadLetters, DpParams dp) {

    /** Reads and checks the {@code privacy.*} keys of {@code cfg}. */
    public static PrivacySettings of(JobConfig cfg) {
        boolean pseudonyms = cfg.getBoolean(ConfigKeys.PRIVACY_PSEUDONYMS);
        PseudonymKeySource key = pseudonyms
                ? PseudonymKeySource.of(
                        cfg.getString(ConfigKeys.PRIVACY_KEY_ID), cfg.getOptional(ConfigKeys.PRIVACY_KEY_FILE))
                : null;
        if (key != null) {
            // the id's shape is checked here, on the client; the key itself is read on the task managers
            Pseudonymizer.checkKeyId(key.keyId());
        }
        String rawSetting = cfg.getOptional(ConfigKeys.PRIVACY_DEAD_LETTER_RAW);
        ProtectDeadLetters.Mode raw = rawSetting == null
                ? (pseudonyms ? ProtectDeadLetters.Mode.TOPIC : ProtectDeadLetters.Mode.INLINE)
                : ProtectDeadLetters.Mode.parse(rawSetting);
        if (pseudonyms && raw == ProtectDeadLetters.Mode.INLINE) {
            throw new IllegalArgumentException(
                    "privacy.dead-letter-raw=inline would keep raw user ids in the dead letters"
                            + " while privacy.pseudonyms=true; use topic (a separately protected topic) or drop");
        }
        String eps = cfg.getString(ConfigKeys.DP_EPSILON).trim();
        DpParams dp = null;
        if (!eps.equalsIgnoreCase("off")) {
            double epsilon;
            try {
                epsilon = Double.parseDouble(eps);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "privacy.dp.epsilon is '" + eps + "'; expected off or a number in (0, 100]");
            }
            dp = new DpParams(
                    epsilon, cfg.getDouble(ConfigKeys.DP_DELTA), cfg.getInt(ConfigKeys.DP_MAX_CONTRIBUTIONS, 1, 1000));
        }
        return new PrivacySettings(key, raw, dp);
    }

    public boolean pseudonyms() {
        return pseudonymKey != null;
    }
}
