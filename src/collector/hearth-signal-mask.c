/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <pthread.h>

#include "hearth-signal-mask.h"

/* the calling thread's mask while hearth_signals_block_all() holds */
static __thread gboolean all_blocked;
static __thread sigset_t blocked_mask;

void
hearth_signals_block_all (sigset_t *saved)
{
  sigset_t all;

  sigfillset (&all);
  pthread_sigmask (SIG_SETMASK, &all, saved);
  /* what the kernel really holds: SIGKILL, SIGSTOP and glibc's own
   * signals cannot be blocked */
  pthread_sigmask (SIG_BLOCK, NULL, &blocked_mask);
  all_blocked = TRUE;
}

void
hearth_signals_restore (const sigset_t *saved)
{
  all_blocked = FALSE;
  pthread_sigmask (SIG_SETMASK, saved, NULL);
}

/* Would applying (how, set) leave blocked_mask as it is? */
static gboolean
mask_unchanged (int             how,
                const sigset_t *set)
{
  if (set == NULL || how == SIG_BLOCK)
    return TRUE;
  for (int sig = 1; sig < NSIG; sig++)
    {
      gboolean held = sigismember (&blocked_mask, sig) == 1;
      gboolean named = sigismember (set, sig) == 1;

      if (how == SIG_SETMASK && held && !named)
        return FALSE;
      if (how == SIG_UNBLOCK && held && named)
        return FALSE;
    }
  return how == SIG_SETMASK || how == SIG_UNBLOCK;
}

/* Interposes libc's sigprocmask() for the whole process (see the header). */
int
sigprocmask (int             how,
             const sigset_t *set,
             sigset_t       *oldset)
{
  int ret;

  if (all_blocked && mask_unchanged (how, set))
    {
      if (oldset != NULL)
        *oldset = blocked_mask;
      return 0;
    }
  ret = pthread_sigmask (how, set, oldset);
  if (ret != 0)
    {
      errno = ret;
      return -1;
    }
  if (all_blocked && set != NULL)
    pthread_sigmask (SIG_BLOCK, NULL, &blocked_mask);
  return 0;
}
