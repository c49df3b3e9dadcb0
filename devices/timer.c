/*
 * The device clock and its timer list (see timer.h). The list is short
 * (a handful of devices), so it is a sorted singly linked list.
 */
#include "devices/timer.h"

#include <stddef.h>
#include <time.h>

static int64_t host_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

void timerlist_init(TimerList *tl)
{
    *tl = (TimerList){ .start_ns = host_monotonic_ns(), .deadline = INT64_MAX };
}

int64_t timerlist_clock_ns(TimerList *tl)
{
    if (tl->clock)
        return tl->clock(tl->clock_opaque);
    return host_monotonic_ns() - tl->start_ns;
}

int64_t timerlist_deadline_ns(TimerList *tl)
{
    return __atomic_load_n(&tl->deadline, __ATOMIC_ACQUIRE);
}

static void timerlist_update_deadline(TimerList *tl)
{
    int64_t old = tl->deadline;
    int64_t d = tl->active ? tl->active->expire_ns : INT64_MAX;
    __atomic_store_n(&tl->deadline, d, __ATOMIC_RELEASE);
    if (d < old && tl->notify)
        tl->notify(tl->notify_opaque);
}

void timer_init(Timer *t, TimerList *tl, void (*cb)(void *opaque), void *opaque)
{
    *t = (Timer){ .cb = cb, .opaque = opaque, .list = tl };
}

static void timer_unlink(Timer *t)
{
    for (Timer **pp = &t->list->active; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->next = NULL;
    t->pending = false;
}

void timer_del(Timer *t)
{
    if (!t->pending)
        return;
    timer_unlink(t);
    timerlist_update_deadline(t->list);
}

void timer_mod(Timer *t, int64_t expire_ns)
{
    if (t->pending)
        timer_unlink(t);
    t->expire_ns = expire_ns;
    t->pending = true;
    Timer **pp = &t->list->active;
    while (*pp && (*pp)->expire_ns <= expire_ns)
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    timerlist_update_deadline(t->list);
}

bool timerlist_run_expired(TimerList *tl)
{
    bool ran = false;
    int64_t now = timerlist_clock_ns(tl);
    while (tl->active && tl->active->expire_ns <= now) {
        Timer *t = tl->active;
        timer_unlink(t);
        timerlist_update_deadline(tl);
        t->cb(t->opaque);   /* may re-arm t or others */
        ran = true;
    }
    return ran;
}
