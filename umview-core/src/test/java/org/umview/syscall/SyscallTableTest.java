package org.umview.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SyscallTableTest {
    private final SyscallTable table = X86_64.INSTANCE.syscalls();

    @Test
    void knowsTheCallsGlibcUsesTodayWithTheirArguments() {
        assertEquals(257, table.number("openat"));
        assertEquals(List.of(ArgKind.DIRFD, ArgKind.PATH, ArgKind.OFLAGS, ArgKind.MODE), table.byNumber(257).args());
        assertEquals(262, table.number("newfstatat"));
        assertEquals(332, table.number("statx"));
        assertEquals(435, table.number("clone3"));
        assertEquals(439, table.number("faccessat2"));
        assertEquals(452, table.number("fchmodat2"));
        assertEquals(List.of(ArgKind.STR, ArgKind.PATH, ArgKind.STR, ArgKind.HEX, ArgKind.PTR),
                table.byNumber(table.number("mount")).args());
        assertTrue(table.size() > 360, "table has only " + table.size() + " calls");
    }

    @Test
    void unknownNumbersGetAGenericEntry() {
        Syscall unknown = table.byNumber(0x7a55);
        assertEquals("syscall_31317", unknown.name());
        assertEquals(6, unknown.args().size());
        assertEquals("syscall_-1", table.byNumber(-1).name());
    }
}
