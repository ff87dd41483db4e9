package org.umview.syscall;

import java.util.List;

/** One entry of an architecture's system call table: number, name and argument kinds. */
public record Syscall(int number, String name, List<ArgKind> args) {
    public Syscall {
        args = List.copyOf(args);
    }

    /** A number the table does not know: traced as syscall_NNN with all six raw arguments. */
    static Syscall unknown(int number) {
        return new Syscall(number, "syscall_" + number, List.of(ArgKind.HEX, ArgKind.HEX, ArgKind.HEX,
                ArgKind.HEX, ArgKind.HEX, ArgKind.HEX));
    }
}
