/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearth-proc.h"

static const char *
skip_spaces (const char *p,
             const char *end)
{
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\t'))
    p++;
  return p;
}

/* Parse one unsigned (decimal, or hex with 0x) or signed decimal token.
 * Returns the position after it, or NULL if there is no number. */
static const char *
parse_number (const char *p,
              const char *end,
              gint64     *out)
{
  char tmp[32];
  gsize n = 0;
  char *tail = NULL;

  p = skip_spaces (p, end);
  while (p + n < end && n < sizeof tmp - 1 && p[n] != ' ' && p[n] != '\n')
    {
      tmp[n] = p[n];
      n++;
    }
  if (n == 0)
    return NULL;
  tmp[n] = '\0';

  errno = 0;
  if (n > 2 && tmp[0] == '0' && tmp[1] == 'x')
    *out = (gint64) g_ascii_strtoull (tmp + 2, &tail, 16);
  else
    *out = g_ascii_strtoll (tmp, &tail, 10);
  if (errno != 0 || tail == NULL || *tail != '\0')
    return NULL;
  return p + n;
}

gboolean
hearth_proc_parse_stat (const char     *buf,
                        gsize           length,
                        HearthProcStat *out)
{
  const char *end = buf + length;
  const char *open_paren;
  const char *close_paren = NULL;
  const char *p;
  gint64 fields[22];
  gsize comm_len;

  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  open_paren = memchr (buf, '(', length);
  if (open_paren == NULL)
    return FALSE;
  /* comm may itself contain ')': the last one ends it */
  for (p = end; p > open_paren; p--)
    if (p[-1] == ')')
      {
        close_paren = p - 1;
        break;
      }
  if (close_paren == NULL)
    return FALSE;

  comm_len = MIN ((gsize) (close_paren - open_paren - 1), sizeof out->comm - 1);
  memcpy (out->comm, open_paren + 1, comm_len);
  out->comm[comm_len] = '\0';

  p = skip_spaces (close_paren + 1, end);
  if (p >= end)
    return FALSE;
  out->state = *p++;

  /* fields 4 (ppid) … 24 (rss) */
  for (guint i = 0; i < 21; i++)
    {
      p = parse_number (p, end, &fields[i]);
      if (p == NULL)
        return FALSE;
    }
  out->ppid = (gint32) fields[0];
  out->flags = (guint32) fields[5];
  out->utime = (guint64) fields[10];
  out->stime = (guint64) fields[11];
  out->num_threads = fields[16];
  out->starttime = (guint64) fields[18];
  out->rss_pages = fields[20];
  return TRUE;
}

gboolean
hearth_proc_parse_syscall (const char        *buf,
                           gsize              length,
                           HearthProcSyscall *out)
{
  const char *end = buf + length;
  const char *p = buf;
  gint64 value;

  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (length >= 7 && memcmp (buf, "running", 7) == 0)
    {
      out->nr = HEARTH_PROC_SYSCALL_RUNNING;
      return TRUE;
    }

  if ((p = parse_number (p, end, &value)) == NULL)
    return FALSE;
  out->nr = value;

  if (out->nr >= 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (out->args); i++)
        {
          if ((p = parse_number (p, end, &value)) == NULL)
            return FALSE;
          out->args[i] = (guint64) value;
        }
    }
  else
    out->nr = HEARTH_PROC_SYSCALL_NONE;

  if ((p = parse_number (p, end, &value)) == NULL)
    return FALSE;
  out->sp = (guint64) value;
  if ((p = parse_number (p, end, &value)) == NULL)
    return FALSE;
  out->pc = (guint64) value;
  return TRUE;
}

HearthThreadState
hearth_proc_state_from_char (char state)
{
  switch (state)
    {
    case 'R':
      return HEARTH_THREAD_STATE_RUNNING;
    case 'S':
      return HEARTH_THREAD_STATE_SLEEPING;
    case 'D':
      return HEARTH_THREAD_STATE_DISK_WAIT;
    default:
      return HEARTH_THREAD_STATE_OTHER;
    }
}

gssize
hearth_proc_pread (int    fd,
                   char  *buf,
                   gsize  size)
{
  gssize n;

  g_return_val_if_fail (size > 0, -1);

  do
    n = pread (fd, buf, size - 1, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -1;
  buf[n] = '\0';
  return n;
}

char *
hearth_proc_status_field (const char *status,
                          const char *key)
{
  gsize key_len = strlen (key);
  const char *line = status;

  while (line != NULL && *line != '\0')
    {
      const char *eol = strchr (line, '\n');

      if (strncmp (line, key, key_len) == 0 && line[key_len] == ':')
        {
          const char *value = line + key_len + 1;
          gsize len = eol ? (gsize) (eol - value) : strlen (value);

          return g_strstrip (g_strndup (value, len));
        }
      line = eol ? eol + 1 : NULL;
    }
  return NULL;
}

char *
hearth_proc_read (pid_t        pid,
                  const char  *name,
                  gsize       *length)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, name);
  GString *str;
  char buf[4096];
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;

  /* /proc files report size 0: read until EOF */
  str = g_string_new (NULL);
  for (;;)
    {
      gssize n = read (fd, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          g_string_free (str, TRUE);
          errno = saved;
          return NULL;
        }
      if (n == 0)
        break;
      g_string_append_len (str, buf, n);
    }
  close (fd);
  if (length != NULL)
    *length = str->len;
  return g_string_free (str, FALSE);
}

char *
hearth_proc_read_cmdline (pid_t pid)
{
  gsize length = 0;
  char *cmdline = hearth_proc_read (pid, "cmdline", &length);

  if (cmdline == NULL)
    return g_strdup ("");
  while (length > 0 && cmdline[length - 1] == '\0')
    length--;
  for (gsize i = 0; i < length; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  cmdline[length] = '\0';
  return cmdline;
}

pid_t
hearth_proc_get_nspid (pid_t pid)
{
  g_autofree char *status = hearth_proc_read (pid, "status", NULL);
  g_autofree char *nspid = NULL;
  const char *last;

  if (status == NULL || (nspid = hearth_proc_status_field (status, "NSpid")) == NULL)
    return pid;
  /* "NSpid:\t4242\t17": the last one is the innermost namespace */
  last = strrchr (nspid, '\t');
  last = last ? last + 1 : nspid;
  return (pid_t) MAX (1, atoi (last));
}
