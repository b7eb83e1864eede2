package io.desire.features.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Test corpora under {@code src/test/resources/corpus/}. */
final class Corpus {
    /** "Now" of every corpus test, so timestamp range checks are deterministic. */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static final JsonFactory JSON = new JsonFactory();

    private Corpus() {}

    static ParserConfig config() {
        return ParserConfig.builder().clock(CLOCK).build();
    }

    /**
     * One malformed input: {@code id}, expected {@code reason}, optional {@code detail} substring, and
     * the payload as {@code json} (any JSON value, written compactly), {@code text} (UTF-8) or
     * {@code base64} (raw bytes); {@code pad: N} replaces {@code @PAD@} with N {@code x}.
     */
    record Case(String id, RejectReason reason, String detail, byte[] payload) {
        @Override
        public String toString() {
            return id + " -> " + reason;
        }
    }

    static List<Case> malformed() {
        List<Case> cases = new ArrayList<>();
        for (String line : lines("corpus/malformed.jsonl")) {
            cases.add(parseCase(line));
        }
        return cases;
    }

    static List<String> lines(String resource) {
        InputStream in = Corpus.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + resource);
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Case parseCase(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            String id = null;
            String reason = null;
            String detail = null;
            String payload = null;
            byte[] raw = null;
            int pad = 0;
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "id" -> id = p.getText();
                    case "reason" -> reason = p.getText();
                    case "detail" -> detail = p.getText();
                    case "text" -> payload = p.getText();
                    case "base64" -> raw = Base64.getDecoder().decode(p.getText());
                    case "pad" -> pad = p.getIntValue();
                    case "json" -> {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        try (JsonGenerator g = JSON.createGenerator(bytes)) {
                            g.copyCurrentStructure(p);
                        }
                        payload = bytes.toString(StandardCharsets.UTF_8);
                    }
                    default -> throw new IllegalArgumentException("unknown corpus key " + name + " in " + line);
                }
            }
            if (payload != null) {
                payload = payload.replace("@PAD@", "x".repeat(pad));
                raw = payload.getBytes(StandardCharsets.UTF_8);
            }
            if (id == null || reason == null || raw == null) {
                throw new IllegalArgumentException("corpus line needs id, reason and a payload: " + line);
            }
            return new Case(id, RejectReason.valueOf(reason), detail, raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RawRecord record(String json) {
        return new RawRecord(json.getBytes(StandardCharsets.UTF_8), "test:inline", 7L);
    }
}
