package org.heptap.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child process with its output captured to files; always stopped by {@link #close()}. */
final class Proc implements AutoCloseable {
    final Process process;
    final Path out;
    final Path err;
    final List<String> command;

    private Proc(Process p, Path out, Path err, List<String> command) {
        this.process = p;
        this.out = out;
        this.err = err;
        this.command = command;
    }

    static Proc start(List<String> command) throws IOException {
        Path out = Scratch.file("e2e-out", ".txt");
        Path err = Scratch.file("e2e-err", ".txt");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new Proc(pb.start(), out, err, new ArrayList<>(command));
    }

    /** Runs to completion within the timeout (killed otherwise) and returns the exit code. */
    static Proc run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Proc p = start(command);
        if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.close();
            throw new AssertionError("timed out after " + timeout + ": " + command + "\n" + p.stderr());
        }
        return p;
    }

    int exitCode() {
        return process.exitValue();
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    void terminate(Duration grace) throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        try {
            terminate(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
