/*
 * Deep recursion: one frame per level down to depth n, then unwinding. The result is combined with a shift and an
 * add so that neither compiler can turn the recursion into a loop (their tail-recursion elimination keeps an
 * accumulator only for results of the form a + m * deep(n - 1); gcc turned "deep(n - 1) * 31 + n" into a loop).
 */
int deep(int n)
{
    if (n == 0)
    {
        return 0;
    }
    return (deep(n - 1) >> 1) + n;
}
