package org.umview.trace;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The kernel release decides whether path calls go to a listener by default (6.6 brought its synchronous wake-up). */
class InterceptionTest {
    @Test
    void releasesFromSixSixOnNotify() {
        assertTrue(Interception.kernelAtLeast("6.18.44-fc-v657", 6, 6));
        assertTrue(Interception.kernelAtLeast("6.6.0", 6, 6));
        assertTrue(Interception.kernelAtLeast("7.0.1", 6, 6));
        assertFalse(Interception.kernelAtLeast("6.5.13-generic", 6, 6));
        assertFalse(Interception.kernelAtLeast("5.15.0", 6, 6));
        assertFalse(Interception.kernelAtLeast("unknown", 6, 6));
    }
}
