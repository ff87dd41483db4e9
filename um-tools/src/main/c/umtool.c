/*
 * The commands used inside a view, in one small binary chosen by its name (argv[0]):
 * um_add_service, um_del_service, um_ls_service, um_fsalias, vuname, viewname, umshutdown, mstack, and
 * umview itself: run inside a view, it splits the view instead of starting a second tracer.
 * They talk to the supervisor through a virtual system call, so they start in a millisecond;
 * outside a view the kernel answers ENOSYS and they say so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define UMVIEW_CONTROL 0x7a55
enum { OP_PROBE, OP_ADD_SERVICE, OP_DEL_SERVICE, OP_LS_SERVICE, OP_FSALIAS, OP_VIEW_INFO, OP_SET_VIEW_NAME, OP_SHUTDOWN,
       OP_SPLIT_VIEW, OP_SET_IDENTITY, OP_LISTENER, OP_SET_STACK };
#define ADD_PERMANENT 1

#ifndef UMVIEW_VERSION
#define UMVIEW_VERSION "unknown"
#endif

static char reply[65536];

/* What --help prints for each command: its usage, what it does and its options, an example. */
static const struct help {
    const char *name, *usage, *text, *example;
} helps[] = {
    { "um_add_service", "[-p] MODULE[,OPTIONS]", "Load MODULE into the running view.\n  -p  permanent: it cannot be unloaded", "um_add_service umfuse" },
    { "um_del_service", "MODULE", "Unload MODULE; refused while it is in use (mounted, open files).", "um_del_service umfuse" },
    { "um_ls_service", "", "List the loaded modules: name, description, what they claim; the file system type aliases.", "um_ls_service" },
    { "um_fsalias", "ALIAS [FSTYPE]", "Make ALIAS a file system type that means FSTYPE; without FSTYPE, delete ALIAS.", "um_fsalias ext2 umfuseext2" },
    { "vuname", "[-a -s -n -r -v -m -p -i -o -U -V -N -x -q]", "uname(1) plus the view's information.\n  -U  the server id (umview's pid)\n  -V  the view id\n  -N  the view name\n  -x  all of uname -a and the view's\n  -q  exit 0 inside a view, 1 outside, printing nothing", "vuname -a" },
    { "viewname", "[-p] [-q] [NAME]", "Show the view's name, or set it to NAME.\n  -p  as a prompt string\n  -q  print nothing", "viewname build" },
    { "umshutdown", "[SECONDS]", "TERM every process of this view and its sub-views, KILL those left after SECONDS (30).", "umshutdown 5" },
    { "viewsu", "[-c COMMAND] [USER]", "Become USER (root by default) inside the view, with ummisc's uid virtualization.\n  -c COMMAND  run COMMAND instead of USER's shell", "viewsu -c id" },
    { "viewsudo", "[-u USER] [-g GROUP] COMMAND [ARG...]", "Run COMMAND as USER (root) and GROUP inside the view.\n  -u USER   the user\n  -g GROUP  the group", "viewsudo -u nobody id" },
    { "mstack", "[-o PROTOCOLS] STACK COMMAND [ARG...]", "Run COMMAND, and what it starts, with STACK (a mounted umnet stack, mount -t umnetnull none /dev/net/NAME) as its default network stack.\n  -o PROTOCOLS  ipv4,ipv6,packet,netlink or all (the default)", "mstack /dev/net/null curl http://127.0.0.1:8000/" },
    { "umview", "[OPTIONS] [--] [COMMAND [ARG...]]", "Inside a view: split it; the new sub-view sees every mount made so far, and mounts made later in either are invisible to the other.\n  -V, --viewname NAME   name the sub-view\n  -p, --preload MODULE  load MODULE first", "umview -V inner bash" },
};

/* --help and --version, inside a view or not; 1 if argv asked for either. */
static int help_or_version(const char *name, int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], "--help") && strcmp(argv[1], "-h") && strcmp(argv[1], "--version")))
        return 0;
    if (strcmp(argv[1], "--version") == 0) {
        printf("%s (umview) %s\n", name, UMVIEW_VERSION);
        return 1;
    }
    for (unsigned i = 0; i < sizeof helps / sizeof helps[0]; i++) {
        if (strcmp(helps[i].name, name) == 0) {
            printf("usage: %s %s\n%s\n\nExit status: 0 on success, 1 when it fails (or outside a view), 2 for bad usage.\n"
                   "Example: %s\n", name, helps[i].usage, helps[i].text, helps[i].example);
            return 1;
        }
    }
    return 0;
}

