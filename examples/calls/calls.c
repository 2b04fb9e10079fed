/*
 * A call-heavy microbenchmark: a loop making four calls per iteration to tiny functions the compiler may not
 * inline (noinline), so the cost measured is mostly call, prologue, epilogue and return. Unsigned arithmetic:
 * it wraps (no undefined behaviour for the optimizers to exploit).
 */
__attribute__((noinline)) unsigned bump(unsigned x)
{
    return x + 1;
}

__attribute__((noinline)) unsigned twice(unsigned x)
{
    return x << 1;
}

__attribute__((noinline)) unsigned mix(unsigned a, unsigned b)
{
    return (a ^ b) + (a >> 3);
}

__attribute__((noinline)) unsigned pick(unsigned a, unsigned b, unsigned c)
{
    return (c & 1) ? a : b;
}

unsigned calls(unsigned n)
{
    unsigned acc = 0;
    for (unsigned i = 0; i < n; i++)
    {
        acc = pick(mix(bump(acc), twice(i)), acc, i);
    }
    return acc;
}
