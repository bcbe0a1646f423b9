/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearth-attach-check.h"
#include "hearth-sampler-error.h"

#define CAP_SYS_PTRACE_BIT 19

typedef struct
{
  uid_t target_uid;          /* effective uid of the target */
  gboolean target_uids_match;/* real, effective, saved and fs uid all equal ours */
  gint32 tracer_pid;
  int yama_scope;            /* -1 when the Yama LSM is not there */
  gboolean have_cap;         /* we hold CAP_SYS_PTRACE */
  gboolean seccomp_filtered; /* we run under a seccomp filter */
  gboolean descendant;       /* the target descends from us */
} AttachFacts;

static char *
dup_comm (pid_t pid)
{
  g_autofree char *comm = hearth_proc_read (pid, "comm", NULL);

  if (comm == NULL)
    return g_strdup ("?");
  return g_strstrip (g_steal_pointer (&comm));
}

static char *
user_name (uid_t uid)
{
  struct passwd pwd, *result = NULL;
  char buf[1024];

  if (getpwuid_r (uid, &pwd, buf, sizeof buf, &result) == 0 && result != NULL)
    return g_strdup (result->pw_name);
  return g_strdup_printf ("%u", (guint) uid);
}

static int
read_yama_scope (void)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/yama/ptrace_scope", &contents, NULL, NULL))
    return -1;
  return atoi (contents);
}

static gboolean
self_has_cap_sys_ptrace (const char *self_status)
{
  g_autofree char *cap_eff = hearth_proc_status_field (self_status, "CapEff");
  guint64 caps;

  if (cap_eff == NULL)
    return geteuid () == 0;
  caps = g_ascii_strtoull (cap_eff, NULL, 16);
  return (caps & (G_GUINT64_CONSTANT (1) << CAP_SYS_PTRACE_BIT)) != 0;
}

static gboolean
is_descendant (pid_t pid)
{
  pid_t self = getpid ();

  /* bounded: a ppid loop cannot make us spin */
  for (guint depth = 0; pid > 1 && depth < 4096; depth++)
    {
      g_autofree char *stat = NULL;
      gsize length = 0;
      HearthProcStat st;

      if (pid == self)
        return TRUE;
      stat = hearth_proc_read (pid, "stat", &length);
      if (stat == NULL || !hearth_proc_parse_stat (stat, length, &st))
        return FALSE;
      pid = st.ppid;
    }
  return FALSE;
}

static void
gather_facts (pid_t        pid,
              AttachFacts *facts)
{
  g_autofree char *status = hearth_proc_read (pid, "status", NULL);
  g_autofree char *self_status = hearth_proc_read (getpid (), "status", NULL);
  g_autofree char *uids = NULL;
  g_autofree char *tracer = NULL;
  g_autofree char *seccomp = NULL;

  memset (facts, 0, sizeof *facts);
  facts->yama_scope = read_yama_scope ();
  facts->have_cap = self_status ? self_has_cap_sys_ptrace (self_status) : FALSE;
  facts->descendant = is_descendant (pid);
  facts->target_uids_match = TRUE;

  if (self_status != NULL && (seccomp = hearth_proc_status_field (self_status, "Seccomp")) != NULL)
    facts->seccomp_filtered = atoi (seccomp) == 2;

  if (status == NULL)
    return;

  if ((uids = hearth_proc_status_field (status, "Uid")) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit_set (uids, " \t", -1);
      uid_t self_uid = getuid ();
      guint n = 0;

      for (guint i = 0; parts[i] != NULL; i++)
        {
          if (parts[i][0] == '\0')
            continue;
          if (n == 1)
            facts->target_uid = (uid_t) atoi (parts[i]);
          if ((uid_t) atoi (parts[i]) != self_uid)
            facts->target_uids_match = FALSE;
          n++;
        }
    }
  if ((tracer = hearth_proc_status_field (status, "TracerPid")) != NULL)
    facts->tracer_pid = atoi (tracer);
}

/* The rule that stops us, as one sentence saying what to do. */
static char *
explain_denial (pid_t pid)
{
  AttachFacts facts;

  gather_facts (pid, &facts);

  if (facts.tracer_pid != 0 && facts.tracer_pid != getpid ())
    {
      g_autofree char *tracer = dup_comm (facts.tracer_pid);

      return g_strdup_printf (_("It is already being traced by process %d (%s); a process can have one tracer only. Detach that debugger or tracer first."),
                              facts.tracer_pid, tracer);
    }
  if (facts.yama_scope == 3)
    return g_strdup (_("kernel.yama.ptrace_scope is 3: attaching is disabled for everyone until the next reboot."));
  if (!facts.have_cap && !facts.target_uids_match)
    {
      g_autofree char *owner = user_name (facts.target_uid);
      g_autofree char *self = user_name (getuid ());

      if (facts.yama_scope > 0)
        return g_strdup_printf (_("It belongs to user %s (uid %u) and the collector runs as %s (uid %u). Run as that user or with CAP_SYS_PTRACE (for example with sudo); kernel.yama.ptrace_scope is %d."),
                                owner, (guint) facts.target_uid, self, (guint) getuid (), facts.yama_scope);
      return g_strdup_printf (_("It belongs to user %s (uid %u) and the collector runs as %s (uid %u). Run as that user or with CAP_SYS_PTRACE (for example with sudo)."),
                              owner, (guint) facts.target_uid, self, (guint) getuid ());
    }
  if (!facts.have_cap && facts.yama_scope == 2)
    return g_strdup (_("kernel.yama.ptrace_scope is 2: only processes with CAP_SYS_PTRACE may attach. Run the collector with sudo or grant it CAP_SYS_PTRACE."));
  if (!facts.have_cap && facts.yama_scope == 1 && !facts.descendant)
    return g_strdup (_("kernel.yama.ptrace_scope is 1: only a parent process may attach. Start the program under the collector (record -- COMMAND), run with CAP_SYS_PTRACE, or set kernel.yama.ptrace_scope to 0."));
  if (!facts.have_cap && geteuid () == 0)
    return g_strdup (_("The collector runs as root but without CAP_SYS_PTRACE, as in a container started without it. Start the container with --cap-add SYS_PTRACE."));
  if (facts.seccomp_filtered)
    return g_strdup (_("ptrace is blocked by a seccomp filter, as in a container with the default profile. Start the container with --cap-add SYS_PTRACE (or a seccomp profile that allows ptrace)."));
  if (!facts.have_cap)
    return g_strdup (_("The process is not dumpable (a setuid program, or it called prctl(PR_SET_DUMPABLE, 0)). Run the collector with CAP_SYS_PTRACE (for example with sudo)."));
  return g_strdup (_("The kernel refused access; a security module (SELinux, AppArmor) may forbid ptrace here."));
}

