/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * hearth-demo: the bundled demo workload, the seed story in C.
 *
 * A batch "report" updates N documents; each update is pushed to a queue
 * whose client fails a few times and sleeps in retry_backoff() before it
 * succeeds. Sampled on CPU the report looks cheap; sampled wall-clock,
 * report_view → update_docs → queue_push → retry_backoff → nanosleep is
 * where the time goes.
 *
 * The report thread alternates two phases on purpose, so that comparing
 * two time ranges shows stacks growing and shrinking:
 *   - "backoff": the queue is flaky, pushes retry with long sleeps;
 *   - "render":  the report is rendered on the CPU (render_report →
 *                format_rows → compute_checksum) and the queue is healthy.
 * Two named worker threads add background: "indexer" (CPU bursts, a
 * condition-variable wait, a throttling sleep) and "flusher" (poll on a
 * pipe, compress, then publish the pages through the same flaky queue).
 *
 * Built with -O1 -fno-omit-frame-pointer and every function noinline so
 * the call chains stay what they read like.
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

static double   opt_duration = 0;     /* seconds; 0: until killed */
static int      opt_docs = 12;
static double   opt_phase = 4;        /* seconds per phase */
static int      opt_verbose = 0;

static struct timespec start_time;
static volatile sig_atomic_t stopping;
static int flush_pipe[2] = { -1, -1 };

static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;
static int work_pending;

/* sinks the optimiser cannot see through */
volatile uint64_t demo_sink;

static double
elapsed (void)
{
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now);
  return (double) (now.tv_sec - start_time.tv_sec) + (now.tv_nsec - start_time.tv_nsec) / 1e9;
}

static int
in_render_phase (void)
{
  return ((long) (elapsed () / opt_phase)) % 2 == 1;
}

static int
time_is_up (void)
{
  return stopping || (opt_duration > 0 && elapsed () >= opt_duration);
}

/* --- the queue client ------------------------------------------------------ */

NOINLINE static void
retry_backoff (int attempt)
{
  /* exponential backoff: 8, 16, 32 ms … in the flaky phase */
  long ms = in_render_phase () ? 1 : 8L << attempt;
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

  while (nanosleep (&ts, &ts) < 0 && errno == EINTR && !stopping)
    ;
}

NOINLINE static int
queue_send (int doc, int attempt)
{
  /* the broker refuses the first attempts while it is flaky */
  int refusals = in_render_phase () ? (doc % 4 == 0 ? 1 : 0) : 2 + doc % 2;

  demo_sink += (uint64_t) doc * 2654435761u;
  return attempt >= refusals;
}

NOINLINE static void
queue_push (int doc)
{
  for (int attempt = 0; !queue_send (doc, attempt) && !stopping; attempt++)
    retry_backoff (attempt);
}

/* --- the report ------------------------------------------------------------ */

NOINLINE static uint64_t
compute_checksum (const char *row, size_t len)
{
  uint64_t h = 1469598103934665603u;

  for (int round = 0; round < 64; round++)
    for (size_t i = 0; i < len; i++)
      h = (h ^ (unsigned char) row[i]) * 1099511628211u;
  return h;
}

NOINLINE static uint64_t
format_rows (int doc)
{
  char row[256];
  uint64_t sum = 0;

  for (int r = 0; r < 40; r++)
    {
      int len = snprintf (row, sizeof row, "doc %d row %d | %08x | total %d", doc, r, r * 7919, doc * r);
      sum += compute_checksum (row, (size_t) len);
    }
  return sum;
}

NOINLINE static void
render_report (int n_docs)
{
  for (int doc = 0; doc < n_docs && !stopping; doc++)
    demo_sink += format_rows (doc);
}

NOINLINE static void
update_doc (int doc)
{
  char row[64];

  snprintf (row, sizeof row, "document %d", doc);
  demo_sink += compute_checksum (row, strlen (row)) & 0xff;
  /* tell the flusher there is something to write */
  if (write (flush_pipe[1], "d", 1) < 0)
    demo_sink++;
}

NOINLINE static void
update_docs (int n_docs)
{
  for (int doc = 0; doc < n_docs && !stopping; doc++)
    {
      update_doc (doc);
      queue_push (doc);
    }
}

NOINLINE static void
report_view (int n_docs)
{
  if (in_render_phase ())
    render_report (n_docs);
  update_docs (n_docs);
  pthread_mutex_lock (&work_lock);
  work_pending++;
  pthread_cond_signal (&work_cond);
  pthread_mutex_unlock (&work_lock);
}

/* --- indexer: CPU bursts, then waits for work --------------------------------- */

NOINLINE static uint64_t
hash_tokens (int batch)
{
  uint64_t h = (uint64_t) batch;

  for (int i = 0; i < 60000; i++)
    h = h * 6364136223846793005u + 1442695040888963407u;
  return h;
}

NOINLINE static uint64_t
tokenize (int batch)
{
  uint64_t sum = 0;

  for (int i = 0; i < 20; i++)
    sum += hash_tokens (batch + i);
  return sum;
}

NOINLINE static void
index_batch (int batch)
{
  demo_sink += tokenize (batch);
}

