package org.umview.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands of SPEC §4 inside a view, and their refusal outside one. */
class InViewCommandsTest {
    private final Sandbox sandbox = Sandbox.get();

    private String mount(String type, String target) {
        return "/usr/bin/python3 " + sandbox.resource("mount_then.py") + " " + type + " none " + target + " -- ";
    }

    @ParameterizedTest
    @ValueSource(strings = {"um_add_service", "um_del_service", "um_ls_service", "um_fsalias", "vuname", "viewname", "umshutdown"})
    void outsideAViewEachCommandSaysSo(String command) {
        Commands.Result result = sandbox.nativeRun(List.of(sandbox.root.resolve("um-tools/target/bin").resolve(command).toString()));
        assertEquals(1, result.exitCode(), result.toString());
        assertEquals(command + ": not running inside umview\n", result.stderr());
    }

    /** Issue 17, item 1 (part): every in-view command answers --help and --version, in a view and outside one. */
    @Test
    void everyCommandAnswersHelpAndVersion() {
        List<String> commands = List.of("um_add_service", "um_del_service", "um_ls_service", "um_fsalias", "vuname", "viewname",
                "umshutdown", "viewsu", "viewsudo", "mstack");
        StringBuilder script = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (String command : commands) {
            String tool = sandbox.root.resolve("um-tools/target/bin/" + command).toString();
            String help = sandbox.nativeRun(List.of(tool, "--help")).assertSuccess(command + " --help outside a view").stdout();
            assertTrue(help.startsWith("usage: " + command) && help.contains("Example: " + command), help);
            String version = sandbox.nativeRun(List.of(tool, "--version")).assertSuccess(command + " --version").stdout();
            assertTrue(version.startsWith(command + " (umview) "), version);
            script.append(command).append(" --help && ").append(command).append(" --version; ");
            expected.append(help).append(version);
        }
        assertEquals(expected.toString(), sandbox.umview("bash", "-c", script.toString()).assertSuccess("in a view").stdout());
    }

    /** Issue 17, item 1: a wrong option is named, with the usage, and exits 2; nothing is done. */
    @Test
    void aWrongOptionIsNamedWithTheUsage() {
        String script = "for c in 'um_add_service --bogus' 'um_add_service -p -x unreal' 'um_del_service -x' 'um_ls_service -l'"
                + " 'um_fsalias -z' 'umshutdown --now' 'vuname -Z' 'mstack --bad'; do $c; echo \"$c: $?\"; done 2>&1; um_ls_service";
        String view = sandbox.umview("bash", "-c", script).assertSuccess("wrong options").stdout();
        assertEquals("um_add_service: unknown option --bogus\nusage: um_add_service [-p] MODULE[,OPTIONS]\num_add_service --bogus: 2\n"
                + "um_add_service: unknown option -x\nusage: um_add_service [-p] MODULE[,OPTIONS]\num_add_service -p -x unreal: 2\n"
                + "um_del_service: unknown option -x\nusage: um_del_service MODULE\num_del_service -x: 2\n"
                + "um_ls_service: unknown option -l\nusage: um_ls_service \num_ls_service -l: 2\n"
                + "um_fsalias: unknown option -z\nusage: um_fsalias ALIAS [FSTYPE]\num_fsalias -z: 2\n"
                + "umshutdown: unknown option --now\nusage: umshutdown [SECONDS]\numshutdown --now: 2\n"
                + "usage: vuname [-asnrvmpioUVNxq]\nvuname -Z: 2\n"
                + "usage: mstack [-o ipv4,ipv6,packet,netlink|all] STACK COMMAND [ARG...]\nmstack --bad: 2\n"
                + "no module is loaded in this view (um_add_service MODULE loads one)\n", view);
    }

    @Test
    void commandsComeFirstOnPath() {
        Commands.Result result = sandbox.umview("bash", "-c", "command -v um_ls_service vuname").assertSuccess("command -v");
        String tools = sandbox.root.resolve("um-tools/target/bin").toString();
        assertEquals(tools + "/um_ls_service\n" + tools + "/vuname\n", result.stdout());
    }

    @Test
    void viewNameIsShownAndSet() {
        Commands.Result result = sandbox.umview("-V", "first", "sh", "-c",
                "vuname -N; viewname; viewname second; vuname -N; viewname -p; echo").assertSuccess("viewname");
        assertEquals("first\nfirst\nsecond\nsecond\n", result.stdout());
        Commands.Result uname = sandbox.umview("sh", "-c", "vuname -s -r -m; uname -s -r -m").assertSuccess("vuname");
        String[] lines = uname.stdout().split("\n");
        assertEquals(lines[1], lines[0]);
    }

    @Test
    void modulesLoadedAtRunTimeServeProcessesAlreadyRunning() {
        // The shell runs before the module is loaded; its later children must see the mount.
        String script = "um_ls_service; um_add_service unreal && um_ls_service | cut -d: -f1; "
                + mount("unreal", "/unreal") + "true; cat /unreal/etc/hostname; (cat /unreal/etc/hostname)";
        Commands.Result result = sandbox.umview("bash", "-c", script).assertSuccess("um_add_service");
        String hostname = sandbox.nativeRun(List.of("cat", "/etc/hostname")).stdout();
        assertEquals("no module is loaded in this view (um_add_service MODULE loads one)\nmodule\nunreal\n" + hostname + hostname,
                result.stdout());
    }

    @Test
    void unloadingIsRefusedWhileMounted() {
        String script = "um_add_service unreal; " + mount("unreal", "/unreal")
                + "sh -c 'um_del_service unreal; echo refused $?; "
                + "python3 -c \"import ctypes; ctypes.CDLL(None).umount2(b\\\"/unreal\\\", 0)\"; um_del_service unreal; echo unloaded $?'";
        Commands.Result result = sandbox.umview("bash", "-c", script);
        assertTrue(result.stderr().contains("um_del_service: module 'unreal' is in use: mounted on /unreal"), result.toString());
        assertTrue(result.stdout().contains("refused 1\nunloaded 0\n"), result.toString());
    }

    @Test
    void unknownModulesAreNamedInTheError() {
        Commands.Result result = sandbox.umview("sh", "-c", "um_add_service nosuchmodule; echo status $?");
        assertEquals("status 1\n", result.stdout());
        assertTrue(result.stderr().contains("unknown module 'nosuchmodule'"), result.stderr());
    }

    @Test
    void fileSystemAliasesPickTheModule() {
        String script = "um_add_service unreal; um_fsalias myfs unreal; um_ls_service | grep 'alias myfs'; "
                + mount("myfs", "/aliased") + "cat /aliased/etc/hostname";
        Commands.Result result = sandbox.umview("bash", "-c", script).assertSuccess("um_fsalias");
        assertEquals("alias myfs -> unreal\n" + sandbox.nativeRun(List.of("cat", "/etc/hostname")).stdout(), result.stdout());
    }

    @Test
    void umshutdownEndsTheView() {
        Commands.Result result = sandbox.umview("bash", "-c", "sleep 100 & sleep 100 & umshutdown 2; wait; echo never");
        assertEquals(143, result.exitCode(), result.toString());
        assertEquals("", result.stdout());
    }
}
