package io.desire.jobs.history;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ended by {@code \n}, as bytes (no decoding, so bytes that are not
 * UTF-8 reach the parser unchanged). A trailing {@code \r} is removed; a last line without {@code \n}
 * counts; a line longer than the limit is cut to it and the rest of it skipped. Not thread-safe.
 */
final class LineInput {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private int length;

    LineInput(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its terminator, or {@code null} at the end of the stream. */
    byte[] readLine() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos >= limit && !fill()) {
                if (!any) {
                    return null;
                }
                break;
            }
            any = true;
            int end = pos;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            append(pos, end - pos);
            if (end < limit) {
                pos = end + 1;
                break;
            }
            pos = limit;
        }
        int len = length;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        return Arrays.copyOf(line, len);
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private void append(int from, int count) {
        int take = Math.min(count, maxLineBytes - length);
        if (take <= 0) {
            return;
        }
        if (length + take > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxLineBytes, Math.max(2L * line.length, length + take)));
        }
        System.arraycopy(buffer, from, line, length, take);
        length += take;
    }
}
