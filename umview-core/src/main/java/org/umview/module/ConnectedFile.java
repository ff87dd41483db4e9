package org.umview.module;

/**
 * An open file whose reads and writes the kernel carries, with no stop in the supervisor: the
 * program's descriptor is one end of a Unix {@code SOCK_SEQPACKET} connection and the module
 * holds the other, so each read(2) of the program takes one message the module sent and each
 * write(2) is one message to the module (as /dev/fuse speaks: a request per read, a reply per
 * write). poll, dup, fork, exec and close are the kernel's; fstat shows a socket. The core
 * never calls its read or write: the open's result is the socket.
 */
public interface ConnectedFile extends OpenFile {
    /**
     * The connection is made: {@code end} is the module's end (blocking, close-on-exec), the
     * module's to close. Called once, on the tracer thread: must not wait.
     */
    void connected(int end);
}
