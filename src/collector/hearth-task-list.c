/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearth-task-list.h"

struct _HearthTaskList
{
  /* owned */
  DIR        *dir;
  GPtrArray  *tasks;      /* HearthTask*, sorted by tid */
  GHashTable *by_tid;     /* tid → HearthTask* (borrowed from tasks) */

  /* state */
  pid_t       pid;
};

static void
task_free (gpointer data)
{
  HearthTask *task = data;

  if (task->stat_fd >= 0)
    close (task->stat_fd);
  if (task->syscall_fd >= 0)
    close (task->syscall_fd);
  g_free (task);
}

static int
open_task_file (pid_t       pid,
                pid_t       tid,
                const char *name)
{
  char path[64];

  g_snprintf (path, sizeof path, "/proc/%d/task/%d/%s", (int) pid, (int) tid, name);
  return open (path, O_RDONLY | O_CLOEXEC);
}

HearthTaskList *
hearth_task_list_new (pid_t pid)
{
  HearthTaskList *self = g_new0 (HearthTaskList, 1);

  self->pid = pid;
  self->tasks = g_ptr_array_new_with_free_func (task_free);
  self->by_tid = g_hash_table_new (NULL, NULL);
  return self;
}

void
hearth_task_list_free (HearthTaskList *self)
{
  if (self == NULL)
    return;
  if (self->dir != NULL)
    closedir (self->dir);
  g_hash_table_unref (self->by_tid);
  g_ptr_array_unref (self->tasks);
  g_free (self);
}

static int
compare_task (gconstpointer a,
              gconstpointer b)
{
  const HearthTask *ta = *(HearthTask * const *) a;
  const HearthTask *tb = *(HearthTask * const *) b;

  return (ta->tid > tb->tid) - (ta->tid < tb->tid);
}

gboolean
hearth_task_list_refresh (HearthTaskList *self)
{
  struct dirent *entry;
  gboolean added = FALSE;

  if (self->dir == NULL)
    {
      char path[64];

      g_snprintf (path, sizeof path, "/proc/%d/task", (int) self->pid);
      if ((self->dir = opendir (path)) == NULL)
        return FALSE;
    }
  else
    rewinddir (self->dir);

  for (guint i = 0; i < self->tasks->len; i++)
    ((HearthTask *) g_ptr_array_index (self->tasks, i))->seen = FALSE;

  errno = 0;
  while ((entry = readdir (self->dir)) != NULL)
    {
      char *end = NULL;
      long tid = strtol (entry->d_name, &end, 10);
      HearthTask *task;

      if (end == entry->d_name || *end != '\0' || tid <= 0)
        continue;
      task = g_hash_table_lookup (self->by_tid, GINT_TO_POINTER ((int) tid));
      if (task == NULL)
        {
          task = g_new0 (HearthTask, 1);
          task->tid = (pid_t) tid;
          task->syscall_fd = -1;
          task->last_sample_ns = -1;
          task->stat_fd = open_task_file (self->pid, task->tid, "stat");
          if (task->stat_fd < 0)
            {
              /* exited between the listing and the open */
              g_free (task);
              continue;
            }
          g_ptr_array_add (self->tasks, task);
          g_hash_table_insert (self->by_tid, GINT_TO_POINTER (task->tid), task);
          added = TRUE;
        }
      task->seen = TRUE;
    }
  /* a process that is gone lists no task at all */
  if (errno != 0 && self->tasks->len == 0)
    return FALSE;

  for (guint i = self->tasks->len; i > 0; i--)
    {
      HearthTask *task = g_ptr_array_index (self->tasks, i - 1);

      if (!task->seen)
        {
          g_hash_table_remove (self->by_tid, GINT_TO_POINTER (task->tid));
          g_ptr_array_remove_index (self->tasks, i - 1);
        }
    }
  if (added)
    g_ptr_array_sort (self->tasks, compare_task);
  return self->tasks->len > 0;
}

guint
hearth_task_list_get_n_tasks (HearthTaskList *self)
{
  return self->tasks->len;
}

HearthTask *
hearth_task_list_get_task (HearthTaskList *self,
                           guint           i)
{
  g_return_val_if_fail (i < self->tasks->len, NULL);
  return g_ptr_array_index (self->tasks, i);
}

gboolean
hearth_task_read_stat (HearthTask     *task,
                       HearthProcStat *st,
                       gboolean       *comm_changed)
{
  char buf[1024];
  gssize n = hearth_proc_pread (task->stat_fd, buf, sizeof buf);

  *comm_changed = FALSE;
  if (n <= 0 || !hearth_proc_parse_stat (buf, n, st))
    return FALSE;
  if (strcmp (task->comm, st->comm) != 0)
    {
      g_strlcpy (task->comm, st->comm, sizeof task->comm);
      *comm_changed = TRUE;
    }
  return TRUE;
}

gboolean
hearth_task_read_syscall (HearthTask        *task,
                          pid_t              pid,
                          HearthProcSyscall *out)
{
  char buf[256];
  gssize n;

  if (task->syscall_fd < 0 &&
      (task->syscall_fd = open_task_file (pid, task->tid, "syscall")) < 0)
    return FALSE;
  n = hearth_proc_pread (task->syscall_fd, buf, sizeof buf);
  return n > 0 && hearth_proc_parse_syscall (buf, n, out);
}
