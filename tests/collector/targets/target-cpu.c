/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * target-cpu: one thread, always on the CPU, in a known chain:
 *   main → run_loop → chain_alpha → chain_beta → chain_gamma → [descend ×depth] → spin_leaf
 * --depth N adds N frames of descend() (for unwinding cost at a given
 * depth), --duration S ends it, and it prints "work=<iterations>" at the
 * end, with the CPU time it used ("cpu=<s>"), so a benchmark can compare
 * throughput with and without sampling, per second of wall clock and of
 * CPU.
 * SIGTERM/SIGINT end it early (and still print).
 */

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static volatile sig_atomic_t stopping;
static double opt_duration = 10;
static int opt_depth = 0;
static const char *opt_ready;
volatile uint64_t work;

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

NOINLINE static void
spin_leaf (void)
{
  uint64_t x = work;

  /* ~20 µs of arithmetic per call */
  for (int i = 0; i < 20000; i++)
    x = x * 6364136223846793005u + 1442695040888963407u;
  work = x | 1;
}

NOINLINE static uint64_t
descend (int depth, uint64_t acc)
{
  if (depth > 0)
    return descend (depth - 1, acc + 1) + 1;
  spin_leaf ();
  return acc;
}

NOINLINE static void
chain_gamma (void)
{
  descend (opt_depth, 0);
}

NOINLINE static void
chain_beta (void)
{
  chain_gamma ();
}

NOINLINE static void
chain_alpha (void)
{
  chain_beta ();
}

NOINLINE static uint64_t
run_loop (double end)
{
  uint64_t iterations = 0;

  while (!stopping)
    {
      for (int i = 0; i < 64; i++)
        {
          chain_alpha ();
          iterations++;
        }
      if (now () >= end)
        break;
    }
  return iterations;
}

static void
on_signal (int signum)
{
  stopping = 1;
}

int
main (int argc, char **argv)
{
  double start, elapsed, cpu;
  uint64_t iterations;
  struct rusage ru;

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (strcmp (argv[i], "--duration") == 0)
        opt_duration = atof (argv[i + 1]);
      else if (strcmp (argv[i], "--depth") == 0)
        opt_depth = atoi (argv[i + 1]);
      else if (strcmp (argv[i], "--ready") == 0)
        opt_ready = argv[i + 1];
    }
  signal (SIGTERM, on_signal);
  signal (SIGINT, on_signal);

  if (opt_ready != NULL)
    {
      FILE *f = fopen (opt_ready, "w");
      if (f != NULL)
        fclose (f);
    }
  start = now ();
  iterations = run_loop (start + opt_duration);
  elapsed = now () - start;
  getrusage (RUSAGE_SELF, &ru);
  cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  printf ("work=%llu seconds=%.3f rate=%.1f cpu=%.3f\n", (unsigned long long) iterations, elapsed,
          iterations / elapsed, cpu);
  fflush (stdout);
  return 0;
}
