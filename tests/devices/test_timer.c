/*
 * The device clock and timer list (devices/timer.c): deadlines in order,
 * re-arming and deleting, timers re-armed from their own callback, equal
 * deadlines in arming order, the notify hook only when the deadline
 * moves earlier, and the host clock starting near 0 and never going back.
 */
#include "devices/timer.h"
#include "tests/devices/devtest.h"

static char order[16];
static int norder;
static int notified;

static void record(void *opaque)
{
    if (norder < (int)sizeof(order) - 1)
        order[norder++] = *(const char *)opaque;
}

static Timer periodic;
static int periodic_runs;
static void periodic_cb(void *opaque)
{
    periodic_runs++;
    timer_mod(&periodic, periodic.expire_ns + 100);
}

static void notify(void *opaque)
{
    notified++;
}

int main(void)
{
    TimerList tl;
    Timer a, b, c, d;
    static const char na = 'a', nb = 'b', nc = 'c', nd = 'd';

    fake_timerlist_init(&tl);
    tl.notify = notify;
    CHECK_EQ("timer/empty-deadline", timerlist_deadline_ns(&tl), INT64_MAX);
    timer_init(&a, &tl, record, (void *)&na);
    timer_init(&b, &tl, record, (void *)&nb);
    timer_init(&c, &tl, record, (void *)&nc);
    timer_init(&d, &tl, record, (void *)&nd);
    timer_mod(&a, 30);
    timer_mod(&b, 10);
    timer_mod(&c, 20);
    check(notified == 2, "timer/notify-only-earlier", "notified %d times, want 2", notified);
    CHECK_EQ("timer/deadline-earliest", timerlist_deadline_ns(&tl), 10);
    fake_now_ns = 15;
    check(timerlist_run_expired(&tl) && norder == 1 && order[0] == 'b', "timer/runs-due-only",
          "ran '%.*s'", norder, order);
    check(!timer_pending(&b) && timer_pending(&a), "timer/pending-flags", "b %d a %d",
          timer_pending(&b), timer_pending(&a));
    CHECK_EQ("timer/deadline-next", timerlist_deadline_ns(&tl), 20);
    timer_del(&c);
    CHECK_EQ("timer/del-moves-deadline", timerlist_deadline_ns(&tl), 30);
    timer_mod(&a, 50);                          /* re-arm a pending timer: moved, not doubled */
    timer_mod(&d, 50);                          /* equal deadline: after a */
    timer_mod(&b, 40);
    fake_now_ns = 100;
    norder = 0;
    timerlist_run_expired(&tl);
    order[norder] = 0;
    check(norder == 3 && order[0] == 'b' && order[1] == 'a' && order[2] == 'd', "timer/order",
          "ran '%s', want 'bad'", order);
    check(!timerlist_run_expired(&tl), "timer/nothing-left", "a timer ran twice");
    CHECK_EQ("timer/empty-again", timerlist_deadline_ns(&tl), INT64_MAX);

    /* a timer re-arming itself from its callback */
    timer_init(&periodic, &tl, periodic_cb, NULL);
    timer_mod(&periodic, 200);
    fake_advance_to(&tl, 1000);
    check(periodic_runs == 9, "timer/periodic-rearm", "%d runs, want 9", periodic_runs);
    CHECK_EQ("timer/periodic-next", timerlist_deadline_ns(&tl), 1100);
    timer_del(&periodic);
    timer_del(&periodic);                       /* deleting twice is harmless */
    CHECK_EQ("timer/del-twice", timerlist_deadline_ns(&tl), INT64_MAX);

    /* the host clock */
    TimerList host;
    timerlist_init(&host);
    int64_t t1 = timerlist_clock_ns(&host), t2 = timerlist_clock_ns(&host);
    check(t1 >= 0 && t1 < NS_PER_SEC && t2 >= t1, "timer/host-clock", "%lld then %lld",
          (long long)t1, (long long)t2);
    CHECK_EQ("timer/muldiv64", muldiv64(INT64_MAX / 2, 1193182, 1000000000),
             (int64_t)(((__int128)(INT64_MAX / 2) * 1193182) / 1000000000));
    return test_finish();
}
