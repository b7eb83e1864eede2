package io.desire.tools.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a campaign: one row per phase (a fault, or none) and the checks made at the end.
 * {@link #passed()} holds when nothing was lost or counted twice, no document was read with an older
 * version than before, the final checks held and every phase recovered. Dips (a document read counting
 * fewer events than before while its version grew) are reported, not failed: a replay after a restore
 * may interleave one user's events differently (they cross the item-keyed de-duplication exchange), so
 * a document can briefly reflect fewer of them; the counts are exact again once the replay is done.
 */
public final class ChaosReport {
    /**
     * One phase.
     *
     * @param fault what was injected ({@code none} for the fault-free phase)
     * @param detail what was done
     * @param events events sent during the phase
     * @param lost events sent so far that no document counts, minus those of earlier phases
     * @param twice events counted more than once, likewise
     * @param regressed documents seen with an older version than before, during the phase
     * @param dips documents seen counting fewer {@code profile_events} than before (version not older)
     * @param toRunningSeconds fault to every task running again; -1 when the job never stopped
     * @param toLagZeroSeconds fault to the job having committed every event sent; -1 if it never did
     */
    public record Row(
            String fault,
            String detail,
            long events,
            long lost,
            long twice,
            long regressed,
            long dips,
            double toRunningSeconds,
            double toLagZeroSeconds) {
        boolean recovered() {
            return toLagZeroSeconds >= 0;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> checks = new ArrayList<>();
    private final String settings;
    private boolean checksPassed = true;

    ChaosReport(String settings) {
        this.settings = settings;
    }

    void add(Row row) {
        rows.add(row);
    }

    /** A final check, and whether it held. */
    void check(String what, boolean held) {
        checks.add((held ? "ok    " : "FAILED ") + what);
        checksPassed &= held;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Whether every final check (savepoint profiles, dead letters, reference run) held. */
    public boolean checksPassed() {
        return checksPassed;
    }

    public boolean passed() {
        return checksPassed
                && rows.stream().allMatch(r -> r.recovered() && r.lost() == 0 && r.twice() == 0 && r.regressed() == 0);
    }

    public void print(PrintStream out) {
        out.println();
        out.println("Fault campaign (" + settings + ")");
        out.printf(
                "%-16s %10s %6s %7s %7s %6s %12s %8s  %s%n",
                "fault", "events", "lost", "twice", "older", "dips", "running s", "lag 0 s", "what was done");
        for (Row r : rows) {
            out.printf(
                    "%-16s %,10d %6d %7d %7d %6d %12s %8s  %s%n",
                    r.fault(),
                    r.events(),
                    r.lost(),
                    r.twice(),
                    r.regressed(),
                    r.dips(),
                    r.toRunningSeconds() < 0 ? "kept running" : String.format("%.1f", r.toRunningSeconds()),
                    r.toLagZeroSeconds() < 0 ? "never" : String.format("%.1f", r.toLagZeroSeconds()),
                    r.detail());
        }
        out.println("lost/twice: events sent that no document counts / counted more than once; older: documents"
                + " read with an older version than before; dips: documents read counting fewer events than before");
        out.println("running s: fault to every task running again; lag 0 s: fault to every event sent so far"
                + " committed by the job (it includes the phase's traffic sent during the fault)");
        for (String c : checks) {
            out.println(c);
        }
        long dips = rows.stream().mapToLong(Row::dips).sum();
        if (dips > 0) {
            out.println("note: " + dips + " reads found a document counting fewer events than an earlier read while its"
                    + " version grew (replay after a restore; docs/reliability.md)");
        }
        out.println(passed() ? "PASSED: 0 lost, 0 counted twice, 0 documents older than before" : "FAILED (see above)");
    }
}
