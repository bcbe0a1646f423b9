/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * target-mixed: threads with known chains, one busy and the others blocked
 * in different ways, each named after what it does:
 *   busy      busy_main → busy_work → busy_leaf           (on the CPU)
 *   sleeper   sleeper_main → sleep_wait → nanosleep        (10 ms sleeps)
 *   reader    reader_main → read_wait → read               (a pipe nobody writes)
 *   poller    poller_main → poll_wait → poll               (50 ms timeouts)
 *   waiter    waiter_main → cond_wait → pthread_cond_wait  (never signalled)
 * The main thread sleeps in main_wait → pause(). Runs until --duration or
 * SIGTERM; writes a ready file (--ready PATH) once every thread runs.
 * It counts the SIGRTMIN+1 signals it receives (real-time signals queue,
 * so none may be lost) and prints "signals=N" when --duration ends.
 */

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static int dead_pipe[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static volatile int started;
static volatile sig_atomic_t signals_received;
volatile uint64_t sink;

NOINLINE static void
busy_leaf (void)
{
  uint64_t x = sink;

  for (int i = 0; i < 50000; i++)
    x = x * 2862933555777941757u + 3037000493u;
  sink = x;
}

NOINLINE static void
busy_work (void)
{
  busy_leaf ();
}

NOINLINE static void *
busy_main (void *data)
{
  pthread_setname_np (pthread_self (), "busy");
  __atomic_add_fetch (&started, 1, __ATOMIC_SEQ_CST);
  for (;;)
    busy_work ();
  return NULL;
}

NOINLINE static void
sleep_wait (void)
{
  struct timespec ts = { 0, 10 * 1000 * 1000 };

  nanosleep (&ts, NULL);
}

NOINLINE static void *
sleeper_main (void *data)
{
  pthread_setname_np (pthread_self (), "sleeper");
  __atomic_add_fetch (&started, 1, __ATOMIC_SEQ_CST);
  for (;;)
    sleep_wait ();
  return NULL;
}

NOINLINE static void
read_wait (void)
{
  char c;

  if (read (dead_pipe[0], &c, 1) > 0)
    sink++;
}

NOINLINE static void *
reader_main (void *data)
{
  pthread_setname_np (pthread_self (), "reader");
  __atomic_add_fetch (&started, 1, __ATOMIC_SEQ_CST);
  for (;;)
    read_wait ();
  return NULL;
}

NOINLINE static void
poll_wait (void)
{
  struct pollfd pfd = { .fd = dead_pipe[0], .events = POLLIN };

  if (poll (&pfd, 1, 50) > 0)
    sink++;
}

NOINLINE static void *
poller_main (void *data)
{
  pthread_setname_np (pthread_self (), "poller");
  __atomic_add_fetch (&started, 1, __ATOMIC_SEQ_CST);
  for (;;)
    poll_wait ();
  return NULL;
}

NOINLINE static void
cond_wait (void)
{
  pthread_mutex_lock (&lock);
  pthread_cond_wait (&never, &lock);
  pthread_mutex_unlock (&lock);
}

NOINLINE static void *
waiter_main (void *data)
{
  pthread_setname_np (pthread_self (), "waiter");
  __atomic_add_fetch (&started, 1, __ATOMIC_SEQ_CST);
  for (;;)
    cond_wait ();
  return NULL;
}

NOINLINE static void
main_wait (double seconds)
{
  if (seconds > 0)
    {
      struct timespec ts = { (time_t) seconds, (long) ((seconds - (time_t) seconds) * 1e9) };

      /* signals may land here: sleep the rest */
      while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
        ;
    }
  else
    pause ();
}

static void
on_rt_signal (int signum)
{
  signals_received++;
}

int
main (int argc, char **argv)
{
  void *(*mains[]) (void *) = { busy_main, sleeper_main, reader_main, poller_main, waiter_main };
  const char *ready = NULL;
  double duration = 0;
  pthread_t t;

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (strcmp (argv[i], "--duration") == 0)
        duration = atof (argv[i + 1]);
      else if (strcmp (argv[i], "--ready") == 0)
        ready = argv[i + 1];
    }
  if (pipe (dead_pipe) < 0)
    return 1;
  {
    struct sigaction sa;

    memset (&sa, 0, sizeof sa);
    sa.sa_handler = on_rt_signal;
    sa.sa_flags = SA_RESTART;
    sigaction (SIGRTMIN + 1, &sa, NULL);
  }
  for (unsigned i = 0; i < sizeof mains / sizeof mains[0]; i++)
    pthread_create (&t, NULL, mains[i], NULL);
  while (__atomic_load_n (&started, __ATOMIC_SEQ_CST) < 5)
    usleep (1000);
  /* let each thread reach its wait and set its name */
  usleep (20 * 1000);
  if (ready != NULL)
    {
      FILE *f = fopen (ready, "w");
      if (f != NULL)
        fclose (f);
    }
  main_wait (duration);
  printf ("signals=%d\n", (int) signals_received);
  fflush (stdout);
  return 0;
}
