package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A traced program's bad pointers get EFAULT from the supervisor, never a crash or a hang. */
class HostileInputTest {
    private final Sandbox sandbox = Sandbox.get();

    @Test
    void badPointersToServedCallsGetEfault() {
        String program = sandbox.compile("bad_pointers").toString();
        Commands.Result result = sandbox.umview(List.of("-p", "unreal", "/usr/bin/python3",
                sandbox.resource("mount_then.py").toString(), "unreal", "none", "/unreal", "--", program, "/unreal"));
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("open: EFAULT\nstat buffer: EFAULT\nreadlink buffer: EFAULT\nread buffer: EFAULT\n"
                + "fstat buffer: EFAULT\nmount target: EFAULT\ngetdents64 buffer: EFAULT\nstill serving: 16\n", result.stdout());
    }

    @Test
    void passingAVirtualDescriptorOverASocketIsRefused() {
        Commands.Result result = sandbox.umview(List.of("-p", "unreal", "/usr/bin/python3",
                sandbox.resource("mount_then.py").toString(), "unreal", "none", "/unreal", "--",
                "/usr/bin/python3", sandbox.resource("pass_fds.py").toString()));
        assertEquals("real 1\nvirtual refused ENOTSUP\n", result.stdout(), result.toString());
        assertTrue(result.stderr().contains("passing a virtual descriptor over a Unix socket is not supported"), result.stderr());
    }
}
