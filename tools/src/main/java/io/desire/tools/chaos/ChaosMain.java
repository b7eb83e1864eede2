package io.desire.tools.chaos;

import java.nio.file.Path;

/**
 * {@code bin/desire chaos [options]}: a fault campaign on the local cluster ({@link ChaosCampaign}),
 * its progress and result table on standard output. Exit code 0 when every check held, 1 when one did
 * not, 2 for a usage error.
 */
public final class ChaosMain {
    private ChaosMain() {}

    public static void main(String[] args) throws Exception {
        // bin/desire puts --kafka-bootstrap and --es-url first
        if (java.util.Arrays.asList(args).contains("--help")
                || java.util.Arrays.asList(args).contains("-h")) {
            usage();
            return;
        }
        String repo = System.getenv("DESIRE_REPO");
        String home = System.getenv("DESIRE_HOME");
        if (repo == null || home == null) {
            System.err.println(
                    "Run through bin/desire chaos (it starts Kafka and Elasticsearch and sets DESIRE_HOME).");
            System.exit(2);
        }
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(args, Path.of(repo, "bin", "desire"), Path.of(home));
        } catch (IllegalArgumentException e) {
            System.err.println("chaos: " + e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        ChaosReport report = new ChaosCampaign(options, System.out).run();
        report.print(System.out);
        System.exit(report.passed() ? 0 : 1);
    }

    private static void usage() {
        System.out.println("""
                bin/desire chaos [--events N] [--users U] [--rate R] [--faults a,b,...] [--tm-kills K]
                                 [--es-outage 60s] [--pause 65s] [--restarts default|tuned] [--parallelism P]
                                 [--bad-records B] [--reference yes|no] [--recovery-timeout 10min]
                                 [--job-arg key=value ...]
                faults (in the order given; default: tm-kill,es-outage,kafka-restart,tm-pause,
                        checkpoint-fail,jm-kill,tm-kill):""");
        for (FaultKind k : FaultKind.values()) {
            System.out.printf("  %-16s %s%n", k.cliName(), k.description());
        }
    }
}
