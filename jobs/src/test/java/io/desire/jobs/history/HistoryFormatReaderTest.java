package io.desire.jobs.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.event.RawRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFormatReaderTest {

    @TempDir
    Path dir;

    /** One record as read, copied out of Flink's reused holder. */
    record Read(String source, String payload, long receivedAt, long position) {
        boolean isEvent() {
            return payload != null;
        }
    }

    @Test
    void linesBecomeRecordsWithTheirOriginThenOneEndOfFileMarker() throws Exception {
        byte[] notUtf8 = {'{', (byte) 0xC3, (byte) 0x28, '}'};
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        content.write("{\"event_id\":\"e1\"}\r\n\n   \n".getBytes(StandardCharsets.UTF_8));
        content.write(notUtf8);
        content.write("\n{\"event_id\":\"e5\"}".getBytes(StandardCharsets.UTF_8)); // no final line break
        Path file = dir.resolve("events.jsonl");
        Files.write(file, content.toByteArray());

        long before = System.currentTimeMillis();
        List<Read> all = readAll(new HistoryFormatReader(null), split(file), null);

        List<Read> events = all.stream().filter(Read::isEvent).toList();
        assertThat(events)
                .extracting(Read::source)
                .containsExactly("file:" + file + "#1", "file:" + file + "#4", "file:" + file + "#5");
        assertThat(events)
                .extracting(Read::payload)
                .containsExactly(
                        "{\"event_id\":\"e1\"}", new String(notUtf8, StandardCharsets.UTF_8), "{\"event_id\":\"e5\"}");
        assertThat(events).extracting(Read::position).containsExactly(1L, 4L, 5L);
        assertThat(events).allSatisfy(r -> assertThat(r.receivedAt()).isBetween(before, System.currentTimeMillis()));
        assertThat(ends(all)).containsExactly(new Read("eof:" + file, null, Files.size(file), 6L));
        assertThat(all.get(all.size() - 1).source()).startsWith("eof:");
        assertThat(progressBytes(all)).isEqualTo(Files.size(file));
    }

    @Test
    void invalidUtf8BytesReachTheRecordUnchanged() throws Exception {
        byte[] notUtf8 = {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'};
        Path file = dir.resolve("bad.jsonl");
        Files.write(file, notUtf8);
        BulkFormat.Reader<RawRecord> reader =
                new HistoryFormatReader(null).createReader(new Configuration(), split(file));
        RawRecord first = reader.readBatch().next().getRecord();
        assertThat(first.payload).containsExactly('{', (byte) 0xC3, (byte) 0x28, '}');
        reader.close();
    }

    @Test
    void compressedCsvIsDecompressedAndConvertedByItsHeader() throws Exception {
        Path file = dir.resolve("events.csv.gz");
        gzip(file, "event_id,ts,type,user_id,item_id\ne1,1767225600000,view,u1,i1\ne2,1767225600000,view,u1\n");

        List<Read> all = readAll(new HistoryFormatReader(null), split(file), null);

        assertThat(all.stream().filter(Read::isEvent).toList())
                .containsExactly(
                        new Read(
                                "file:" + file + "#2",
                                "{\"event_id\":\"e1\",\"ts\":\"1767225600000\",\"type\":\"view\","
                                        + "\"user_id\":\"u1\",\"item_id\":\"i1\"}",
                                all.get(0).receivedAt(),
                                2L),
                        new Read(
                                "file:" + file + "#3",
                                "e2,1767225600000,view,u1",
                                all.get(0).receivedAt(),
                                3L));
        assertThat(ends(all)).hasSize(1);
        assertThat(progressBytes(all)).isEqualTo(Files.size(file));
    }

    @Test
    void csvColumnsThatAreNotEventFieldsReachTheEventAsContextAttributes() throws Exception {
        Path file = dir.resolve("visits.csv");
        Files.writeString(
                file,
                "event_id,ts,type,user_id,item_id,weather,country,note\n"
                        + "e1,1767225600000,view,u1,i1,Rain,FR,hello\n");

        List<Read> all = readAll(new HistoryFormatReader(null), split(file), null);
        List<Read> listed = readAll(
                new HistoryFormatReader(
                        null, HistoryFormatReader.DEFAULT_BATCH_SIZE, ContextColumns.parse("weather,country")),
                split(file),
                null);

        assertThat(all.get(0).payload())
                .endsWith("\"context\":{\"weather\":\"Rain\",\"country\":\"FR\",\"note\":\"hello\"}}");
        assertThat(listed.get(0).payload()).endsWith("\"context\":{\"weather\":\"Rain\",\"country\":\"FR\"}}");
    }

    @Test
    void aMovieLens100kItemFileIsToldByItsNameAndReadAsLatin1() throws Exception {
        Path file = dir.resolve("u.item");
        Files.write(
                file,
                (HistoryLinesTest.U_ITEM_ACCENTED + "\n" + HistoryLinesTest.U_ITEM_TOY + "\n")
                        .getBytes(StandardCharsets.ISO_8859_1));

        List<Read> events = readAll(new HistoryFormatReader(null), split(file), null).stream()
                .filter(Read::isEvent)
                .toList();

        assertThat(events)
                .extracting(Read::payload)
                .containsExactly(
                        "{\"event_id\":\"ml-item-73\",\"ts\":631152000000,\"type\":\"item\",\"item_id\":\"73\","
                                + "\"category\":\"Drama\",\"tags\":[\"Drama\",\"War\"]}",
                        "{\"event_id\":\"ml-item-1\",\"ts\":631152000000,\"type\":\"item\",\"item_id\":\"1\","
                                + "\"category\":\"Animation\",\"tags\":[\"Animation\",\"Children's\",\"Comedy\"]}");
    }

    @Test
    void theConfiguredFormatOverridesTheFileName() throws Exception {
        Path file = dir.resolve("export.txt");
        Files.writeString(file, "1::10::4::978300760\n");
        List<Read> all = readAll(new HistoryFormatReader(HistoryFormat.MOVIELENS), split(file), null);
        assertThat(all.get(0).payload()).startsWith("{\"event_id\":\"ml-1-10-978300760\"");

        assertThatThrownBy(() -> new HistoryFormatReader(null).createReader(new Configuration(), split(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("export.txt");
    }

    @Test
    void anEmptyFileGivesOnlyItsEndOfFileMarker() throws Exception {
        Path file = dir.resolve("empty.jsonl");
        Files.write(file, new byte[0]);
        assertThat(readAll(new HistoryFormatReader(null), split(file), null))
                .containsExactly(new Read("eof:" + file, null, 0L, 1L));
    }

    @Test
    void aRestoredReaderContinuesAfterTheCheckpointedRecordWithoutDuplicates() throws Exception {
        Path file = dir.resolve("ratings.csv");
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int i = 1; i <= 50; i++) {
            csv.append(i)
                    .append(",")
                    .append(100 + i)
                    .append(",4.0,")
                    .append(978_300_000 + i)
                    .append('\n');
            if (i % 7 == 0) {
                csv.append('\n'); // blank lines shift line numbers away from record counts
            }
        }
        Files.writeString(file, csv);
        HistoryFormatReader format = new HistoryFormatReader(null, 8);
        List<Read> whole = readAll(format, split(file), null);
        List<String> wholeEvents =
                whole.stream().filter(Read::isEvent).map(Read::payload).toList();
        assertThat(wholeEvents).hasSize(50);

        // Read two batches, then "checkpoint" after the third record of the second batch.
        BulkFormat.Reader<RawRecord> reader = format.createReader(new Configuration(), split(file));
        List<Read> emitted = new ArrayList<>();
        drain(reader.readBatch(), emitted, Integer.MAX_VALUE);
        drain(reader.readBatch(), emitted, 3);
        reader.close();
        Read last = emitted.get(emitted.size() - 1);
        assertThat(last.isEvent()).isTrue();

        List<Read> resumed =
                readAll(format, split(file), new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, last.position()));

        List<String> together = new ArrayList<>();
        emitted.stream().filter(Read::isEvent).map(Read::payload).forEach(together::add);
        resumed.stream().filter(Read::isEvent).map(Read::payload).forEach(together::add);
        assertThat(together).containsExactlyElementsOf(wholeEvents);
        assertThat(resumed.get(0).source()).isEqualTo("file:" + file + "#" + (last.position() + 1));
        assertThat(ends(resumed)).hasSize(1);
        assertThat(progressBytes(resumed)).isEqualTo(Files.size(file));
    }

    @Test
    void restoringAtTheEndEmitsTheEndOfFileMarkerOnlyIfItWasNotEmittedYet() throws Exception {
        Path file = dir.resolve("e.jsonl");
        Files.writeString(file, "{\"event_id\":\"e1\"}\n{\"event_id\":\"e2\"}\n");
        HistoryFormatReader format = new HistoryFormatReader(null);
        List<Read> whole = readAll(format, split(file), null);
        Read lastEvent =
                whole.stream().filter(Read::isEvent).reduce((a, b) -> b).orElseThrow();
        Read end = ends(whole).get(0);

        List<Read> afterLastEvent = readAll(
                format, split(file), new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, lastEvent.position()));
        assertThat(afterLastEvent.stream().filter(Read::isEvent)).isEmpty();
        assertThat(ends(afterLastEvent)).containsExactly(end);

        assertThat(readAll(
                        format, split(file), new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, end.position())))
                .isEmpty();
    }

    @Test
    void markersAreRecognised() {
        assertThat(HistoryFormatReader.isEndOfFile(new RawRecord(null, "eof:/a.jsonl", 10)))
                .isTrue();
        assertThat(HistoryFormatReader.isEndOfFile(new RawRecord(new byte[0], "eof:/a.jsonl", 10)))
                .isFalse();
        assertThat(HistoryFormatReader.isEndOfFile(new RawRecord(null, "file:/a.jsonl#1", 10)))
                .isFalse();
        assertThat(HistoryFormatReader.isProgress(new RawRecord(null, "read:/a.jsonl", 10)))
                .isTrue();
        assertThat(HistoryFormatReader.isMarker(new RawRecord(null, "kafka:t/0@1", 10)))
                .isFalse();
        assertThat(HistoryFormatReader.describe(new org.apache.flink.core.fs.Path("s3://bucket/x/a.jsonl")))
                .isEqualTo("s3://bucket/x/a.jsonl");
        assertThat(HistoryFormatReader.describe(new org.apache.flink.core.fs.Path("file:///data/a.jsonl")))
                .isEqualTo("/data/a.jsonl");
    }

    private static FileSourceSplit split(Path file) throws IOException {
        long size = Files.size(file);
        return new FileSourceSplit("0", new org.apache.flink.core.fs.Path(file.toUri()), 0, size, 0L, size);
    }

    private static List<Read> readAll(HistoryFormatReader format, FileSourceSplit split, CheckpointedPosition from)
            throws IOException {
        BulkFormat.Reader<RawRecord> reader = from == null
                ? format.createReader(new Configuration(), split)
                : format.restoreReader(new Configuration(), split.updateWithCheckpointedPosition(from));
        List<Read> out = new ArrayList<>();
        try {
            BulkFormat.RecordIterator<RawRecord> batch;
            while ((batch = reader.readBatch()) != null) {
                drain(batch, out, Integer.MAX_VALUE);
            }
        } finally {
            reader.close();
        }
        return out;
    }

    private static void drain(BulkFormat.RecordIterator<RawRecord> batch, List<Read> out, int max) {
        RecordAndPosition<RawRecord> next;
        int taken = 0;
        while (taken < max && (next = batch.next()) != null) {
            RawRecord r = next.getRecord();
            assertThat(next.getOffset()).isEqualTo(CheckpointedPosition.NO_OFFSET);
            out.add(new Read(
                    r.source,
                    r.payload == null ? null : new String(r.payload, StandardCharsets.UTF_8),
                    r.receivedAt,
                    next.getRecordSkipCount()));
            taken++;
        }
        batch.releaseBatch();
    }

    private static List<Read> ends(List<Read> all) {
        return all.stream().filter(r -> r.source().startsWith("eof:")).toList();
    }

    private static long progressBytes(List<Read> all) {
        return all.stream()
                .filter(r -> r.source().startsWith("read:"))
                .mapToLong(Read::receivedAt)
                .sum();
    }

    private static void gzip(Path file, String content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }
}
