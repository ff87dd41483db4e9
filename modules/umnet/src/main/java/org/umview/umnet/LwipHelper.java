package org.umview.umnet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.constants.platform.Errno;
import org.umview.module.ModuleException;

/**
 * The process that owns a stack's LWIPv6 and its VDE ports ({@code umnet-lwip}), and its
 * command channel: a line asked on its input, "ok [TEXT]" or "error ERRNO TEXT" answered on its
 * output (the commands are listed in umnet-lwip.c). A helper that is gone is ENETDOWN.
 */
final class LwipHelper {
    private final Process process;
    private final Writer commands;
    private final BufferedReader replies;

    /** Starts {@code program} with {@code arguments} and waits for its first answer: the stack is made. */
    LwipHelper(Path program, String... arguments) throws ModuleException {
        List<String> argv = new ArrayList<>(List.of(program.toString()));
        argv.addAll(List.of(arguments));
        try {
            process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new ModuleException(Errno.ENOENT.intValue(), "umnetlwipv6: cannot start " + program + ": " + e.getMessage());
        }
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        try {
            answer("the stack");
        } catch (ModuleException e) {
            kill();
            throw e;
        }
    }

    /** A line to the helper and what follows its "ok": it answers at once (a connection is made in the background). */
    synchronized String command(String line) throws ModuleException {
        try {
            commands.write(line + "\n");
            commands.flush();
        } catch (IOException e) {
            throw gone();
        }
        return answer(line);
    }

    private String answer(String asked) throws ModuleException {
        String reply;
        try {
            reply = replies.readLine();
        } catch (IOException e) {
            reply = null;
        }
        if (reply == null) {
            throw gone();
        }
        if (!reply.equals("ok") && !reply.startsWith("ok ")) {
            String[] words = reply.split(" ", 3);
            int errno = words.length > 1 ? Integer.parseInt(words[1]) : Errno.EIO.intValue();
            throw new ModuleException(errno, "umnetlwipv6: " + asked + ": " + (words.length > 2 ? words[2] : reply));
        }
        return reply.length() > 3 ? reply.substring(3) : "";
    }

    boolean alive() {
        return process.isAlive();
    }

    static ModuleException gone() {
        return new ModuleException(Errno.ENETDOWN.intValue(), "umnetlwipv6: the stack's process is gone");
    }

    /** The helper ends when its input does, and the stack with it. */
    void end() {
        try {
            commands.close();
        } catch (IOException e) {
            // gone already
        }
        process.destroy();
    }

    void kill() {
        process.destroyForcibly();
    }

    /** An address as the helper parses it: no scope suffix. */
    static String text(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress()).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
