/*
 * Guest time for device models: one clock (nanoseconds since the machine
 * started, following the host's CLOCK_MONOTONIC) and a list of one-shot
 * timers on it. Devices arm timers (the PIT's next edge, the RTC's next
 * update, the APIC timer); the board's event loop asks for the nearest
 * deadline, sleeps or runs the CPU until then, and runs what expired.
 * Everything here is called on the CPU thread, except timerlist_deadline_ns's
 * atomic read, which the ticker thread may use to time its wake-ups.
 */
#ifndef DEVICES_TIMER_H
#define DEVICES_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#define NS_PER_SEC 1000000000ll

typedef struct TimerList TimerList;

typedef struct Timer {
    int64_t expire_ns;            /* when pending: clock time it fires at */
    bool pending;
    void (*cb)(void *opaque);
    void *opaque;
    TimerList *list;
    struct Timer *next;           /* in list->active, sorted by expire_ns */
} Timer;

struct TimerList {
    Timer *active;
    int64_t start_ns;             /* host monotonic time of clock 0 */
    /* tests replace the clock; NULL = host monotonic time - start_ns */
    int64_t (*clock)(void *opaque);
    void *clock_opaque;
    /* called when the earliest deadline moves earlier (wakes the sleeper) */
    void (*notify)(void *opaque);
    void *notify_opaque;
    int64_t deadline;             /* earliest expire_ns, INT64_MAX if none (atomic) */
};

void timerlist_init(TimerList *tl);
int64_t timerlist_clock_ns(TimerList *tl);
/* Earliest deadline in clock ns, INT64_MAX if no timer is pending. */
int64_t timerlist_deadline_ns(TimerList *tl);
/* Run every timer whose deadline has passed (callbacks may re-arm). True
 * if any ran. */
bool timerlist_run_expired(TimerList *tl);

void timer_init(Timer *t, TimerList *tl, void (*cb)(void *opaque), void *opaque);
void timer_mod(Timer *t, int64_t expire_ns);   /* (re)arm at clock time expire_ns */
void timer_del(Timer *t);
static inline bool timer_pending(const Timer *t) { return t->pending; }

/* a * b / c without overflow for the tick conversions devices do */
static inline int64_t muldiv64(int64_t a, uint32_t b, uint32_t c)
{
    return (int64_t)(((__int128)a * b) / c);
}

#endif
