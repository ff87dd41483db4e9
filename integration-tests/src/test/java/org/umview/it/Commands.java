package org.umview.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a time limit and collects what it printed. */
final class Commands {
    static final long TIMEOUT_SECONDS = 120;

    private Commands() {
    }

    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        Result assertSuccess(String what) {
            if (exitCode != 0) {
                fail(what + " failed with status " + exitCode + ": " + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\n--- status " + exitCode + "\n--- stdout:\n" + stdout
                    + "\n--- stderr:\n" + stderr;
        }
    }

    static Result run(List<String> command) {
        return run(command, null);
    }

    static Result run(List<String> command, Path directory) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        try {
            Process process = builder.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(process.getErrorStream()));
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
            }
            return new Result(command, process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String slurp(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
