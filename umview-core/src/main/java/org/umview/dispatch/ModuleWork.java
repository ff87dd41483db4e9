package org.umview.dispatch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.umview.module.FileSystem;

/**
 * Where a module's answer is worked out: on the tracer thread, or, for file systems whose
 * answers may wait on a traced process (a FUSE daemon running in the view), on a thread of
 * their own while the caller stays stopped.
 */
final class ModuleWork {
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(work -> {
        Thread thread = new Thread(work, "umview-module-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    Verdict answer(FileSystem fileSystem, Supplier<Verdict> work) {
        return answer(fileSystem.mayWaitOnTracees(), work);
    }

    /**
     * The verdict for a module's answer that no thread waits for: {@code then} makes it when
     * {@code answer} completes; a failure gives its errno; a signal for the caller gives the
     * wait up (the future completes with EINTR).
     */
    static <T> Verdict whenAnswered(CompletableFuture<T> answer, java.util.function.Function<T, Verdict> then) {
        return whenAnswered(answer, null, then);
    }

    /** As {@link #whenAnswered(CompletableFuture, java.util.function.Function)}; a symlink out of the file system is {@code slowWay}'s. */
    static <T> Verdict whenAnswered(CompletableFuture<T> answer, Supplier<Verdict> slowWay, java.util.function.Function<T, Verdict> then) {
        CompletableFuture<Verdict> verdict = answer.handle((value, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            if (cause instanceof org.umview.module.SymlinkOut && slowWay != null) {
                return slowWay.get();
            }
            return failure != null ? Verdict.error(errno(failure)) : then.apply(value);
        });
        return Verdict.later(verdict,
                () -> answer.completeExceptionally(new org.umview.module.ModuleException(org.umview.libc.Errno.EINTR)));
    }

    /** The errno a module's failed future stands for: its {@link org.umview.module.ModuleException}'s, else EIO. */
    static int errno(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        return cause instanceof org.umview.module.ModuleException e ? e.errno() : org.umview.libc.Errno.EIO;
    }

    /** Work whose answer no caller waits for (undoing what a failed call made), off the tracer thread if it may wait. */
    void later(FileSystem fileSystem, ModuleTask task) {
        Runnable run = () -> {
            try {
                task.run();
            } catch (org.umview.module.ModuleException e) {
                // nobody to tell: the call it followed has failed already
            }
        };
        if (fileSystem.mayWaitOnTracees()) {
            executor.submit(run);
        } else {
            run.run();
        }
    }

    /** A module call with no result. */
    @FunctionalInterface
    interface ModuleTask {
        void run() throws org.umview.module.ModuleException;
    }

    Verdict answer(boolean mayWaitOnTracees, Supplier<Verdict> work) {
        if (!mayWaitOnTracees) {
            return work.get();
        }
        CompletableFuture<Verdict> verdict = new CompletableFuture<>();
        java.util.concurrent.Future<?> task = executor.submit(() -> {
            try {
                verdict.complete(work.get());
            } catch (RuntimeException | Error e) {
                verdict.completeExceptionally(e);
            }
        });
        // A signal for the caller interrupts the work: a module waiting on a tracee gives up with EINTR.
        return Verdict.later(verdict, () -> task.cancel(true));
    }
}