/* One request: op, an input string, flags; the supervisor's text answer lands in reply. */
static long control(long op, const char *in, long flags)
{
    reply[0] = '\0';
    return syscall(UMVIEW_CONTROL, op, in, flags, reply, sizeof reply);
}

static void require_view(const char *name)
{
    if (syscall(UMVIEW_CONTROL, OP_PROBE, 0, 0, 0, 0) < 0) {
        fprintf(stderr, "%s: not running inside umview\n", name);
        exit(1);
    }
}

static int report(const char *name, long result)
{
    if (result < 0) {
        int saved = errno;
        fprintf(stderr, "%s: %s\n", name, reply[0] ? reply : strerror(saved));
        return 1;
    }
    fputs(reply, stdout);
    return 0;
}

static int usage(const char *name, const char *text)
{
    fprintf(stderr, "usage: %s %s\n", name, text);
    return 2;
}

/* A word from argv[first] on that looks like an option (-x, --x) and is none of the command's: said, with the usage. */
static int unknown_option(const char *name, int argc, char **argv, int first, const char *text)
{
    for (int i = first; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "%s: unknown option %s\n", name, argv[i]);
            return usage(name, text);
        }
    }
    return 0;
}

static int add_service(const char *name, int argc, char **argv)
{
    long flags = 0;
    int i = 1;
    if (i < argc && strcmp(argv[i], "-p") == 0) {
        flags |= ADD_PERMANENT;
        i++;
    }
    if (unknown_option(name, argc, argv, i, "[-p] MODULE[,OPTIONS]"))
        return 2;
    if (i != argc - 1)
        return usage(name, "[-p] MODULE[,OPTIONS]");
    return report(name, control(OP_ADD_SERVICE, argv[i], flags));
}

/* vuname: uname(1) plus the view's server id (-U), view id (-V) and name (-N). */
static int vuname(const char *name, int argc, char **argv)
{
    struct utsname u;
    uname(&u);
    control(OP_VIEW_INFO, NULL, 0);
    char *server = strtok(reply, "\n"), *view = strtok(NULL, "\n"), *vname = strtok(NULL, "\n");
    const char *fields[11] = { 0 };
    int count = 0, quiet = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-')
            return usage(name, "[-asnrvmpioUVNxq]");
        for (char *c = argv[i] + 1; *c; c++) {
            switch (*c) {
            case 'a':
                fields[0] = u.sysname, fields[1] = u.nodename, fields[2] = u.release, fields[3] = u.version;
                fields[4] = u.machine, fields[7] = "GNU/Linux";
                count = 1;
                break;
            case 's': fields[0] = u.sysname, count = 1; break;
            case 'n': fields[1] = u.nodename, count = 1; break;
            case 'r': fields[2] = u.release, count = 1; break;
            case 'v': fields[3] = u.version, count = 1; break;
            case 'm': fields[4] = u.machine, count = 1; break;
            case 'p': fields[5] = "unknown", count = 1; break;
            case 'i': fields[6] = "unknown", count = 1; break;
            case 'o': fields[7] = "GNU/Linux", count = 1; break;
            case 'U': fields[8] = server ? server : "", count = 1; break;
            case 'V': fields[9] = view ? view : "", count = 1; break;
            case 'N': fields[10] = vname ? vname : "", count = 1; break;
            case 'x': fields[8] = server ? server : "", fields[9] = view ? view : "", fields[10] = vname ? vname : "", count = 1; break;
            case 'q': quiet = 1; break;
            default: return usage(name, "[-asnrvmpioUVNxq]");
            }
        }
    }
    if (!count)
        fields[0] = u.sysname;
    const char *sep = "";
    for (int i = 0; i < 11; i++) {
        if (fields[i] && (!quiet || i >= 8)) {
            printf("%s%s", sep, fields[i]);
            sep = " ";
        }
    }
    printf("\n");
    return 0;
}

