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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jnr.constants.platform.Errno;
import org.umview.module.ModuleException;

/**
 * The process that owns a stack's LWIPv6 and its VDE ports ({@code umnet-lwip}), and its
 * command channel: a line asked on its input, "ok [TEXT]" or "error ERRNO TEXT" answered on its
 * output (the commands are listed in umnet-lwip.c), where the outcomes of TCP connections come
 * too, read by a thread of their own. A helper that is gone is ENETDOWN.
 */
final class LwipHelper {
    /** How long Linux tries a TCP connection nobody answers (6 SYN retries, tcp_syn_retries's default). */
    private static final long CONNECT_SECONDS = 127;
    private final Process process;
    private final Writer commands;
    private final BufferedReader output;
    /** The answers, in order; an empty one once the helper's output has ended. */
    private final BlockingQueue<Optional<String>> replies = new LinkedBlockingQueue<>();
    /** The connections asked for, by name (hex), until their outcome comes. */
    private final Map<String, CompletableFuture<Void>> connecting = new ConcurrentHashMap<>();

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
        output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        Thread reader = new Thread(this::read, "umnetlwipv6-helper-output");
        reader.setDaemon(true);
        reader.start();
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

    /**
     * Asks for a TCP connection to {@code destination}, carried from the Unix listener named
     * {@code hex} that the program is then connected to: made when LWIPv6's connection is, or
     * failed with the errno LWIPv6 gave.
     */
    CompletableFuture<Void> connect(String hex, String destination, int port) throws ModuleException {
        CompletableFuture<Void> made = new CompletableFuture<>();
        // LWIPv6 may try for ever where nobody answers (no ARP reply): ETIMEDOUT when Linux's SYNs would give up.
        CompletableFuture.delayedExecutor(CONNECT_SECONDS, TimeUnit.SECONDS).execute(() -> {
            connecting.remove(hex, made);
            made.completeExceptionally(new ModuleException(Errno.ETIMEDOUT.intValue(), "umnetlwipv6: connect: no answer"));
        });
        connecting.put(hex, made);
        try {
            command("connect " + hex + " " + destination + " " + port);
        } catch (ModuleException e) {
            connecting.remove(hex);
            throw e;
        }
        return made;
    }

    private void read() {
        try {
            for (String line; (line = output.readLine()) != null;) {
                String[] words = line.split(" ");
                if (words[0].equals("connected") && words.length == 3) {
                    CompletableFuture<Void> made = connecting.remove(words[1]);
                    int errno = Integer.parseInt(words[2]);
                    if (made != null && errno == 0) {
                        made.complete(null);
                    } else if (made != null) {
                        made.completeExceptionally(new ModuleException(errno, "umnetlwipv6: connect: errno " + errno));
                    }
                } else {
                    replies.add(Optional.of(line));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the helper is gone, or says what it should not: it is treated as gone
        }
        connecting.values().forEach(made -> made.completeExceptionally(gone()));
        replies.add(Optional.empty());
    }

    private String answer(String asked) throws ModuleException {
        Optional<String> answer;
        try {
            answer = replies.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw gone();
        }
        if (answer.isEmpty()) {
            replies.add(answer); // for the next command too
            throw gone();
        }
        String reply = answer.get();
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
