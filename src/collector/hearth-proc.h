/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "hearth-types.h"

G_BEGIN_DECLS

/* Parsers for /proc text files. They take the bytes read from the file
 * (which may be cut short or hostile) and never read past length. */

#define HEARTH_PROC_PF_KTHREAD 0x00200000u

typedef struct
{
  char    comm[64];     /* between the first '(' and the last ')' */
  char    state;        /* 'R', 'S', 'D', 'T', 't', 'Z', 'X', 'I', … */
  gint32  ppid;
  guint32 flags;        /* PF_* */
  guint64 utime;        /* clock ticks */
  guint64 stime;
  gint64  num_threads;
  guint64 starttime;    /* clock ticks since boot */
  gint64  rss_pages;
} HearthProcStat;

/* nr values besides a real syscall number */
#define HEARTH_PROC_SYSCALL_NONE    (-1)  /* blocked, but not in a syscall */
#define HEARTH_PROC_SYSCALL_RUNNING (-2)  /* "running": no user registers */

typedef struct
{
  gint64  nr;
  guint64 args[6];
  guint64 sp;
  guint64 pc;
} HearthProcSyscall;

gboolean          hearth_proc_parse_stat       (const char        *buf,
                                                gsize              length,
                                                HearthProcStat    *out);
gboolean          hearth_proc_parse_syscall    (const char        *buf,
                                                gsize              length,
                                                HearthProcSyscall *out);
HearthThreadState hearth_proc_state_from_char  (char               state);

/* pread() from offset 0 into buf, NUL-terminated; returns the length or
 * -1 with errno set. Used on kept-open /proc fds. */
gssize            hearth_proc_pread            (int                fd,
                                                char              *buf,
                                                gsize              size);

/* The value of "Key:" in a /proc/PID/status text, stripped, or NULL. */
char             *hearth_proc_status_field     (const char        *status,
                                                const char        *key);
/* The whole of /proc/PID/<name> as a string, or NULL with errno set. */
char             *hearth_proc_read             (pid_t              pid,
                                                const char        *name,
                                                gsize             *length);
/* The command line with arguments joined by spaces (NUL bytes replaced),
 * or an empty string for kernel threads or when unreadable. */
char             *hearth_proc_read_cmdline     (pid_t              pid);
/* Innermost namespace PID from the NSpid: line, or pid itself. */
pid_t             hearth_proc_get_nspid        (pid_t              pid);

G_END_DECLS