static int viewname(const char *name, int argc, char **argv)
{
    int prompt = 0, quiet = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-p") == 0)
            prompt = 1;
        else if (strcmp(argv[i], "-q") == 0)
            quiet = 1;
        else
            return usage(name, "[-p] [-q] [NAME]");
    }
    if (i < argc) {
        if (i != argc - 1)
            return usage(name, "[-p] [-q] [NAME]");
        long result = control(OP_SET_VIEW_NAME, argv[i], 0);
        return quiet && result >= 0 ? 0 : report(name, result);
    }
    control(OP_VIEW_INFO, NULL, 0);
    strtok(reply, "\n");
    strtok(NULL, "\n");
    char *vname = strtok(NULL, "\n");
    if (prompt)
        printf("%s", vname ? vname : "");
    else if (!quiet)
        printf("%s\n", vname ? vname : "");
    return 0;
}

/*
 * An option a split of the view cannot do (--trace, --hide, -x...): a second supervisor, run
 * by the launcher that started this view, inside it. The view's supervisor stays the kernel's
 * tracer; the second one sees ptrace emulated, and its view is within this one.
 */
static int nested_supervisor(const char *name, char **argv)
{
    const char *launcher = getenv("UMVIEW_LAUNCHER");
    if (!launcher || !*launcher) {
        fprintf(stderr, "%s: inside a view only -V NAME and -p MODULE are understood without UMVIEW_LAUNCHER\n", name);
        return 125;
    }
    setenv("UMVIEW_NESTED_SUPERVISOR", "1", 1);
    execv(launcher, argv);
    fprintf(stderr, "%s: %s: %s\n", name, launcher, strerror(errno));
    return 126;
}

/* umview [-V NAME] [-p MODULE]... [--] [COMMAND [ARG...]] inside a view: a sub-view. */
static int nested_umview(const char *name, int argc, char **argv)
{
    const char *view_name = "";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if ((strcmp(argv[i], "-V") == 0 || strcmp(argv[i], "--viewname") == 0) && i + 1 < argc) {
            view_name = argv[++i];
        } else if ((strcmp(argv[i], "-p") == 0 || strcmp(argv[i], "--preload") == 0) && i + 1 < argc) {
            if (control(OP_ADD_SERVICE, argv[++i], 0) < 0) {
                fprintf(stderr, "%s: %s\n", name, reply[0] ? reply : strerror(errno));
                return 125;
            }
        } else {
            return nested_supervisor(name, argv);
        }
    }
    if (control(OP_SPLIT_VIEW, view_name, 0) < 0) {
        fprintf(stderr, "%s: %s\n", name, reply[0] ? reply : strerror(errno));
        return 125;
    }
    char *shell[] = { getenv("SHELL") && *getenv("SHELL") ? getenv("SHELL") : "/bin/sh", NULL };
    char **command = i < argc ? argv + i : shell;
    execvp(command[0], command);
    int saved = errno;
    fprintf(stderr, "%s: %s: %s\n", name, command[0], saved == ENOENT ? "command not found" : strerror(saved));
    return saved == ENOENT ? 127 : 126;
}

/* Tells the supervisor who this process (and what it runs) is, then runs argv (or a shell). */
static int become(const char *name, const char *user, const char *group, char **command, const char *shell_command)
{
    require_view(name);
    struct passwd *pw = getpwnam(user);
    if (!pw) {
        fprintf(stderr, "%s: unknown user %s\n", name, user);
        return 1;
    }
    gid_t gid = pw->pw_gid;
    if (group) {
        struct group *gr = getgrnam(group);
        if (!gr) {
            fprintf(stderr, "%s: unknown group %s\n", name, group);
            return 1;
        }
        gid = gr->gr_gid;
    }
    char ids[64];
    snprintf(ids, sizeof ids, "%u %u", (unsigned)pw->pw_uid, (unsigned)gid);
    if (control(OP_SET_IDENTITY, ids, 0) < 0)
        return report(name, -1);
    setenv("USER", pw->pw_name, 1);
    setenv("LOGNAME", pw->pw_name, 1);
    setenv("HOME", pw->pw_dir, 1);
    if (command) {
        execvp(command[0], command);
        fprintf(stderr, "%s: %s: %s\n", name, command[0], strerror(errno));
        return errno == ENOENT ? 127 : 126;
    }
    const char *shell = pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh";
    if (shell_command)
        execl(shell, shell, "-c", shell_command, (char *)NULL);
    else
        execl(shell, shell, (char *)NULL);
    fprintf(stderr, "%s: %s: %s\n", name, shell, strerror(errno));
    return 126;
}

