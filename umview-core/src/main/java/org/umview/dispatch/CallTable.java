package org.umview.dispatch;

import java.util.Collection;
import java.util.List;
import org.umview.syscall.Syscall;
import org.umview.syscall.SyscallTable;

/**
 * Who decides each system call, by number, built from the architecture's call table (as
 * gVisor's syscall table and VUOS's vu_syscalls.conf are): every call has its own decider, and
 * may have deciders asked before it that take only the calls that are theirs (a socket of a
 * virtual stack, a call a narrowed view refuses) and pass the others on with null.
 */
final class CallTable {
    private final SyscallTable table;
    private final Decider[] own;
    private final Decider[] chained;

    /** A table where every call is {@code otherwise}'s until said otherwise. */
    CallTable(SyscallTable table, Decider otherwise) {
        this.table = table;
        this.own = new Decider[table.highest() + 1];
        java.util.Arrays.fill(own, otherwise);
        this.chained = own.clone();
    }

    /** Calls matching {@code which} (say, those with a path argument) are {@code decider}'s. */
    CallTable decides(java.util.function.Predicate<Syscall> which, Decider decider) {
        for (int nr = 0; nr <= table.highest(); nr++) {
            if (which.test(table.byNumber(nr))) {
                own[nr] = decider;
                chained[nr] = decider;
            }
        }
        return this;
    }

    CallTable decides(Collection<String> names, Decider decider) {
        names.forEach(name -> decides(name, decider));
        return this;
    }

    CallTable decides(String name, Decider decider) {
        int nr = table.number(name);
        own[nr] = decider;
        chained[nr] = decider;
        return this;
    }

    /** {@code decider} is asked about {@code names} before what decided them so far; null from it passes the call on. */
    CallTable first(Collection<String> names, Decider decider) {
        for (String name : names) {
            int nr = table.number(name);
            Decider next = chained[nr];
            chained[nr] = request -> {
                Verdict verdict = decider.decide(request);
                return verdict != null ? verdict : next.decide(request);
            };
        }
        return this;
    }

    CallTable first(String name, Decider decider) {
        return first(List.of(name), decider);
    }

    /** The decider of each call number. */
    Decider[] build() {
        return chained.clone();
    }
}
