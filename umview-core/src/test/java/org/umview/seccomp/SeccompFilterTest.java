package org.umview.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The generated program answers TRACE exactly for the trapped numbers. The kernel runs the
 * filter in the integration tests; here {@link FilterProgram} runs it for every number against
 * many trap sets, which no real run could cover.
 */
class SeccompFilterTest {
    private static final int ARCH = 0xc000003e;

    @Test
    void trapsExactlyTheRequestedNumbers() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            BitSet trapped = new BitSet();
            int count = random.nextInt(120);
            for (int i = 0; i < count; i++) {
                int start = random.nextInt(480);
                trapped.set(start, start + 1 + random.nextInt(4));
            }
            if (round % 10 == 0) {
                trapped.set(0x7a55);
            }
            byte[] program = SeccompFilter.tracing(ARCH, always(trapped)).toBytes();
            for (int nr = 0; nr < 600; nr++) {
                int expected = trapped.get(nr) ? SeccompFilter.RET_TRACE : SeccompFilter.RET_ALLOW;
                assertEquals(expected, run(program, ARCH, nr), "round " + round + " nr " + nr + " set " + trapped);
            }
            assertEquals(trapped.get(0x7a55) ? SeccompFilter.RET_TRACE : SeccompFilter.RET_ALLOW,
                    run(program, ARCH, 0x7a55));
        }
    }

    @Test
    void otherArchitecturesPassThrough() {
        BitSet trapped = new BitSet();
        trapped.set(0, 500);
        byte[] program = SeccompFilter.tracing(ARCH, always(trapped)).toBytes();
        assertEquals(SeccompFilter.RET_ALLOW, run(program, 0x40000003, 5));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 5));
    }

    @Test
    void largeSetsStayWithinTheKernelLimit() {
        BitSet everyOther = new BitSet();
        for (int nr = 0; nr < 470; nr += 2) {
            everyOther.set(nr);
        }
        SeccompFilter filter = SeccompFilter.tracing(ARCH, always(everyOther));
        assertTrue(filter.instructionCount() < 4096, "BPF_MAXINSNS exceeded: " + filter.instructionCount());
        assertEquals(SeccompFilter.RET_TRACE, run(filter.toBytes(), ARCH, 468));
        assertEquals(SeccompFilter.RET_ALLOW, run(filter.toBytes(), ARCH, 469));
    }

    @Test
    void conditionalTrapsLookAtTheArguments() {
        TrapSet traps = new TrapSet().always(2).always(3).when(257, new int[] {0}, -100).when(264, new int[] {0, 2}, -100)
                .when(264, new int[] {0, 2}, 7);
        byte[] program = SeccompFilter.tracing(ARCH, traps).toBytes();
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 2));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 257, 0xffffffffffffff9cL));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 257, 0xffffff9cL));
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 257, 5));
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 264, 5, 0, 5));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 264, 5, 0, -100));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 264, 7, 0, 5));
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 258, -100));
    }

    @Test
    void whenSetTrapsAPointerGivenInEitherHalf() {
        TrapSet traps = new TrapSet().whenSet(44, 4).always(2).whenSet(45, 4);
        byte[] program = SeccompFilter.tracing(ARCH, traps).toBytes();
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 44, 3, 0, 0, 0, 0, 0));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 44, 3, 0, 0, 0, 0x7ffd1234L, 16));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 44, 3, 0, 0, 0, 0x7ffd00000000L, 16));
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 45, 3, 0x1000, 0, 0, 0, 0));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 45, 3, 0, 0, 0, 8, 0));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 2));
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 46, 1, 1, 1, 1, 1, 1));
        // With an equality condition too, the call is trapped always; what is installed is not asked again.
        TrapSet both = new TrapSet().whenSet(44, 4).when(44, new int[] {0}, 7);
        assertEquals(SeccompFilter.RET_TRACE, run(SeccompFilter.tracing(ARCH, both).toBytes(), ARCH, 44, 3, 0, 0, 0, 0, 0));
        assertTrue(new TrapSet().whenSet(44, 4).without(traps).isEmpty());
        assertTrue(new TrapSet().whenSet(44, 5).without(traps).names(44));
    }

    @Test
    void whenAnyBitTrapsOnlyTheFlagsAsked() {
        long newNs = 0x00020000L;
        long newUser = 0x10000000L;
        TrapSet traps = new TrapSet().whenAnyBit(56, 0, newNs).always(2).whenAnyBit(9, 3, 1L << 40);
        byte[] program = SeccompFilter.tracing(ARCH, traps).toBytes();
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 56, 0x1200011L)); // a fork
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 56, 0x1200011L | newNs));
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 56, newUser));
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 57, newNs));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 9, 0, 0, 0, 1L << 40));
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 9, 0, 0, 0, 0xffffffffL));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 2));
        // A wider mask later is missing from what is installed, and the masks add up.
        TrapSet wider = new TrapSet().whenAnyBit(56, 0, newNs | newUser);
        assertTrue(new TrapSet().whenAnyBit(56, 0, newNs).without(traps).isEmpty());
        assertTrue(wider.without(traps).names(56));
        byte[] both = SeccompFilter.tracing(ARCH, new TrapSet().addAll(traps).addAll(wider)).toBytes();
        assertEquals(SeccompFilter.RET_TRACE, run(both, ARCH, 56, newUser));
        assertEquals(SeccompFilter.RET_ALLOW, run(both, ARCH, 56, 0x1200011L));
    }

    @Test
    void notifiedCallsGoToTheListenerAndTheRestToTheTracer() {
        TrapSet traced = new TrapSet().always(2).always(59).always(165).when(257, new int[] {0}, -100);
        TrapSet notified = new TrapSet().always(2).when(257, new int[] {0}, -100).always(4);
        SeccompFilter filter = SeccompFilter.of(ARCH, traced, notified);
        byte[] program = filter.toBytes();
        assertTrue(filter.notifies());
        assertEquals(SeccompFilter.RET_USER_NOTIF, run(program, ARCH, 2));
        assertEquals(SeccompFilter.RET_USER_NOTIF, run(program, ARCH, 4));
        assertEquals(SeccompFilter.RET_USER_NOTIF, run(program, ARCH, 257, -100));
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 257, 3));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 59));
        assertEquals(SeccompFilter.RET_TRACE, run(program, ARCH, 165));
        assertEquals(SeccompFilter.RET_ALLOW, run(program, ARCH, 3));
        assertTrue(!SeccompFilter.tracing(ARCH, traced).notifies());
    }

    private static TrapSet always(BitSet numbers) {
        TrapSet traps = new TrapSet();
        numbers.stream().forEach(traps::always);
        return traps;
    }

    /** Runs the program on seccomp_data {nr, arch, args} as the kernel would (the interpreter the debuggers' seccomp stops use). */
    private static int run(byte[] bytes, int arch, int nr, long... args) {
        return FilterProgram.of(bytes).run(nr, arch, 0, java.util.Arrays.copyOf(args, 6));
    }
}
