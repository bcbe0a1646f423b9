/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * target-epoll: an "epoller" thread loops on epoll_wait() on an empty
 * epoll set with a 100 ms timeout, counting timeouts and EINTRs, the way
 * an event loop that retries with the same timeout would. A "busy" thread
 * keeps the CPU (so a sampler has a running thread to stop). After
 * --duration seconds it prints "timeouts=N eintr=M" and exits.
 * Undisturbed, N = duration / 100 ms (rounded down) and M = 0.
 */

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static volatile int done;
static unsigned long timeouts, eintrs;
volatile uint64_t sink;

NOINLINE static void
spin (void)
{
  uint64_t x = sink;

  for (int i = 0; i < 50000; i++)
    x = x * 6364136223846793005u + 1;
  sink = x;
}

NOINLINE static void *
busy_main (void *data)
{
  pthread_setname_np (pthread_self (), "busy");
  while (!done)
    spin ();
  return NULL;
}

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

NOINLINE static void
event_loop (int epfd, double end)
{
  struct epoll_event ev;

  while (now () < end)
    {
      int n = epoll_wait (epfd, &ev, 1, 100);

      if (n == 0)
        timeouts++;
      else if (n < 0 && errno == EINTR)
        eintrs++;
    }
}

NOINLINE static void *
epoller_main (void *data)
{
  double end = *(double *) data;
  int epfd = epoll_create1 (0);

  pthread_setname_np (pthread_self (), "epoller");
  event_loop (epfd, end);
  close (epfd);
  return NULL;
}

int
main (int argc, char **argv)
{
  double duration = 3;
  const char *ready = NULL;
  pthread_t busy, epoller;
  double end;

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (strcmp (argv[i], "--duration") == 0)
        duration = atof (argv[i + 1]);
      else if (strcmp (argv[i], "--ready") == 0)
        ready = argv[i + 1];
    }
  end = now () + duration;
  pthread_create (&busy, NULL, busy_main, NULL);
  pthread_create (&epoller, NULL, epoller_main, &end);
  if (ready != NULL)
    {
      FILE *f = fopen (ready, "w");
      if (f != NULL)
        fclose (f);
    }
  pthread_join (epoller, NULL);
  done = 1;
  pthread_join (busy, NULL);
  printf ("timeouts=%lu eintr=%lu\n", timeouts, eintrs);
  fflush (stdout);
  return 0;
}