/* viewsu [-c CMD] [USER] */
static int viewsu(const char *name, int argc, char **argv)
{
    const char *user = "root", *command = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
            command = argv[++i];
        else if (argv[i][0] == '-')
            return usage(name, "[-c COMMAND] [USER]");
        else
            user = argv[i];
    }
    return become(name, user, NULL, NULL, command);
}

/* viewsudo [-u USER] [-g GROUP] COMMAND [ARG...] */
static int viewsudo(const char *name, int argc, char **argv)
{
    const char *user = "root", *group = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-u") == 0 && i + 1 < argc)
            user = argv[++i];
        else if (strcmp(argv[i], "-g") == 0 && i + 1 < argc)
            group = argv[++i];
        else
            return usage(name, "[-u USER] [-g GROUP] COMMAND [ARG...]");
    }
    if (i == argc)
        return usage(name, "[-u USER] [-g GROUP] COMMAND [ARG...]");
    return become(name, user, group, argv + i, NULL);
}

/* mstack [-o PROTOCOLS] STACK COMMAND [ARG...]: COMMAND makes its sockets in STACK. */
static int mstack(const char *name, int argc, char **argv)
{
    const char *protocols = "all";
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "-o") == 0) {
        protocols = argv[i + 1];
        i += 2;
    }
    if (argc - i < 2 || argv[i][0] == '-')
        return usage(name, "[-o ipv4,ipv6,packet,netlink|all] STACK COMMAND [ARG...]");
    char request[8192], cwd[4096];
    if (argv[i][0] == '/')
        snprintf(request, sizeof request, "%s\n%s", argv[i], protocols);
    else if (getcwd(cwd, sizeof cwd))
        snprintf(request, sizeof request, "%s/%s\n%s", cwd, argv[i], protocols);
    else {
        fprintf(stderr, "%s: cannot tell the working directory: %s\n", name, strerror(errno));
        return 1;
    }
    if (control(OP_SET_STACK, request, 0) < 0)
        return report(name, -1);
    execvp(argv[i + 1], argv + i + 1);
    fprintf(stderr, "%s: %s: %s\n", name, argv[i + 1], strerror(errno));
    return errno == ENOENT ? 127 : 126;
}

int main(int argc, char **argv)
{
    const char *name = basename(argv[0]);
    if (strcmp(name, "umview") != 0 && help_or_version(name, argc, argv))
        return 0;
    require_view(name);
    if (strcmp(name, "umview") == 0)
        return nested_umview(name, argc, argv);
    if (strcmp(name, "um_add_service") == 0)
        return add_service(name, argc, argv);
    if (strcmp(name, "um_del_service") == 0) {
        if (unknown_option(name, argc, argv, 1, "MODULE"))
            return 2;
        return argc == 2 ? report(name, control(OP_DEL_SERVICE, argv[1], 0)) : usage(name, "MODULE");
    }
    if (strcmp(name, "um_ls_service") == 0) {
        if (unknown_option(name, argc, argv, 1, ""))
            return 2;
        return argc == 1 ? report(name, control(OP_LS_SERVICE, NULL, 0)) : usage(name, "");
    }
    if (strcmp(name, "um_fsalias") == 0) {
        if (unknown_option(name, argc, argv, 1, "ALIAS [FSTYPE]"))
            return 2;
        if (argc < 2 || argc > 3)
            return usage(name, "ALIAS [FSTYPE]");
        char request[512];
        snprintf(request, sizeof request, "%s %s", argv[1], argc == 3 ? argv[2] : "");
        return report(name, control(OP_FSALIAS, request, 0));
    }
    if (strcmp(name, "viewsu") == 0)
        return viewsu(name, argc, argv);
    if (strcmp(name, "viewsudo") == 0)
        return viewsudo(name, argc, argv);
    if (strcmp(name, "mstack") == 0)
        return mstack(name, argc, argv);
    if (strcmp(name, "vuname") == 0)
        return vuname(name, argc, argv);
    if (strcmp(name, "viewname") == 0)
        return viewname(name, argc, argv);
    if (strcmp(name, "umshutdown") == 0 && unknown_option(name, argc, argv, 1, "[SECONDS]"))
        return 2;
    if (strcmp(name, "umshutdown") == 0)
        return argc <= 2 ? report(name, control(OP_SHUTDOWN, argc == 2 ? argv[1] : "30", 0)) : usage(name, "[SECONDS]");
    fprintf(stderr, "umtool: unknown command name %s\n", name);
    return 2;
}
