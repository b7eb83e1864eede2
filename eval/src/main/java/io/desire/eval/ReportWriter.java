package io.desire.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an {@link EvalReport} as {@code report.json} (machine-readable, every figure; {@link
 * ReportJson}) and {@code report.html} (one self-contained page; {@link ReportHtml}), both from the same
 * record, so the two never disagree.
 */
final class ReportWriter {

    static final String JSON_FILE = "report.json";
    static final String HTML_FILE = "report.html";

    private ReportWriter() {}

    /** Writes both files into {@code dir} (created if needed); returns the HTML path. */
    static Path write(EvalReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        ReportJson.write(report, dir.resolve(JSON_FILE));
        Path html = dir.resolve(HTML_FILE);
        Files.writeString(html, ReportHtml.render(report), StandardCharsets.UTF_8);
        return html;
    }
}
