package io.desire.tools.chaos;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The faults a campaign injects, by the name {@code --faults} takes. */
public enum FaultKind {
    /** The TaskManager JVM is killed with SIGKILL and started again at once, as a supervisor would. */
    TM_KILL("tm-kill", "TaskManager SIGKILL, then started again"),
    /**
     * The JobManager JVM is killed with SIGKILL. Without HA the cluster forgets the job: the cluster is
     * restarted and the job recovered from its latest completed retained checkpoint ({@code bin/desire
     * recover}).
     */
    JM_KILL("jm-kill", "JobManager SIGKILL, cluster restart, bin/desire recover"),
    /** Elasticsearch stopped for a while, then started again on the same data. */
    ES_OUTAGE("es-outage", "Elasticsearch stopped, then started again"),
    /** The Kafka broker stopped and started again on the same data. */
    KAFKA_RESTART("kafka-restart", "Kafka broker stopped and started again"),
    /** The TaskManager frozen with SIGSTOP for longer than the heartbeat timeout, then SIGCONT. */
    TM_PAUSE("tm-pause", "TaskManager SIGSTOP past the heartbeat timeout, then SIGCONT"),
    /** The next checkpoints cannot create their folder, so they fail. */
    CHECKPOINT_FAIL("checkpoint-fail", "checkpoints that fail (their folder cannot be created)");

    private final String cliName;
    private final String description;

    FaultKind(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** The kind named {@code name} on the command line; the message lists the names allowed. */
    public static FaultKind of(String name) {
        for (FaultKind k : values()) {
            if (k.cliName.equals(name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + name + "'; expected one of "
                + Arrays.stream(values()).map(FaultKind::cliName).collect(Collectors.joining(", ")));
    }
}
