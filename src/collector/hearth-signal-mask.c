/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "hearth-signal-mask.h"

/* the calling thread's mask while hearth_signals_block_all() holds */
static __thread gboolean all_blocked;
static __thread sigset_t blocked_mask;
/* sigfillset(): what libunwind's lock passes */
static __thread sigset_t filled_mask;

void
hearth_signals_block_all (sigset_t *saved)
{
  sigset_t all;

  sigfillset (&all);
  filled_mask = all;
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

/* The 64 signals the kernel knows: glibc's sigset_t is 1024 bits, but
 * the kernel reads and writes only the first word, so the rest of a mask
 * it returned is whatever the buffer held. */
static guint64
kernel_bits (const sigset_t *set)
{
  guint64 word;

  memcpy (&word, set, sizeof word);
  return word;
}

/* Would applying (how, set) leave blocked_mask as it is? Only the cases
 * the lock produces are recognised (block more; set a full mask; set back
 * the mask it was given); anything else takes the real call. */
static gboolean
mask_unchanged (int             how,
                const sigset_t *set)
{
  guint64 bits;

  if (set == NULL || how == SIG_BLOCK)
    return TRUE;
  if (how != SIG_SETMASK)
    return FALSE;
  bits = kernel_bits (set);
  return bits == kernel_bits (&filled_mask) || bits == kernel_bits (&blocked_mask);
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