NOINLINE static void
wait_for_work (void)
{
  struct timespec deadline;

  clock_gettime (CLOCK_REALTIME, &deadline);
  deadline.tv_nsec += 6 * 1000000L;
  if (deadline.tv_nsec >= 1000000000L)
    {
      deadline.tv_sec++;
      deadline.tv_nsec -= 1000000000L;
    }
  pthread_mutex_lock (&work_lock);
  while (work_pending == 0 && !stopping)
    if (pthread_cond_timedwait (&work_cond, &work_lock, &deadline) == ETIMEDOUT)
      break;
  if (work_pending > 0)
    work_pending--;
  pthread_mutex_unlock (&work_lock);
}

NOINLINE static void
throttle (void)
{
  struct timespec ts = { 0, 3 * 1000000L };

  nanosleep (&ts, NULL);
}

NOINLINE static void *
indexer_main (void *data)
{
  pthread_setname_np (pthread_self (), "indexer");
  for (int batch = 0; !time_is_up (); batch++)
    {
      index_batch (batch);
      wait_for_work ();
      throttle ();
    }
  return NULL;
}

/* --- flusher: waits on a pipe, then compresses what came --------------------- */

NOINLINE static uint64_t
compress_block (int n)
{
  uint64_t h = (uint64_t) n;

  for (int i = 0; i < 100000; i++)
    h ^= (h << 7) ^ (h >> 3) ^ (uint64_t) i;
  return h;
}

NOINLINE static void
flush_buffers (int n)
{
  demo_sink += compress_block (n);
}

NOINLINE static int
wait_for_data (void)
{
  struct pollfd pfd = { .fd = flush_pipe[0], .events = POLLIN };
  char buf[256];

  if (poll (&pfd, 1, 20) <= 0)
    return 0;
  return (int) read (flush_pipe[0], buf, sizeof buf);
}

NOINLINE static void
publish_pages (int page)
{
  queue_push (page);
}

NOINLINE static void *
flusher_main (void *data)
{
  pthread_setname_np (pthread_self (), "flusher");
  for (int page = 0; !time_is_up (); page++)
    {
      int n = wait_for_data ();

      if (n > 0)
        {
          flush_buffers (n);
          publish_pages (page);
        }
    }
  return NULL;
}

/* --- main ------------------------------------------------------------------ */

static void
on_signal (int signum)
{
  stopping = 1;
}

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: hearth-demo [--duration S] [--docs N] [--phase S] [--verbose]\n"
           "The Hearth demo workload: a report whose queue client sleeps in\n"
           "retry_backoff(), alternating a sleep-heavy and a CPU-heavy phase.\n"
           "  --duration S  run for S seconds (default: until interrupted)\n"
           "  --docs N      documents per report (default 12)\n"
           "  --phase S     seconds per phase (default 4)\n");
}

static int
parse_args (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *value = i + 1 < argc ? argv[i + 1] : NULL;

      if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          usage (stdout);
          exit (0);
        }
      else if (strcmp (arg, "--verbose") == 0)
        opt_verbose = 1;
      else if (value != NULL && strcmp (arg, "--duration") == 0)
        opt_duration = atof (argv[++i]);
      else if (value != NULL && strcmp (arg, "--docs") == 0)
        opt_docs = atoi (argv[++i]);
      else if (value != NULL && strcmp (arg, "--phase") == 0)
        opt_phase = atof (argv[++i]);
      else
        {
          fprintf (stderr, "hearth-demo: unknown option %s\n", arg);
          usage (stderr);
          return -1;
        }
    }
  if (opt_docs < 1 || opt_phase <= 0 || opt_duration < 0)
    {
      fprintf (stderr, "hearth-demo: --docs must be ≥ 1, --phase > 0, --duration ≥ 0\n");
      return -1;
    }
  return 0;
}

NOINLINE static void
run_reports (void)
{
  for (int report = 0; !time_is_up (); report++)
    {
      report_view (opt_docs);
      if (opt_verbose)
        fprintf (stderr, "hearth-demo: report %d done at %.1f s (%s phase)\n",
                 report, elapsed (), in_render_phase () ? "render" : "backoff");
    }
}

int
main (int argc, char **argv)
{
  pthread_t indexer, flusher;
  struct sigaction sa;

  if (parse_args (argc, argv) < 0)
    return 2;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  signal (SIGPIPE, SIG_IGN);

  if (pipe (flush_pipe) < 0)
    {
      perror ("hearth-demo: pipe");
      return 1;
    }
  clock_gettime (CLOCK_MONOTONIC, &start_time);
  if (opt_verbose)
    fprintf (stderr, "hearth-demo: pid %d\n", (int) getpid ());

  pthread_create (&indexer, NULL, indexer_main, NULL);
  pthread_create (&flusher, NULL, flusher_main, NULL);
  run_reports ();

  stopping = 1;
  pthread_mutex_lock (&work_lock);
  pthread_cond_broadcast (&work_cond);
  pthread_mutex_unlock (&work_lock);
  pthread_join (indexer, NULL);
  pthread_join (flusher, NULL);
  return 0;
}
