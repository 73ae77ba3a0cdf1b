/*
 * base/pool.c — a pool of threads (see base.h).
 *
 * One mutex and two condition variables: `work` wakes the workers when a
 * task is queued, `done` wakes the caller when one ends. Tasks are taken
 * in the order they came, except those queued `first`. Waiting for a task
 * that no worker has taken yet runs it on the caller's thread at once,
 * ahead of the queue: the caller waits only for what it needs now (an
 * image it is about to draw), not for the work queued before it (the
 * previous slide's rows).
 */
#define _GNU_SOURCE
#include "base.h"

#include <pthread.h>
#include <stdlib.h>

enum { QUEUED, RUNNING, DONE };

struct dk_pool {
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    dk_task *head, *tail;
    int quit;
    int nworkers;
    pthread_t *workers;
};

static __thread int slot;

int dk_pool_slot(void) { return slot; }

int dk_pool_threads(const dk_pool *p) { return p ? p->nworkers + 1 : 1; }

/* With the lock held: take t out of the queue (it is queued). */
static void unqueue(dk_pool *p, dk_task *t) {
    dk_task **at = &p->head, *prev = NULL;
    while (*at != t) prev = *at, at = &(*at)->next;
    *at = t->next;
    if (p->tail == t) p->tail = prev;
}

/* With the lock held: run t, queued or not, the lock released meanwhile. */
static void run(dk_pool *p, dk_task *t) {
    if (t->state == QUEUED) unqueue(p, t);
    t->state = RUNNING;
    pthread_mutex_unlock(&p->lock);
    t->run(t);
    pthread_mutex_lock(&p->lock);
    t->state = DONE;
    pthread_cond_broadcast(&p->done);
}

typedef struct {
    dk_pool *p;
    int slot;
} worker_arg;

static void *worker(void *arg) {
    dk_pool *p = ((worker_arg *)arg)->p;
    slot = ((worker_arg *)arg)->slot;
    free(arg);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        if (p->head) run(p, p->head);
        else if (p->quit) break;
        else pthread_cond_wait(&p->work, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

dk_pool *dk_pool_new(int threads) {
    if (threads <= 1) return NULL;
    dk_pool *p = calloc(1, sizeof *p);
    if (p && !(p->workers = calloc((size_t)threads - 1, sizeof *p->workers))) {
        free(p);
        p = NULL;
    }
    if (!p) return NULL;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    /* the workers take no signals: the caller's thread handles them (dk_tmp_remove_all) */
    sigset_t old;
    dk_block_signals(&old);
    for (int i = 1; i < threads; i++) {
        worker_arg *a = malloc(sizeof *a);
        if (!a) break;
        *a = (worker_arg){p, i};
        if (pthread_create(&p->workers[p->nworkers], NULL, worker, a) != 0) {
            free(a); /* fewer workers: the caller does their share */
            break;
        }
        p->nworkers++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return p;
}

void dk_pool_free(dk_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->quit = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nworkers; i++) pthread_join(p->workers[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    free(p->workers);
    free(p);
}

void dk_pool_submit(dk_pool *p, dk_task *t, int first) {
    t->next = NULL;
    if (!p) {
        t->run(t);
        t->state = DONE;
        return;
    }
    t->state = QUEUED;
    pthread_mutex_lock(&p->lock);
    if (first) {
        t->next = p->head;
        p->head = t;
        if (!p->tail) p->tail = t;
    } else {
        if (p->tail) p->tail->next = t;
        else p->head = t;
        p->tail = t;
    }
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->lock);
}

void dk_pool_wait(dk_pool *p, dk_task *t) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    if (t->state == QUEUED) run(p, t);
    while (t->state != DONE) {
        if (p->head) run(p, p->head);
        else pthread_cond_wait(&p->done, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
}
