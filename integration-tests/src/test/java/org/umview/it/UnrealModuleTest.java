package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transparency corpus again, through {@code /unreal}: every file the scripts touch under
 * $R is served by the unreal module through virtual descriptors, and must behave as the host.
 * $R is empty natively and /unreal in the view; $W is a work directory of the test user.
 */
class UnrealModuleTest {
    private final Sandbox sandbox = Sandbox.get();

    static String[] scripts() {
        return new String[] {
        "cat $R/etc/hostname; head -c 300 $R/etc/passwd | sha256sum",
        "find $R/usr/include/linux -name '*.h' | sed \"s#^$R/#/#\" | sort | sha256sum",
        "cd $R/usr/include && find . -maxdepth 2 | sort | head -500 | sha256sum",
        "sha256sum $R/usr/bin/bash $R/usr/share/common-licenses/GPL-3 | sed \"s#$R/#/#\"",
        "ls -la $R/usr/share/common-licenses | tail -n +2; ls -ld $R/usr | cut -d' ' -f1,2",
        "tar cf - -C $R/usr/share/doc bash | tar tvf - | sort | sha256sum",
        "cd $R$W && seq 1 300 > n.txt && sort -rn n.txt | head -3 && wc -l < n.txt && echo tail >> n.txt && tail -1 n.txt && rm n.txt && ls n.txt 2>&1 | sed \"s#$R/#/#\"",
        "cd $R$W && mkdir -p d/e && touch d/e/f && mv d/e/f d/g && ls d && rm -r d && ls -d d 2>&1 | sed \"s#$R/#/#\"",
        "cd $R$W && pwd | sed \"s#^$R/#/#\" && cd .. && pwd | sed \"s#^$R/#/#\"",
        "$R/usr/bin/env echo exec of a binary; printf '#!/bin/sh\\necho script $1\\n' > $R$W/s.sh; chmod +x $R$W/s.sh; $R$W/s.sh ran; rm $R$W/s.sh",
        "python3 -c \"import mmap; f = open('$R/etc/passwd', 'rb'); m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ); print(m[:5], len(m) == len(open('/etc/passwd', 'rb').read()))\"",
        "python3 -c \"import select; f = open('$R/etc/passwd'); r, w, x = select.select([f], [], [], 1); print(len(r)); print(f.readline().split(':')[0])\"",
        "cd $R$W && printf 'int main(void){return 42;}\\n' > m.c && printf 'm: m.c\\n\\tgcc -o m m.c\\n' > Makefile && make -s && ./m; echo status $?; rm -f m m.c Makefile",
        "exec 3< $R/etc/passwd; read -r line <&3; echo ${line%%:*}; exec 4<&3; read -r l2 <&4; exec 3<&- 4<&-; echo ${l2%%:*}",
        "df $R/usr > /dev/null && echo df ok; stat -c '%s %F %a' $R/etc/passwd $R/usr",
        "cp $R/usr/bin/bash $W/b && cmp $W/b /usr/bin/bash && echo copy_file_range ok; rm $W/b; cat $R/etc/passwd | sha256sum",
        "python3 -c \"import os; i = os.open('$R/etc/passwd', os.O_RDONLY); o = os.open('$W/s', os.O_WRONLY | os.O_CREAT, 0o600); print(os.sendfile(o, i, None, 100), os.sendfile(o, i, 10, 5), os.lseek(i, 0, 1)); os.close(o); print(open('$W/s').read() == open('/etc/passwd').read()[:100] + open('/etc/passwd').read()[10:15]); os.unlink('$W/s')\"",
        "cp /usr/bin/bash $R$W/b && cmp $R$W/b /usr/bin/bash && echo copy_file_range into ok; python3 -c \"import os; i = os.open('/etc/passwd', os.O_RDONLY); o = os.open('$R$W/s', os.O_WRONLY | os.O_CREAT, 0o600); print(os.sendfile(o, i, None, 100), os.sendfile(o, i, 10, 5), os.lseek(i, 0, 1), os.copy_file_range(i, o, 7)); os.close(o); d = open('/etc/passwd').read(); print(open('$W/s').read() == d[:100] + d[10:15] + d[100:107])\"; rm $R$W/b $R$W/s",
        "exec 5< $R/etc/hostname; sleep 1 & readlink /proc/$!/fd/5 | sed \"s#^$R/#/#\"; (cd $R/usr && exec sleep 1) & sleep 0.3; readlink /proc/$!/cwd | sed \"s#^$R/#/#\"; wait",
        "python3 $P/shared_map.py $R$W/mapped && head -c 5 $W/mapped && rm $R$W/mapped",
        "mkdir $R$W/edges && python3 $P/shared_map_edges.py $R$W/edges | head -c 400; rm -r $R$W/edges",
        "exec 3< $R/etc/hostname; readlink /proc/self/fd/3 | sed \"s#^$R/#/#\"; cat /proc/self/fd/3; cd $R/usr && readlink /proc/self/cwd | sed \"s#^$R/#/#\"",
        };
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void scriptBehavesAsOnTheHost(String script) {
        check(script, "rw", "notify");
    }

    /** The same with every path call a ptrace stop, as on kernels before 6.6. */
    @ParameterizedTest
    @MethodSource("scripts")
    void scriptBehavesAsOnTheHostWithPtraceOnly(String script) {
        check(script, "rw", "ptrace");
    }

    /** The same with every module answer worked out off the tracer thread, as FUSE will need. */
    @ParameterizedTest
    @MethodSource("scripts")
    void scriptBehavesAsOnTheHostWithAnswersFromAnotherThread(String script) {
        check(script, "async", "notify");
    }

    private void check(String script, String options, String intercept) {
        sandbox.resource("shared_map_edges.py");
        String programs = "P=" + sandbox.resource("shared_map.py").getParent();
        Commands.Result expected = sandbox.nativeRun(List.of("env", "R=", "W=" + sandbox.work, programs, "bash", "-c", script));
        Commands.Result actual = sandbox.umviewIntercepting(intercept, List.of("-p", "unreal", "/usr/bin/python3",
                sandbox.resource("mount_then.py").toString(), "unreal", "none", "/unreal", options, "--",
                "env", "R=/unreal", "W=" + sandbox.work, programs, "bash", "-c", script));
        assertFalse(expected.stdout().isEmpty(), "the native run printed nothing: " + expected);
        assertEquals(expected.stdout(), actual.stdout(), "stdout differs for: " + script + "\n" + actual);
        assertEquals(expected.exitCode(), actual.exitCode(), "status differs for: " + script + "\n" + actual);
    }
}
