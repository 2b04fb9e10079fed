/* A tiny WASI program for later WASI work: prints a greeting, its arguments and an environment variable. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    printf("Hello from Isthmus!\n");
    for (int i = 0; i < argc; i++) {
        printf("argv[%d] = %s\n", i, argv[i]);
    }
    const char *user = getenv("USER");
    printf("USER = %s\n", user != NULL ? user : "(unset)");
    return 0;
}
