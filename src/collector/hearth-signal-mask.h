/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <signal.h>

G_BEGIN_DECLS

/*
 * libunwind 1.6.2 (built with --enable-block-signals, as Debian does)
 * takes its cache lock with two sigprocmask() calls per unw_step: on a
 * small VM that is ~70% of the cost of a frame. The sampler thread blocks
 * every signal for the whole of a tick anyway, so while it does, those
 * calls cannot change anything: this file provides sigprocmask() and
 * answers them without a system call. Any call that would change the mask
 * goes to the real pthread_sigmask(), so the semantics stay exact.
 */

/* Block every signal in the calling thread; saved receives the old mask. */
void hearth_signals_block_all (sigset_t       *saved);
/* Restore a mask saved by hearth_signals_block_all(). */
void hearth_signals_restore   (const sigset_t *saved);

G_END_DECLS
