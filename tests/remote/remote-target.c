/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Target for the remote-attach tests: one thread spending nearly all its
 * time in main → remote_outer → remote_inner → remote_spin, so the
 * dominant stack is the same whoever samples it, locally or through ssh.
 * Built without optimisation or inlining so every frame exists. Prints
 * "ready" once running; dies with its parent, and after 120 s anyway.
 */

static volatile unsigned long counter;

void remote_spin (void);
void remote_inner (void);
void remote_outer (void);

void
remote_spin (void)
{
  for (unsigned long i = 0; i < 200000; i++)
    counter += i ^ (counter >> 3);
}

void
remote_inner (void)
{
  for (;;)
    remote_spin ();
}

void
remote_outer (void)
{
  remote_inner ();
}

int
main (int    argc,
      char **argv)
{
  /* Never outlive the test that started us, even if it aborts. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  alarm (120);
  printf ("ready\n");
  fflush (stdout);
  remote_outer ();
  return 0;
}
