package org.umview.trace;

import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.calllog.CallLog;
import org.umview.dispatch.Verdict;
import org.umview.seccomp.Listener;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;

/**
 * The calls that reach the supervisor as seccomp user notifications, with no ptrace stop. A
 * thread per listener takes each one, has the dispatcher decide it (the same decision a ptrace
 * stop gets) and carries the verdict out when a listener can: a call let through, a result or
 * an error. A verdict that needs the tracee's registers rewritten, traps installed or a stop
 * of its own is handed to the tracer, which takes the call over with ptrace.
 *
 * <p>Decisions here and on the tracer thread take turns under one lock: the view's state has
 * one writer at a time.
 */
final class NotifiedCalls {
    private static final Logger LOG = LoggerFactory.getLogger(NotifiedCalls.class);

    /** What the tracer does for notified calls. */
    interface Tracer {
        Verdict decide(SyscallRequest request);

        /** Takes over, with ptrace, the call the tracee waits in; posted to the tracer thread. */
        void handOff(Tracee tracee, Handoff handoff);

        /** Registers work a signal to {@code tid} must cut short while it waits (see the signal watcher). */
        void waiting(int tid, Runnable interrupt, boolean waits);

        /** Runs {@code work} on the tracer thread, under the lock. */
        void post(Runnable work);

        /** Whether the tracee's debugger in the view is to see this call's seccomp stop before it is decided. */
        boolean debuggerFirst(Tracee tracee, SyscallRequest request);
    }

    /** A call decided here whose verdict the tracer carries out, once the tracee is stopped at it. */
    static final class Handoff {
        final SyscallRequest request;
        final Verdict verdict;
        /** The notification the tracee waits in, and where it came. */
        final Listener listener;
        final long id;
        /** Its tracee was made to enter the call again under PTRACE_SYSCALL: the verdict waits for that entry. */
        boolean atEntry;

        Handoff(SyscallRequest request, Verdict verdict, Listener listener, long id) {
            this.request = request;
            this.verdict = verdict;
            this.listener = listener;
            this.id = id;
        }

        /**
         * Ends the tracee's wait so that it stops for the tracer (asked already): a wait only a
         * fatal signal ends (WAIT_KILLABLE_RECV) ends with the answer "made again", which the
         * kernel turns into a restart after the stop; a wait a signal ends has ended already.
         */
        void release() {
            listener.answer(id, -org.umview.trace.Tracer.ERESTARTNOINTR);
        }

        /** The call it was for is not made as decided: what the verdict prepared is let go. */
        void drop(int errno) {
            LateVerdict.drop(verdict, errno);
        }
    }

    private final ReentrantLock lock;
    private final TraceeTable tracees;
    private final SyscallTable table;
    private final Tracer tracer;
    private final CallLog callLog;

    NotifiedCalls(ReentrantLock lock, TraceeTable tracees, SyscallTable table, Tracer tracer, CallLog callLog) {
        this.lock = lock;
        this.tracees = tracees;
        this.table = table;
        this.tracer = tracer;
        this.callLog = callLog;
    }

    /** Serves {@code listener} on a thread of its own until no process uses its filter. */
    void listen(Listener listener, int owner) {
        if (!listener.wakeUpSynchronously()) {
            LOG.info("listener of process {}: no synchronous wake-up on this kernel", owner);
        }
        Thread thread = new Thread(() -> {
            try (listener) {
                for (Listener.Notification call; (call = listener.next()) != null; ) {
                    serve(listener, call);
                }
            }
        }, "umview-notified-" + owner);
        thread.setDaemon(true);
        thread.start();
    }

