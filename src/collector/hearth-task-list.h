/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "hearth-proc.h"

G_BEGIN_DECLS

/* One thread of the target, with its /proc files kept open so a tick
 * costs one pread per file instead of open+read+close. */
typedef struct
{
  pid_t    tid;
  int      stat_fd;
  int      syscall_fd;      /* opened on first use */
  char     comm[64];
  gboolean announced;       /* a thread record was sent for this comm */
  gboolean seen;            /* listed by the last refresh */
  gint64   last_sample_ns;  /* time of its previous sample, or -1 */
} HearthTask;

/*
 * HearthTaskList: the threads of a process, from /proc/PID/task, kept in
 * TID order. A thread that exits disappears at the next refresh; one that
 * appears gets its files opened then.
 */
typedef struct _HearthTaskList HearthTaskList;

HearthTaskList *hearth_task_list_new          (pid_t            pid);
void            hearth_task_list_free         (HearthTaskList  *self);
/* Re-read /proc/PID/task. FALSE when the process no longer exists. */
gboolean        hearth_task_list_refresh      (HearthTaskList  *self);
guint           hearth_task_list_get_n_tasks  (HearthTaskList  *self);
HearthTask     *hearth_task_list_get_task     (HearthTaskList  *self,
                                               guint            i);

/* Read the thread's stat. FALSE when the thread is gone. Sets
 * *comm_changed when its name differs from the last one read. */
gboolean        hearth_task_read_stat         (HearthTask      *task,
                                               HearthProcStat  *st,
                                               gboolean        *comm_changed);
/* Read /proc/PID/task/TID/syscall. FALSE when unreadable. */
gboolean        hearth_task_read_syscall      (HearthTask        *task,
                                               pid_t              pid,
                                               HearthProcSyscall *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthTaskList, hearth_task_list_free)

G_END_DECLS
