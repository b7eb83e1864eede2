package io.desire.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The two job jars of the upgrade test. Version 1 is the shipped shaded jar. Version 2 is a copy
 * with {@link UpgradedStreamingJob} (an operator added) and a {@code PaneTotals} compiled from
 * today's source with one more field, so the context windows' POJO schema evolves on restore. (The
 * per-user state types have serializers of their own, whose formats evolve by snapshot version, not
 * by POJO schema evolution; the context windows are still Flink POJOs.)
 */
final class UpgradeJars {
    static final String EVOLVED_CLASS = "io/desire/operators/PaneTotals.class";
    static final String ADDED_FIELD = "lastDevice";

    private UpgradeJars() {}

    /** The shaded job jar the build made ({@code jobs/target/desire-jobs-*-job.jar}). */
    static Path shippedJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("desire-jobs-.*-job\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no shaded job jar in jobs/target: run the integration tests with `mvn verify`"));
        }
    }

    /** Writes version 2 of the job jar into {@code dir}. */
    static Path upgradedJar(Path v1, Path dir) throws IOException {
        Map<String, byte[]> replaced = new TreeMap<>();
        replaced.put(EVOLVED_CLASS, compileWithAddedField(v1, dir.resolve("v2-classes")));
        Path testClasses = Path.of("target", "test-classes");
        try (Stream<Path> files = Files.list(testClasses.resolve("io/desire/jobs"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("UpgradedStreamingJob"))
                    .toList()) {
                replaced.put(testClasses.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        Path v2 = dir.resolve("desire-jobs-v2.jar");
        try (ZipFile in = new ZipFile(v1.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(v2))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                if (replaced.containsKey(e.getName())) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream data = in.getInputStream(e)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : replaced.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return v2;
    }

    /** Today's PaneTotals source with {@code public String lastDevice;} added, compiled against v1. */
    private static byte[] compileWithAddedField(Path v1, Path out) throws IOException {
        Path source = Path.of("..", "operators", "src", "main", "java", "io", "desire", "operators", "PaneTotals.java");
        String text = Files.readString(source);
        String anchor = "    public PaneTotals() {}";
        if (!text.contains(anchor)) {
            throw new IllegalStateException("PaneTotals.java has no no-arg constructor line to add a field before");
        }
        text = text.replace(
                anchor, "    /** Added in version 2. */\n    public String " + ADDED_FIELD + ";\n\n" + anchor);
        Path src = out.resolve("src/io/desire/operators/PaneTotals.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, text);
        Path classes = out.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(
                        errors,
                        null,
                        null,
                        List.of("--release", "17", "-cp", v1.toString(), "-d", classes.toString()),
                        null,
                        javac.getStandardFileManager(null, null, null).getJavaFileObjects(src.toFile()))
                .call();
        if (!ok) {
            throw new IllegalStateException("compiling the version 2 PaneTotals failed:\n" + errors);
        }
        return Files.readAllBytes(classes.resolve(EVOLVED_CLASS));
    }
}
