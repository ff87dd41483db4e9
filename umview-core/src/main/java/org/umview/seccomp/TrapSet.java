package org.umview.seccomp;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The system calls a filter sends to the tracer: some always, others only when one of their
 * arguments holds a given value (a path call only when its dirfd is AT_FDCWD, say). BPF sees
 * the six raw arguments, never memory.
 */
public final class TrapSet {
    private final BitSet always = new BitSet();
    private final Map<Integer, Condition> conditional = new HashMap<>();
    /** Calls trapped only when one argument has one of some bits set: the call number, which bits. */
    private final Map<Integer, Bits> whenSet = new HashMap<>();

    /** Trap when the low 32 bits of any of {@code arguments} equal one of {@code values}. */
    public record Condition(int[] arguments, Set<Integer> values) {
    }

    /** Trap when argument {@code argument} has any of the bits of {@code mask} set. */
    record Bits(int argument, long mask) {
    }

    public TrapSet always(int number) {
        always.set(number);
        conditional.remove(number);
        whenSet.remove(number);
        return this;
    }

    public TrapSet when(int number, int[] arguments, int value) {
        if (always.get(number)) {
            return this;
        }
        if (whenSet.containsKey(number)) {
            return always(number); // both kinds of condition on one call: trapped always, to stay simple
        }
        Condition old = conditional.get(number);
        Set<Integer> values = old == null ? Set.of(value) : union(old.values(), value);
        conditional.put(number, new Condition(arguments, values));
        return this;
    }

    /** Trap when argument {@code argument} is not zero (a pointer given: sendto's address, say). */
    public TrapSet whenSet(int number, int argument) {
        return whenAnyBit(number, argument, -1L);
    }

    /** Trap when argument {@code argument} has any bit of {@code mask} set (clone's namespace flags, say). */
    public TrapSet whenAnyBit(int number, int argument, long mask) {
        if (always.get(number)) {
            return this;
        }
        Bits old = whenSet.get(number);
        if (conditional.containsKey(number) || (old != null && old.argument() != argument)) {
            return always(number);
        }
        whenSet.put(number, new Bits(argument, old == null ? mask : old.mask() | mask));
        return this;
    }

    public TrapSet addAll(TrapSet other) {
        other.always.stream().forEach(this::always);
        other.whenSet.forEach((number, bits) -> whenAnyBit(number, bits.argument(), bits.mask()));
        other.conditional.forEach((number, c) -> c.values().forEach(v -> when(number, c.arguments(), v)));
        return this;
    }

    /** What this set traps that {@code installed} does not. */
    public TrapSet without(TrapSet installed) {
        TrapSet missing = new TrapSet();
        always.stream().filter(n -> !installed.always.get(n)).forEach(missing::always);
        conditional.forEach((number, c) -> {
            if (installed.always.get(number)) {
                return;
            }
            Condition have = installed.conditional.get(number);
            c.values().stream().filter(v -> have == null || !have.values().contains(v))
                    .forEach(v -> missing.when(number, c.arguments(), v));
        });
        whenSet.forEach((number, bits) -> {
            Bits have = installed.whenSet.get(number);
            if (!installed.always.get(number) && (have == null || have.argument() != bits.argument()
                    || (bits.mask() & ~have.mask()) != 0)) {
                missing.whenAnyBit(number, bits.argument(), bits.mask());
            }
        });
        return missing;
    }

    /** The traps of this set on the call numbers {@code keep} accepts, with their conditions. */
    public TrapSet select(java.util.function.IntPredicate keep) {
        TrapSet selected = new TrapSet();
        always.stream().filter(keep).forEach(selected.always::set);
        conditional.forEach((number, c) -> {
            if (keep.test(number)) {
                selected.conditional.put(number, c);
            }
        });
        whenSet.forEach((number, bits) -> {
            if (keep.test(number)) {
                selected.whenSet.put(number, bits);
            }
        });
        return selected;
    }

    /** Whether this set traps call {@code number} at all. */
    public boolean names(int number) {
        return always.get(number) || conditional.containsKey(number) || whenSet.containsKey(number);
    }

    public boolean isEmpty() {
        return always.isEmpty() && conditional.isEmpty() && whenSet.isEmpty();
    }

    BitSet alwaysNumbers() {
        return (BitSet) always.clone();
    }

    Map<Integer, Condition> conditions() {
        return Map.copyOf(conditional);
    }

    Map<Integer, Bits> setArguments() {
        return Map.copyOf(whenSet);
    }

    private static Set<Integer> union(Set<Integer> values, int value) {
        java.util.HashSet<Integer> all = new java.util.HashSet<>(values);
        all.add(value);
        return Set.copyOf(all);
    }
}
