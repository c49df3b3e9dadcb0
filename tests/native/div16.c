/*
 * The one libgcc routine the 16-bit build of the native test needs
 * (ops.h divides int64 by int32): libgcc's is 32-bit code. Shift and
 * subtract, no 64-bit division (which would call this again).
 */
long long __divdi3(long long a, long long b);

static unsigned long long udiv64(unsigned long long n, unsigned long long d)
{
    unsigned long long q = 0, r = 0;
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= 1ull << i;
        }
    }
    return q;
}

long long __divdi3(long long a, long long b)
{
    unsigned long long ua = a < 0 ? -(unsigned long long)a : (unsigned long long)a;
    unsigned long long ub = b < 0 ? -(unsigned long long)b : (unsigned long long)b;
    unsigned long long q = udiv64(ua, ub);
    return (a < 0) != (b < 0) ? -(long long)q : (long long)q;
}
