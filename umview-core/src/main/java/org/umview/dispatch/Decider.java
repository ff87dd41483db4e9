package org.umview.dispatch;

import org.umview.syscall.SyscallRequest;

/** Decides one trapped call; a decider asked {@link CallTable#first first} answers null for a call that is not its own. */
@FunctionalInterface
interface Decider {
    Verdict decide(SyscallRequest request);
}
