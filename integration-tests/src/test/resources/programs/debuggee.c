/* A program for gdb: a breakpoint in square, a backtrace through main, an exit status of 3. */
#include <stdio.h>
#include <stdlib.h>
int square(int x) { return x * x; }
int main(int argc, char **argv) {
    int v = square(argc + 6);
    printf("value %d\n", v);
    return v % 7 + 3;
}