    private void serve(Listener listener, Listener.Notification call) {
        lock.lock();
        try {
            Tracee tracee = tracees.get(call.tid());
            if (tracee.passNext) {
                tracee.passNext = false; // the call the tracer rewrote after taking it over
                listener.letThrough(call.id());
                return;
            }
            SyscallRequest request = new SyscallRequest(tracee.tid, tracee.tgid(), tracee.process,
                    table.byNumber(call.number()), call.args());
            Tracee.DeferredRewrite deferred = tracee.deferredRewrite;
            if (deferred != null) {
                // Made again once its scratch page was mapped: carried out as decided, not decided again.
                tracee.deferredRewrite = null;
                if (deferred.sameCall(request)) {
                    tracer.handOff(tracee, new Handoff(request, deferred.rewrite(), listener, call.id()));
                    return;
                }
                deferred.drop(org.umview.libc.Errno.EINTR);
            }
            if (tracee.debuggee != null && tracer.debuggerFirst(tracee, request)) {
                tracer.handOff(tracee, new Handoff(request, Verdict.AGAIN, listener, call.id()));
                return;
            }
            carryOut(listener, call.id(), tracee, request, tracer.decide(request));
        } catch (RuntimeException e) {
            LOG.error("notified call of tracee {} not handled", call.tid(), e);
            listener.answer(call.id(), -org.umview.libc.Errno.EIO);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: the descriptor placed in the caller's table by the listener, its number
     * the call's result; with the traps it makes due first put in by the tracer (the caller
     * must not use it before).
     */
    private void giveDescriptor(Listener listener, long id, Tracee tracee, SyscallRequest request, Verdict.Descriptor descriptor) {
        int host = descriptor.hostFd().getAsInt();
        int given = host < 0 ? host : listener.addDescriptor(id, host, descriptor.flags());
        if (host >= 0) {
            org.umview.libc.Native.processControl().close(host);
        }
        org.umview.seccomp.TrapSet traps = tracee.pendingTraps;
        descriptor.then().accept(given);
        if (tracee.pendingTraps != traps) {
            // Its result given at the exit of a stand-in call, where the tracer puts the traps in first.
            tracer.handOff(tracee, new Handoff(request, new Verdict.Rewrite(table.number("getpid"), java.util.List.of(), null,
                    result -> given), listener, id));
        } else {
            reply(listener, id, request, Verdict.result(given));
        }
    }

    /** A call let through or answered: from any thread, the listener's calls need no lock. */
    private void reply(Listener listener, long id, SyscallRequest request, Verdict verdict) {
        if (verdict instanceof Verdict.Result result) {
            if (listener.answer(id, result.value()) && callLog != null) {
                callLog.finished(callLog.describe(request), result.value(), "umview, notified");
            }
        } else if (listener.letThrough(id) && callLog != null) {
            callLog.letThrough(callLog.describe(request));
        }
    }

    /** Under the lock. */
    private void carryOut(Listener listener, long id, Tracee tracee, SyscallRequest request, Verdict verdict) {
        org.umview.seccomp.TrapSet traps = tracee.pendingTraps;
        while (verdict instanceof Verdict.Again) {
            verdict = tracer.decide(request);
        }
        if (tracee.pendingTraps != traps) {
            // Traps the call's effects need (a descriptor become virtual) go in at its exit stop.
            tracer.handOff(tracee, new Handoff(request, verdict, listener, id));
        } else if (verdict instanceof Verdict.Continue || verdict instanceof Verdict.Result) {
            reply(listener, id, request, verdict);
        } else if (verdict instanceof Verdict.Descriptor descriptor) {
            giveDescriptor(listener, id, tracee, request, descriptor);
        } else if (verdict instanceof Verdict.Pending pending) {
            tracer.waiting(tracee.tid, pending.interrupt(), true);
            pending.verdict().whenComplete((done, failure) -> {
                Verdict answer = LateVerdict.of(done, failure, request);
                if (answer instanceof Verdict.Result || answer instanceof Verdict.Continue) {
                    // The listener's alone, given on the thread that made it: no wake-up of
                    // the tracer's (a tracee gone meanwhile has no notification to answer).
                    tracer.waiting(tracee.tid, pending.interrupt(), false);
                    reply(listener, id, request, answer);
                    return;
                }
                // Carried out on the tracer thread: the module's thread that completes it must
                // never wait for the lock, which is taken before module code, never after.
                tracer.post(() -> {
                    tracer.waiting(tracee.tid, pending.interrupt(), false);
                    if (tracee.gone) {
                        LateVerdict.drop(answer, org.umview.libc.Errno.ESRCH);
                    } else {
                        carryOut(listener, id, tracee, request, answer);
                    }
                });
            });
        } else {
            tracer.handOff(tracee, new Handoff(request, verdict, listener, id));
        }
    }
}
