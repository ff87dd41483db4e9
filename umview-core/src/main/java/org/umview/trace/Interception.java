package org.umview.trace;

/**
 * How the calls that only need deciding reach the supervisor: as seccomp user notifications
 * (no ptrace stop) or as ptrace stops like every other trapped call. {@code UMVIEW_INTERCEPT}
 * (or {@code -Dumview.intercept}) chooses: {@code auto} (the default) notifies where the kernel
 * wakes a listener synchronously (Linux 6.6 and later: without that a notification costs about
 * what a stop does), {@code notify} always, {@code ptrace} never.
 */
record Interception(boolean notifies) {
    static Interception chosen() {
        String mode = System.getProperty("umview.intercept", System.getenv().getOrDefault("UMVIEW_INTERCEPT", "auto"));
        return switch (mode) {
            case "notify" -> new Interception(true);
            case "ptrace" -> new Interception(false);
            case "auto" -> new Interception(kernelAtLeast(System.getProperty("os.version", ""), 6, 6));
            default -> throw new IllegalArgumentException("UMVIEW_INTERCEPT is auto, notify or ptrace, not '" + mode + "'");
        };
    }

    static boolean kernelAtLeast(String release, int major, int minor) {
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        if (!version.find()) {
            return false;
        }
        int have = Integer.parseInt(version.group(1));
        return have > major || have == major && Integer.parseInt(version.group(2)) >= minor;
    }
}
