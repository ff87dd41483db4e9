package org.umview.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UmviewCommandTest {
    private static UmviewCommand parse(String... args) throws UmviewCommand.BadUsage {
        return UmviewCommand.parse(args);
    }

    @Test
    void optionsEndAtTheCommand() throws Exception {
        UmviewCommand parsed = parse("-x", "echo", "-p", "--help");
        assertTrue(parsed.noNesting);
        assertEquals(List.of("echo", "-p", "--help"), parsed.command);
        assertEquals(List.of("-x", "ls"), parse("--", "-x", "ls").command);
        assertEquals(List.of("-"), parse("-").command);
    }

    @Test
    void valuesAttachedOrNext() throws Exception {
        UmviewCommand parsed = parse("-p", "umfuse", "-pviewfs", "-p=umdev", "--preload=ummisc,opt=1", "--preload", "umnet",
                "--rc=/r", "-V", "name", "--net", "none", "true");
        assertEquals(List.of("umfuse", "viewfs", "umdev", "ummisc,opt=1", "umnet"), parsed.preload);
        assertEquals(Path.of("/r"), parsed.rcFile);
        assertEquals("name", parsed.viewName);
        assertEquals("none", parsed.net);
        assertEquals("", parse("--net=", "true").net);
        assertEquals(List.of("true"), parsed.command);
    }

    @Test
    void flagsCluster() throws Exception {
        UmviewCommand parsed = parse("-vvx", "-q", "-vpumfuse");
        assertEquals(3, parsed.verbosity);
        assertTrue(parsed.noNesting && parsed.quiet);
        assertEquals(List.of("umfuse"), parsed.preload);
    }

    @Test
    void aBareTraceTakesNoValue() throws Exception {
        UmviewCommand bare = parse("--trace", "ls");
        assertEquals("", bare.trace);
        assertEquals(List.of("ls"), bare.command);
        assertEquals("/t", parse("--trace=/t", "ls").trace);
        assertEquals(null, parse("ls").trace);
    }

    @Test
    void badUsageNamesWhatIsWrong() {
        assertEquals("unknown option '--bogus'", assertThrows(UmviewCommand.BadUsage.class, () -> parse("--bogus")).getMessage());
        assertEquals("unknown option '-Z'", assertThrows(UmviewCommand.BadUsage.class, () -> parse("-xZ")).getMessage());
        assertEquals("option '--preload' needs a value: MODULE[,OPTIONS]",
                assertThrows(UmviewCommand.BadUsage.class, () -> parse("-p")).getMessage());
        assertEquals("option '--quiet' takes no value",
                assertThrows(UmviewCommand.BadUsage.class, () -> parse("--quiet=yes")).getMessage());
    }

    @Test
    void theHelpListsEveryOptionWithinEightyColumns() {
        String help = Help.text(UmviewCommand.OPTIONS);
        for (Option option : UmviewCommand.OPTIONS) {
            assertTrue(help.contains(option.synopsis() + " ") || help.contains(option.synopsis() + "\n"), option.synopsis());
        }
        assertTrue(help.lines().allMatch(line -> line.length() <= 80), help);
    }

    /** The bash completion is written by hand: it must know the parser's options, no more, no fewer. */
    @Test
    void theCompletionKnowsEveryOption() throws IOException {
        String completion = Files.readString(Path.of("../packaging/umview.bash-completion"));
        Matcher all = Pattern.compile("_umview_options=\"([^\"]*)\"").matcher(completion);
        assertTrue(all.find(), "no _umview_options in the completion");
        assertEquals(names(option -> true), new TreeSet<>(Arrays.asList(all.group(1).split(" "))));
        Matcher valued = Pattern.compile("\n\\s*(-[^)\n]*)\\) \\(\\(i\\+\\+\\)\\)").matcher(completion);
        assertTrue(valued.find(), "no list of the options that take the next word");
        assertEquals(names(option -> option.takesValue() && !option.valueOptional()),
                new TreeSet<>(Arrays.asList(valued.group(1).split("\\|"))));
    }

    private static Set<String> names(java.util.function.Predicate<Option> which) {
        return UmviewCommand.OPTIONS.stream().filter(which)
                .flatMap(option -> option.shortName() != 0 ? java.util.stream.Stream.of("-" + option.shortName(), "--" + option.longName())
                        : java.util.stream.Stream.of("--" + option.longName()))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
