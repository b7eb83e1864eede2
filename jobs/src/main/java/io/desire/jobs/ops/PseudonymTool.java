package io.desire.jobs.ops;

import io.desire.features.privacy.PseudonymKeySource;
import io.desire.features.privacy.Pseudonymizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/desire pseudonym [--key-file F] [--key-id k1] USER_ID...}: prints the pseudonym of each
 * user id, one per line, as the job computes it with {@code privacy.pseudonyms} — the id of their
 * documents and the key of their state. The key comes from {@code --key-file} or the environment
 * variable {@value PseudonymKeySource#DEFAULT_ENV}; it is never printed.
 */
public final class PseudonymTool {
    private PseudonymTool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String keyFile = null;
        String keyId = "k1";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--key-file" -> keyFile = i + 1 < args.length ? args[++i] : null;
                case "--key-id" -> keyId = i + 1 < args.length ? args[++i] : null;
                default -> ids.add(args[i]);
            }
        }
        if (ids.isEmpty()) {
            err.println("Usage: bin/desire pseudonym [--key-file FILE] [--key-id k1] USER_ID...");
            err.println("  key: FILE (hex, e.g. from `openssl rand -hex 32`) or the environment variable "
                    + PseudonymKeySource.DEFAULT_ENV);
            return 2;
        }
        try {
            Pseudonymizer p = Pseudonymizer.from(PseudonymKeySource.of(keyId, keyFile));
            for (String id : ids) {
                out.println(p.pseudonym(id));
            }
            return 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("pseudonym: " + e.getMessage());
            return 1;
        }
    }
}
