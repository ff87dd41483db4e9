package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Debian package (issue 17): packaging/build-deb makes it, lintian finds no error, every
 * man page renders silently, the bash completion completes options and module names, and the
 * packaged umview runs an ordinary user's ext2 mount with no source tree around: extracted as
 * that user, and installed with dpkg then removed without a trace when the test runs as root.
 */
class PackageTest {
    private static final String PACKAGES = "dpkg-dev asciidoctor help2man lintian groff-base";
    private final Sandbox sandbox = Sandbox.get();
    private final Path source = Path.of(System.getProperty("umview.source", "..")).toAbsolutePath().normalize();

    private static Commands.Result sh(String script) {
        return Commands.run(List.of("sh", "-c", "PATH=$PATH:/usr/sbin:/sbin; " + script)).assertSuccess(script);
    }

    private Commands.Result asUser(String script) {
        return sandbox.nativeRun(List.of("bash", "-c", "PATH=$PATH:/usr/sbin:/sbin; " + script)).assertSuccess(script);
    }

    @Test
    void theDebianPackageInstallsAndRunsAnImageMount() {
        Sandbox.require(PACKAGES, "dpkg-deb", "asciidoctor", "help2man", "lintian", "groff", "mke2fs", "fuse2fs");
        Path dir = sandbox.work.resolve("package-" + System.nanoTime());
        asUser("mkdir -p " + dir); // the user's, for its image; what root makes below only needs reading
        sh("mkdir -p " + dir + "/out " + dir + "/root");
        String deb = sh(source.resolve("packaging/build-deb") + " " + dir + "/out").stdout().trim();
        assertTrue(deb.endsWith("_amd64.deb"), deb);

        String lintian = Commands.run(List.of("lintian", "--no-tag-display-limit", deb)).stdout();
        assertFalse(lintian.lines().anyMatch(line -> line.startsWith("E:")), lintian);

        sh("dpkg-deb -x " + deb + " " + dir + "/root && chmod -R a+rX " + dir);
        String files = sh("cd " + dir + "/root && find . -type f -o -type l | sort").stdout();
        for (String expected : List.of("./usr/bin/umview", "./usr/lib/umview/umview-shim", "./usr/lib/umview/bin/um_add_service",
                "./usr/share/umview/umview-core.jar", "./usr/share/umview/modules/umview-umfuse.jar",
                "./usr/share/man/man1/umview.1.gz", "./usr/share/man/man1/um_add_service.1.gz", "./usr/share/man/man7/umfuse.7.gz",
                "./usr/share/man/man7/umview-modules.7.gz", "./usr/share/bash-completion/completions/umview")) {
            assertTrue(files.contains(expected + "\n"), expected + " is not in the package:\n" + files);
        }
        assertFalse(files.contains("testmods"), "the test modules stay in the source tree");
        assertEquals("", sh("cd " + dir + "/root && for m in usr/share/man/man*/*.gz; do zcat $m | groff -man -ww -z 2>&1"
                + " | sed \"s|^|$m: |\"; done").stdout(), "man pages render without warnings");

        String completion = sh("bash -c '. " + dir + "/root/usr/share/bash-completion/completions/umview; complete -p umview;"
                + " COMP_WORDS=(umview --hi); COMP_CWORD=1; _complete_umview 2>/dev/null; echo \"${COMPREPLY[*]}\";"
                + " COMP_WORDS=(umview -p umf); COMP_CWORD=2; _complete_umview 2>/dev/null; echo \"${COMPREPLY[*]}\"'").stdout();
        assertEquals("complete -o default -F _complete_umview umview\n--hide\numfuse\n", completion);

        String mount = "cd " + dir + " && mke2fs -q -F -t ext2 -d " + dir + "/out img.ext2 16M && mkdir -p mnt && UMVIEW bash -c"
                + " 'mount -t umfuseext2 img.ext2 mnt && ls mnt && umount mnt; echo done'";
        String extracted = asUser(mount.replace("UMVIEW", dir + "/root/usr/bin/umview")).stdout();
        assertTrue(extracted.contains(Path.of(deb).getFileName() + "\n") && extracted.endsWith("done\n"), extracted);

        if (!"root".equals(System.getProperty("user.name"))) {
            return; // dpkg -i needs root: the extracted package ran above
        }
        sh("dpkg -i " + deb + " >/dev/null");
        try {
            asUser("rm -f " + dir + "/img.ext2");
            String installed = asUser(mount.replace("UMVIEW", "/usr/bin/umview")).stdout();
            assertTrue(installed.contains(Path.of(deb).getFileName() + "\n") && installed.endsWith("done\n"), installed);
        } finally {
            sh("dpkg -r umview >/dev/null");
        }
        assertEquals("", sh("ls -d /usr/share/umview /usr/lib/umview /usr/bin/umview /usr/share/man/man7/umfuse.7.gz"
                + " /usr/share/bash-completion/completions/umview 2>/dev/null; true").stdout(), "dpkg -r left files");
    }
}
