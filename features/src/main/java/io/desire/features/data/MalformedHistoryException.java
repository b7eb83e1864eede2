package io.desire.features.data;

import java.io.IOException;
import java.nio.file.Path;

/** A history file line that cannot be read; says which file, which line and why. */
public final class MalformedHistoryException extends IOException {

    private final Path file;
    private final long lineNumber;

    public MalformedHistoryException(Path file, long lineNumber, String reason) {
        super(file + ":" + lineNumber + ": " + reason);
        this.file = file;
        this.lineNumber = lineNumber;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number. */
    public long lineNumber() {
        return lineNumber;
    }
}
