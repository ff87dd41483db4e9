package org.umview.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A classic-BPF seccomp program that sends the listed system calls of one architecture to the
 * tracer ({@code SECCOMP_RET_TRACE}) or to the supervisor's listener ({@code
 * SECCOMP_RET_USER_NOTIF}, only in the filter installed with that listener) and lets every
 * other call run untouched, at no cost.
 *
 * <p>The trapped numbers are grouped into ranges and searched as a balanced tree, so a filter
 * with a hundred traps costs a handful of comparisons per call. Filters stack: traps for a
 * module loaded later are another such filter, never a replacement.
 */
public final class SeccompFilter {
    private static final int LD_W_ABS = 0x20;
    private static final int JEQ_K = 0x15;
    private static final int JGT_K = 0x25;
    private static final int JGE_K = 0x35;
    private static final int JSET_K = 0x45;
    private static final int JA = 0x05;
    private static final int RET_K = 0x06;

    private static final int DATA_NR = 0;
    private static final int DATA_ARCH = 4;
    private static final int DATA_ARGS = 16;

    static final int RET_ALLOW = 0x7fff0000;
    static final int RET_TRACE = 0x7ff00000;
    static final int RET_USER_NOTIF = 0x7fc00000;

    private final List<long[]> program = new ArrayList<>();

    private SeccompFilter() {
    }

    /** A filter trapping what {@code traps} lists, for the architecture {@code auditArch}. */
    public static SeccompFilter tracing(int auditArch, TrapSet traps) {
        return of(auditArch, traps, new TrapSet());
    }

    /**
     * A filter trapping {@code traced} for the tracer and {@code notified} for a listener; a
     * call number {@code notified} names is notified only, as {@code notified} says. A filter that notifies must be installed with
     * SECCOMP_FILTER_FLAG_NEW_LISTENER: its notifications would fail with ENOSYS otherwise.
     */
    public static SeccompFilter of(int auditArch, TrapSet traced, TrapSet notified) {
        SeccompFilter filter = new SeccompFilter();
        filter.emit(LD_W_ABS, 0, 0, DATA_ARCH);
        // Calls of another ABI (int 0x80 from i386 code) are not virtualized yet: let them run.
        filter.emit(JEQ_K, 1, 0, auditArch);
        filter.emit(RET_K, 0, 0, RET_ALLOW);
        filter.emit(LD_W_ABS, 0, 0, DATA_NR);
        List<Leaf> leaves = leaves(traced.select(nr -> !notified.names(nr)), RET_TRACE);
        leaves.addAll(leaves(notified, RET_USER_NOTIF));
        leaves.sort(java.util.Comparator.comparingInt(Leaf::first));
        filter.tree(leaves, 0, leaves.size());
        return filter;
    }

    /** The program as struct sock_filter[] in native byte order. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(program.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] insn : program) {
            out.putShort((short) insn[0]).put((byte) insn[1]).put((byte) insn[2]).putInt((int) insn[3]);
        }
        return out.array();
    }

    public int instructionCount() {
        return program.size();
    }

    /** Whether this filter sends any call to a listener. */
    public boolean notifies() {
        return program.stream().anyMatch(insn -> insn[0] == RET_K && insn[3] == RET_USER_NOTIF);
    }

    /** A range of call numbers trapped always, or one number trapped on a condition; {@code action} says by whom. */
    private record Leaf(int first, int last, TrapSet.Condition condition, int action, TrapSet.Bits bits) {
        Leaf(int first, int last, TrapSet.Condition condition, int action) {
            this(first, last, condition, action, null);
        }
    }

    /** Emits a search of leaves[from, to); the accumulator holds the call number. */
    private void tree(List<Leaf> leaves, int from, int to) {
        if (to - from == 0) {
            emit(RET_K, 0, 0, RET_ALLOW);
            return;
        }
        if (to - from == 1) {
            leaf(leaves.get(from));
            return;
        }
        int middle = (from + to) / 2;
        // if nr >= start of the right half: jump (32-bit offset) over the left half's code.
        emit(JGE_K, 0, 1, leaves.get(middle).first());
        int jump = program.size();
        emit(JA, 0, 0, 0);
        tree(leaves, from, middle);
        program.get(jump)[3] = program.size() - jump - 1;
        tree(leaves, middle, to);
    }

    private void leaf(Leaf leaf) {
        if (leaf.bits() != null) {
            // The call, with a bit of the mask set in its argument's low half or high half.
            long offset = DATA_ARGS + 8L * leaf.bits().argument();
            long[] halves = {leaf.bits().mask() & 0xffffffffL, leaf.bits().mask() >>> 32};
            int tests = (halves[0] != 0 ? 2 : 0) + (halves[1] != 0 ? 2 : 0);
            emit(JGE_K, 0, tests + 1, leaf.first());
            emit(JGT_K, tests, 0, leaf.first());
            for (int half = 0; half < 2; half++) {
                if (halves[half] != 0) {
                    tests -= 2;
                    emit(LD_W_ABS, 0, 0, offset + 4L * half);
                    emit(JSET_K, tests + 1, 0, halves[half]);
                }
            }
            emit(RET_K, 0, 0, RET_ALLOW);
            emit(RET_K, 0, 0, leaf.action());
            return;
        }
        if (leaf.condition() == null) {
            emit(JGE_K, 0, 2, leaf.first());
            emit(JGT_K, 1, 0, leaf.last());
            emit(RET_K, 0, 0, leaf.action());
            emit(RET_K, 0, 0, RET_ALLOW);
            return;
        }
        int[] arguments = leaf.condition().arguments();
        List<Integer> values = List.copyOf(leaf.condition().values());
        int start = program.size();
        int allow = 2 + arguments.length * (1 + values.size()); // RET_ALLOW, then the action
        emit(JGE_K, 0, allow - 1, leaf.first());
        emit(JGT_K, allow - 2, 0, leaf.first());
        for (int argument : arguments) {
            emit(LD_W_ABS, 0, 0, DATA_ARGS + 8L * argument); // the low half, little-endian
            for (int value : values) {
                int at = program.size() - start;
                emit(JEQ_K, allow - at, 0, value & 0xffffffffL);
            }
        }
        emit(RET_K, 0, 0, RET_ALLOW);
        emit(RET_K, 0, 0, leaf.action());
    }

    private static List<Leaf> leaves(TrapSet traps, int action) {
        List<Leaf> leaves = new ArrayList<>();
        BitSet always = traps.alwaysNumbers();
        for (int start = always.nextSetBit(0); start >= 0; ) {
            int end = always.nextClearBit(start) - 1;
            leaves.add(new Leaf(start, end, null, action));
            start = always.nextSetBit(end + 1);
        }
        traps.conditions().forEach((number, condition) -> leaves.add(new Leaf(number, number, condition, action)));
        traps.setArguments().forEach((number, bits) -> leaves.add(new Leaf(number, number, null, action, bits)));
        return leaves;
    }

    private void emit(int code, int jt, int jf, long k) {
        program.add(new long[] {code, jt, jf, k});
    }
}
