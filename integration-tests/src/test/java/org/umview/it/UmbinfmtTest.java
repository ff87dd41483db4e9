package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** umbinfmt: a view's own binfmt_misc, kernel syntax, consulted by exec. */
class UmbinfmtTest {
    private final Sandbox sandbox = Sandbox.get();

    @Test
    void magicAndExtensionEntriesRunTheirInterpreters() {
        Path dir = sandbox.work.resolve("binfmt-" + System.nanoTime());
        sandbox.nativeRun(List.of("bash", "-c", "mkdir -p " + dir + "/binfmt && cd " + dir
                + " && printf 'import sys\\nprint(\"python ran\", sys.argv[1:])\\n' > hello.py && printf 'UMVWdata\\n' > data.umv"
                + " && printf '#!/bin/sh\\necho \"args: $*\"\\n' > show && chmod +x hello.py data.umv show")).assertSuccess("setup");
        Commands.Result result = sandbox.umview("bash", "-c", "cd " + dir + " && mount -t umbinfmt none " + dir + "/binfmt || exit 9;"
                + " echo ':py:E::py::/usr/bin/python3:' > binfmt/register; echo ':umv:M:0:UMVW::" + dir + "/show:P' > binfmt/register;"
                + " ls binfmt | tr '\\n' ' '; echo; cat binfmt/umv; ./hello.py a b; ./data.umv x;"
                + " echo 0 > binfmt/py; ./hello.py 2>/dev/null; echo disabled $?; echo -1 > binfmt/status; ls binfmt | wc -l;"
                + " echo ':bad:Q:::x:' > binfmt/register; echo bad $?;"
                + " echo ':fix:E::fx::/nonexistent/interp:F' > binfmt/register 2>/dev/null; echo fix $?;"
                + " echo ':fix:E::fx::/bin/cat:FC' > binfmt/register && cat binfmt/fix | grep flags")
                .assertSuccess("binfmt");
        assertEquals("py register status umv \nenabled\ninterpreter " + dir + "/show\nflags: P\noffset 0\nmagic 554d5657\n"
                + "python ran ['a', 'b']\nargs: ./data.umv ./data.umv x\ndisabled 2\n2\nbad 1\nfix 1\nflags: COF\n", result.stdout());
        assertTrue(result.stderr().contains("Invalid argument"), result.toString());
        Commands.Result outside = sandbox.nativeRun(List.of("bash", "-c", "cd " + dir + " && ./data.umv 2>/dev/null; echo $?"));
        assertEquals("127\n", outside.stdout(), "outside the view the file is no program (bash tries it as a script)");
    }

    /** A 158-byte aarch64 Linux program that writes "hello" and exits 0, made here byte by byte. */
    private static byte[] helloAarch64() {
        int[] code = {0xd2800020, 0x100000e1, 0xd28000c2, 0xd2800808, 0xd4000001, 0xd2800000, 0xd2800ba8, 0xd4000001};
        java.nio.ByteBuffer elf = java.nio.ByteBuffer.allocate(64 + 56 + 32 + 6).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long base = 0x400000;
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1}).put(new byte[9]);
        elf.putShort((short) 2).putShort((short) 0xb7).putInt(1).putLong(base + 120).putLong(64).putLong(0).putInt(0)
                .putShort((short) 64).putShort((short) 56).putShort((short) 1).putShort((short) 64).putShort((short) 0)
                .putShort((short) 0);
        elf.putInt(1).putInt(5).putLong(0).putLong(base).putLong(base).putLong(elf.capacity()).putLong(elf.capacity())
                .putLong(0x1000);
        for (int instruction : code) {
            elf.putInt(instruction);
        }
        elf.put("hello\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return elf.array();
    }

    @Test
    void foreignBinaryRunsThroughQemu() throws Exception {
        if (Commands.run(List.of("bash", "-c", "command -v qemu-aarch64")).exitCode() != 0) {
            org.junit.jupiter.api.Assertions.fail("qemu-aarch64 is not installed (Debian package qemu-user); ./test installs it as root");
        }
        Path dir = sandbox.work.resolve("qemu-" + System.nanoTime());
        sandbox.nativeRun(List.of("mkdir", "-p", dir + "/binfmt")).assertSuccess("mkdir");
        Path program = dir.resolve("hello-arm64");
        java.nio.file.Files.write(program, helloAarch64());
        java.nio.file.Files.setPosixFilePermissions(program, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Commands.Result natively = sandbox.nativeRun(List.of("bash", "-c", program.toString()));
        assertTrue(natively.exitCode() == 126 && natively.stderr().contains("Exec format error"), "natively: " + natively);
        Commands.Result result = sandbox.umview("bash", "-c", "cd " + dir + " && mount -t umbinfmt none " + dir + "/binfmt || exit 9;"
                + " echo ':qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00"
                + ":\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff"
                + ":/usr/bin/qemu-aarch64:' > binfmt/register && ./hello-arm64 && /bin/echo native too")
                .assertSuccess("qemu through umbinfmt");
        assertEquals("hello\nnative too\n", result.stdout());
    }
}