GError *
hearth_attach_error_new (pid_t pid,
                         int   errsv)
{
  g_autofree char *comm = dup_comm (pid);

  if (errsv == ESRCH || errsv == ENOENT)
    return g_error_new (HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_NO_SUCH_PROCESS,
                        _("No process with PID %d exists. Check the PID with `hearth-collector ps`."),
                        (int) pid);
  if (errsv == EPERM || errsv == EACCES)
    {
      g_autofree char *why = explain_denial (pid);

      return g_error_new (HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_PERMISSION_DENIED,
                          _("Cannot attach to process %d (%s): permission denied. %s"),
                          (int) pid, comm, why);
    }
  return g_error_new (HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_FAILED,
                      _("Cannot attach to process %d (%s): %s."),
                      (int) pid, comm, g_strerror (errsv));
}

/* Opening /proc/PID/mem runs the kernel's ptrace access check (uids,
 * dumpable, capabilities, Yama) without attaching to anything. */
static int
probe_mem_access (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/mem", (int) pid);
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return errno;
  close (fd);
  return 0;
}

static gboolean
check_stat (pid_t                 pid,
            const HearthProcStat *st,
            GError              **error)
{
  if (pid == getpid ())
    {
      g_set_error (error, HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_SELF,
                   _("Process %d is the collector itself and cannot be sampled."), (int) pid);
      return FALSE;
    }
  if ((st->flags & HEARTH_PROC_PF_KTHREAD) != 0)
    {
      g_set_error (error, HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_KERNEL_THREAD,
                   _("Process %d (%s) is a kernel thread: it has no user-space stack to sample."),
                   (int) pid, st->comm);
      return FALSE;
    }
  if (st->state == 'Z' || st->state == 'X')
    {
      g_set_error (error, HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_ZOMBIE,
                   _("Process %d (%s) has exited and is a zombie waiting for its parent (PID %d) to reap it; there is nothing to sample."),
                   (int) pid, st->comm, (int) st->ppid);
      return FALSE;
    }
  return TRUE;
}

gboolean
hearth_attach_check (pid_t    pid,
                     GError **error)
{
  g_autofree char *stat = NULL;
  gsize length = 0;
  HearthProcStat st;
  int errsv;

  if (pid <= 0)
    {
      g_set_error (error, HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_NO_SUCH_PROCESS,
                   _("%d is not a valid PID."), (int) pid);
      return FALSE;
    }
  stat = hearth_proc_read (pid, "stat", &length);
  if (stat == NULL || !hearth_proc_parse_stat (stat, length, &st))
    {
      g_set_error (error, HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_NO_SUCH_PROCESS,
                   _("No process with PID %d exists. Check the PID with `hearth-collector ps`."),
                   (int) pid);
      return FALSE;
    }
  if (!check_stat (pid, &st, error))
    return FALSE;
  if ((errsv = probe_mem_access (pid)) != 0)
    {
      g_propagate_error (error, hearth_attach_error_new (pid, errsv));
      return FALSE;
    }
  return TRUE;
}

gboolean
hearth_attach_probe (pid_t                 pid,
                     const HearthProcStat *st,
                     char                **reason)
{
  g_autoptr(GError) error = NULL;
  AttachFacts facts;
  int errsv;

  g_return_val_if_fail (reason != NULL, FALSE);

  *reason = NULL;
  if (!check_stat (pid, st, &error))
    {
      if (g_error_matches (error, HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_SELF))
        *reason = g_strdup (_("the collector itself"));
      else if (g_error_matches (error, HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_KERNEL_THREAD))
        *reason = g_strdup (_("kernel thread"));
      else
        *reason = g_strdup (_("zombie"));
      return FALSE;
    }
  if ((errsv = probe_mem_access (pid)) != 0)
    {
      if (errsv == ENOENT || errsv == ESRCH)
        *reason = g_strdup (_("exited"));
      else
        *reason = explain_denial (pid);
      return FALSE;
    }
  gather_facts (pid, &facts);
  if (facts.tracer_pid != 0)
    {
      *reason = explain_denial (pid);
      return FALSE;
    }
  return TRUE;
}
