/* The compile workload of bench/run and bench/debuggers (~50 lines). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    int key;
    struct node *left, *right;
};

static struct node *insert(struct node *t, int key)
{
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t)
            abort();
        t->key = key;
        return t;
    }
    if (key < t->key)
        t->left = insert(t->left, key);
    else if (key > t->key)
        t->right = insert(t->right, key);
    return t;
}

static int height(const struct node *t)
{
    if (!t)
        return 0;
    int l = height(t->left), r = height(t->right);
    return 1 + (l > r ? l : r);
}

static unsigned long checksum(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

int main(int argc, char **argv)
{
    struct node *root = NULL;
    unsigned long seed = argc > 1 ? checksum(argv[1]) : 42;
    for (int i = 0; i < 1000; i++) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        root = insert(root, (int)(seed >> 33) % 10000);
    }
    printf("height %d, checksum %lu\n", height(root), checksum(argc > 0 ? argv[0] : ""));
    return 0;
}
