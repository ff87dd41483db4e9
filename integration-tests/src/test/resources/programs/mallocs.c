/* One malloc for ltrace to see. */
#include <stdlib.h>
#include <stdio.h>
int main(void) { char *p = malloc(123); p[0] = 'x'; printf("%c\n", p[0]); free(p); return 0; }
