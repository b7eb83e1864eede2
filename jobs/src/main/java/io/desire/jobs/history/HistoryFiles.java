package io.desire.jobs.history;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Expands the configured history inputs (files, directories, any Flink file system URI) into the files
 * to read.
 *
 * <p>Guarantees of {@link #expand}: every returned file exists and is a regular file with a fully
 * qualified path; directories are walked recursively; inside a directory, files and directories whose
 * name starts with {@code .} or {@code _} (hidden files, {@code _SUCCESS}, {@code _temporary}) are
 * skipped, while a file named explicitly is always taken; a file reached twice is listed once; the
 * list is sorted by path string. A path that does not exist, a directory without a file to read, or
 * an empty input fail with a message naming the path.
 */
public final class HistoryFiles {

    private HistoryFiles() {}

    /**
     * The files under {@code uris}: local paths (absolute or relative to the working directory) or URIs
     * of any file system Flink has a plugin for ({@code file:///…}, {@code s3://…}, {@code hdfs://…}).
     *
     * @throws FileNotFoundException when a path does not exist
     * @throws IllegalArgumentException when {@code uris} is empty, holds a blank entry, or a directory
     *     holds no file to read
     * @throws IOException when the file system cannot be reached or listed
     */
    public static List<HistoryFile> expand(List<String> uris) throws IOException {
        if (uris == null || uris.isEmpty()) {
            throw new IllegalArgumentException("no history input given: expected one or more files or directories"
                    + " (local paths or file system URIs such as file:///data/history or s3://bucket/history)");
        }
        TreeMap<String, HistoryFile> found = new TreeMap<>();
        for (String uri : uris) {
            if (uri == null || uri.isBlank()) {
                throw new IllegalArgumentException("a history input path is blank in " + uris);
            }
            Path given = new Path(uri.strip());
            FileSystem fs = given.getFileSystem();
            Path path = given.makeQualified(fs);
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                FileNotFoundException missing = new FileNotFoundException(
                        "history input '" + uri + "' does not exist (looked for " + path + ")");
                missing.initCause(e);
                throw missing;
            }
            if (!status.isDir()) {
                add(found, path, status);
            } else if (walk(fs, path, found) == 0) {
                throw new IllegalArgumentException("history input directory '" + uri + "' holds no file to read"
                        + " (files and directories whose names start with '.' or '_' are skipped)");
            }
        }
        return new ArrayList<>(found.values());
    }

    /** Adds the files under {@code dir} to {@code found}; returns how many it saw. */
    private static int walk(FileSystem fs, Path dir, TreeMap<String, HistoryFile> found) throws IOException {
        int files = 0;
        Deque<Path> pending = new ArrayDeque<>();
        pending.push(dir);
        while (!pending.isEmpty()) {
            FileStatus[] children = fs.listStatus(pending.pop());
            if (children == null) {
                continue;
            }
            for (FileStatus child : children) {
                if (isHidden(child.getPath())) {
                    continue;
                }
                if (child.isDir()) {
                    pending.push(child.getPath());
                } else {
                    add(found, child.getPath(), child);
                    files++;
                }
            }
        }
        return files;
    }

    private static void add(TreeMap<String, HistoryFile> found, Path path, FileStatus status) {
        found.putIfAbsent(path.toString(), new HistoryFile(path, status.getLen()));
    }

    /** Whether a directory walk skips {@code path}: its name starts with '.' or '_'. */
    static boolean isHidden(Path path) {
        String name = path.getName();
        return name.startsWith(".") || name.startsWith("_");
    }
}
