package io.desire.sinks.elasticsearch;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** A sink writer metric group whose counters a test can read by name. */
final class TestMetricGroup extends UnregisteredMetricsGroup implements SinkWriterMetricGroup {
    private final Map<String, Counter> counters = new HashMap<>();

    @Override
    public Counter counter(String name) {
        return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        counters.put(name, counter);
        return counter;
    }

    long count(String name) {
        Counter c = counters.get(name);
        return c == null ? 0 : c.getCount();
    }

    @Override
    public Counter getNumRecordsOutErrorsCounter() {
        return counters.computeIfAbsent("numRecordsOutErrors", n -> new SimpleCounter());
    }

    @Override
    public Counter getNumRecordsSendErrorsCounter() {
        return counters.computeIfAbsent("numRecordsSendErrors", n -> new SimpleCounter());
    }

    @Override
    public Counter getNumRecordsSendCounter() {
        return counters.computeIfAbsent("numRecordsSend", n -> new SimpleCounter());
    }

    @Override
    public Counter getNumBytesSendCounter() {
        return counters.computeIfAbsent("numBytesSend", n -> new SimpleCounter());
    }

    @Override
    public void setCurrentSendTimeGauge(Gauge<Long> gauge) {}

    @Override
    public OperatorIOMetricGroup getIOMetricGroup() {
        return UnregisteredMetricsGroup.createOperatorIOMetricGroup();
    }
}
