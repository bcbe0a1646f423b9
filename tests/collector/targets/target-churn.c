/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * target-churn: threads come and go all the time. Every 5 ms a new
 * "churn" thread starts, works (churn_work → churn_leaf) and sleeps
 * (churn_nap) for about 30 ms in total, then exits; a "steady" thread
 * runs throughout. Prints "created=N" at the end.
 */

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static volatile sig_atomic_t stopping;
volatile uint64_t sink;

NOINLINE static void
churn_leaf (void)
{
  uint64_t x = sink;

  for (int i = 0; i < 200000; i++)
    x = x * 6364136223846793005u + 1;
  sink = x;
}

NOINLINE static void
churn_nap (void)
{
  struct timespec ts = { 0, 10 * 1000 * 1000 };

  nanosleep (&ts, NULL);
}

NOINLINE static void
churn_work (void)
{
  churn_leaf ();
  churn_nap ();
  churn_leaf ();
  churn_nap ();
}

NOINLINE static void *
churn_main (void *data)
{
  pthread_setname_np (pthread_self (), "churn");
  churn_work ();
  return NULL;
}

NOINLINE static void
steady_work (void)
{
  churn_leaf ();
  churn_nap ();
}

NOINLINE static void *
steady_main (void *data)
{
  pthread_setname_np (pthread_self (), "steady");
  while (!stopping)
    steady_work ();
  return NULL;
}

static void
on_signal (int signum)
{
  stopping = 1;
}

int
main (int argc, char **argv)
{
  double duration = 5;
  pthread_attr_t attr;
  pthread_t steady, t;
  struct timespec start, now;
  unsigned long created = 0;

  for (int i = 1; i + 1 < argc; i += 2)
    if (strcmp (argv[i], "--duration") == 0)
      duration = atof (argv[i + 1]);
  signal (SIGTERM, on_signal);

  pthread_attr_init (&attr);
  pthread_attr_setdetachstate (&attr, PTHREAD_CREATE_DETACHED);
  pthread_create (&steady, NULL, steady_main, NULL);
  clock_gettime (CLOCK_MONOTONIC, &start);
  while (!stopping)
    {
      struct timespec ts = { 0, 5 * 1000 * 1000 };

      if (pthread_create (&t, &attr, churn_main, NULL) == 0)
        created++;
      nanosleep (&ts, NULL);
      clock_gettime (CLOCK_MONOTONIC, &now);
      if ((now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9 >= duration)
        break;
    }
  stopping = 1;
  pthread_join (steady, NULL);
  /* let the last churn threads finish */
  usleep (50 * 1000);
  printf ("created=%lu\n", created);
  fflush (stdout);
  return 0;
}
