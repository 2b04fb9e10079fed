/* Recursive Fibonacci: two calls per level, exponential call count (fib(25) makes about 250,000 calls). */
int fib(int n)
{
    if (n < 2)
    {
        return n;
    }
    return fib(n - 1) + fib(n - 2);
}
