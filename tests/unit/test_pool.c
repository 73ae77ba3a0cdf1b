/*
 * base/pool: every task submitted runs exactly once, on some thread, and
 * has run when dk_pool_wait returns; waiting for a task no worker took runs
 * it on the caller's thread at once; tasks queued `first` go before the
 * others; a NULL pool runs each task as it is submitted; slots name the
 * threads (0 the caller's).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/base.h"
#include "test.h"

typedef struct {
    dk_task task;
    atomic_int runs;
    int slot;
    pthread_t thread;
    int order;          /* when it ran, among the tasks of a test */
    volatile int spin;  /* busy this many ms */
} job;

static atomic_int clock_;

static void run(dk_task *t) {
    job *j = (job *)t;
    j->slot = dk_pool_slot();
    j->thread = pthread_self();
    j->order = atomic_fetch_add(&clock_, 1);
    if (j->spin) usleep((useconds_t)j->spin * 1000);
    atomic_fetch_add(&j->runs, 1);
}

int main(void) {
    /* no pool: at once, on this thread */
    job a = {.task.run = run};
    dk_pool_submit(NULL, &a.task, 0);
    CHECK(atomic_load(&a.runs) == 1 && a.slot == 0);
    dk_pool_wait(NULL, &a.task);
    CHECK(atomic_load(&a.runs) == 1);
    CHECK(dk_pool_new(1) == NULL && dk_pool_threads(NULL) == 1);

    /* many tasks on 4 threads: each runs once, done when waited for */
    dk_pool *p = dk_pool_new(4);
    CHECK(p && dk_pool_threads(p) == 4);
    enum { N = 200 };
    job *js = calloc(N, sizeof *js);
    for (int i = 0; i < N; i++) {
        js[i].task.run = run;
        dk_pool_submit(p, &js[i].task, i % 7 == 0);
    }
    int once = 1, slots_ok = 1;
    for (int i = N - 1; i >= 0; i--) {
        dk_pool_wait(p, &js[i].task);
        once &= atomic_load(&js[i].runs) == 1;
        slots_ok &= js[i].slot >= 0 && js[i].slot < 4;
    }
    CHECK(once);
    CHECK(slots_ok);
    dk_pool_free(p);

    /* the worker busy: a task waited for before any worker took it runs here, ahead of the
       queue; one queued first runs before one queued last */
    p = dk_pool_new(2);
    atomic_store(&clock_, 0);
    job busy = {.task.run = run, .spin = 100}, last = {.task.run = run}, first = {.task.run = run},
        mine = {.task.run = run};
    dk_pool_submit(p, &busy.task, 0);
    usleep(20000); /* the worker has taken it */
    dk_pool_submit(p, &last.task, 0);
    dk_pool_submit(p, &first.task, 1);
    dk_pool_submit(p, &mine.task, 0);
    dk_pool_wait(p, &mine.task);
    CHECK(pthread_equal(mine.thread, pthread_self()) && mine.slot == 0);
    CHECK(mine.order == 1); /* right after the busy one began, before the queue */
    /* while the busy one runs, the caller takes the queue from its head */
    dk_pool_wait(p, &busy.task);
    CHECK(busy.slot == 1);
    CHECK(atomic_load(&first.runs) == 1 && atomic_load(&last.runs) == 1);
    CHECK(first.order == 2 && last.order == 3);
    dk_pool_wait(p, &last.task);
    dk_pool_wait(p, &first.task);
    dk_pool_free(p);
    free(js);
    return dk_test_done();
}
