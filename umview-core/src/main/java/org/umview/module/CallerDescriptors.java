package org.umview.module;

/** The descriptors of the process making a call, as a module serving the call may take one over. */
@FunctionalInterface
public interface CallerDescriptors {
    /** The open file behind the caller's descriptor {@code fd}, kept until the module closes it; EBADF if none. */
    HeldFile hold(int fd) throws ModuleException;
}
