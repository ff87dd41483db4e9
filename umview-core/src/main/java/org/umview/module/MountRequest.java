package org.umview.module;

/** A mount(2) as the module sees it: the target is the canonical path in the view. */
public record MountRequest(String source, String target, String type, long flags, String options, MountCaller caller) {
    /** MS_RDONLY */
    public static final long READ_ONLY = 1;

    /** The value of {@code key=value} in the comma-separated options, or null. */
    public String option(String key) {
        if (options == null) {
            return null;
        }
        for (String option : options.split(",")) {
            if (option.startsWith(key + "=")) {
                return option.substring(key.length() + 1);
            }
        }
        return null;
    }
}
