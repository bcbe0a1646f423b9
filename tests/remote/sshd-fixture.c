/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "remote-test-util.h"
#include "sshd-fixture.h"

#define SSHD "/usr/sbin/sshd"
#define READY_TIMEOUT_US (10 * G_TIME_SPAN_SECOND)

guint16
find_free_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  guint16 port;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &len), ==, 0);
  port = ntohs (addr.sin_port);
  close (fd);
  return port;
}

static gboolean
port_accepts (guint16 port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port),
                              .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean ok = connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0;

  close (fd);
  return ok;
}

static char *
make_key (const char *dir,
          const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_free (run_or_fail ((const char *[]) { "ssh-keygen", "-q", "-t", "ed25519", "-N", "",
                                          "-C", name, "-f", path, NULL }, NULL));
  return g_steal_pointer (&path);
}

/* "ssh-ed25519 AAAA…" without the comment. */
static char *
read_public (const char *key)
{
  g_autofree char *path = g_strconcat (key, ".pub", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  fields = g_strsplit (g_strstrip (text), " ", 3);
  return g_strdup_printf ("%s %s", fields[0], fields[1]);
}

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Runs in the child before exec: an aborted test leaves no sshd behind. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
try_start (SshdFixture *f,
           gboolean    *port_in_use)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = g_build_filename (f->dir, "sshd_config", NULL);
  gint64 deadline;

  f->port = find_free_port ();
  config = g_strdup_printf ("Port %u\n"
                            "ListenAddress 127.0.0.1\n"
                            "HostKey %s/host_key\n"
                            "AuthorizedKeysFile %s/authorized_keys\n"
                            "PidFile %s/sshd.pid\n"
                            "StrictModes no\n"
                            "UsePAM no\n"
                            "PermitRootLogin prohibit-password\n"
                            "PubkeyAuthentication yes\n"
                            "PasswordAuthentication no\n"
                            "KbdInteractiveAuthentication no\n"
                            "AllowTcpForwarding no\n"
                            "X11Forwarding no\n"
                            "PermitTTY no\n"
                            "PrintMotd no\n"
                            "MaxStartups 100\n"
                            "MaxSessions 50\n"
                            "LogLevel INFO\n",
                            f->port, f->dir, f->dir, f->dir);
  write_file (f->dir, "sshd_config", config);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (launcher, f->log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  f->sshd = g_subprocess_launcher_spawn (launcher, &error, SSHD, "-D", "-e", "-f", config_path, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + READY_TIMEOUT_US;
  while (g_get_monotonic_time () < deadline)
    {
      if (g_subprocess_get_identifier (f->sshd) == NULL)
        break;
      if (port_accepts (f->port))
        return TRUE;
      g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }

  {
    g_autofree char *log = NULL;

    g_file_get_contents (f->log_path, &log, NULL, NULL);
    *port_in_use = log != NULL && strstr (log, "Address already in use") != NULL;
    g_subprocess_force_exit (f->sshd);
    g_subprocess_wait (f->sshd, NULL, NULL);
    g_clear_object (&f->sshd);
    if (!*port_in_use)
      g_error ("sshd did not start: %s", log ? log : "(no log)");
  }
  return FALSE;
}

gboolean
sshd_fixture_start (SshdFixture  *f,
                    const char   *dir,
                    char        **skip_reason)
{
  g_autofree char *client_pub = NULL;
  g_autofree char *host_key = NULL;
  g_autofree char *known = NULL;
  g_autofree char *authorized = NULL;
  gboolean port_in_use = FALSE;

  g_autofree char *ssh = g_find_program_in_path ("ssh");

  memset (f, 0, sizeof *f);
  if (!g_file_test (SSHD, G_FILE_TEST_IS_EXECUTABLE) || ssh == NULL)
    {
      *skip_reason = g_strdup ("OpenSSH (openssh-server and openssh-client) is not installed; "
                               "build-aux/install-deps.sh --test installs it");
      return FALSE;
    }
  /* sshd refuses to start without its privilege separation directory. */
  if (!g_file_test ("/run/sshd", G_FILE_TEST_IS_DIR) && g_mkdir ("/run/sshd", 0755) != 0)
    {
      *skip_reason = g_strdup ("/run/sshd is missing and cannot be created (not root)");
      return FALSE;
    }

  f->dir = dir != NULL ? g_strdup (dir) : g_dir_make_tmp ("hearth-sshd-XXXXXX", NULL);
  f->log_path = g_build_filename (f->dir, "sshd.log", NULL);
  f->user = g_strdup (g_get_user_name ());
  f->destinations = g_ptr_array_new_with_free_func ((GDestroyNotify) hearth_ssh_destination_free);

  host_key = make_key (f->dir, "host_key");
  f->client_key = make_key (f->dir, "client_key");
  f->wrong_key = make_key (f->dir, "wrong_key");
  f->host_key_pub = read_public (host_key);
  client_pub = read_public (f->client_key);

  authorized = g_strdup_printf ("%s\n", client_pub);
  write_file (f->dir, "authorized_keys", authorized);

  for (guint attempt = 0; attempt < 5; attempt++)
    {
      if (try_start (f, &port_in_use))
        break;
    }
  g_assert_nonnull (f->sshd);

  f->known_hosts = g_build_filename (f->dir, "known_hosts", NULL);
  known = g_strdup_printf ("[127.0.0.1]:%u %s\n", f->port, f->host_key_pub);
  write_file (f->dir, "known_hosts", known);
  {
    g_autofree char *port = g_strdup_printf ("%u", f->port);
    write_file (f->dir, "port", port);
  }

  return TRUE;
}

HearthSshDestination *
sshd_fixture_destination (SshdFixture *f,
                          const char  *name)
{
  g_autofree char *destination = g_strdup_printf ("%s@127.0.0.1", f->user);
  g_autofree char *control = g_build_filename (f->dir, name, NULL);
  HearthSshDestination *dest = hearth_ssh_destination_new (destination);

  g_mkdir (control, 0700);
  dest->port = f->port;
  dest->identity_file = g_strdup (f->client_key);
  dest->batch_mode = TRUE;
  dest->control_dir = g_steal_pointer (&control);
  dest->known_hosts_file = g_strdup (f->known_hosts);
  dest->global_known_hosts_file = g_strdup ("/dev/null");
  dest->connect_timeout = 5;

  g_ptr_array_add (f->destinations, dest);
  return dest;
}

guint
sshd_fixture_count_logins (SshdFixture *f)
{
  g_autofree char *log = NULL;
  guint n = 0;

  if (!g_file_get_contents (f->log_path, &log, NULL, NULL))
    return 0;
  for (const char *p = log; (p = strstr (p, "Accepted publickey for ")) != NULL; p++)
    n++;
  return n;
}

GArray *
sshd_fixture_sessions (SshdFixture *f)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *ident = f->sshd ? g_subprocess_get_identifier (f->sshd) : NULL;
  int sshd_pid = ident ? atoi (ident) : -1;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      const char *ppid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_strdup_printf ("/proc/%s/status", name);
      if (!g_file_get_contents (path, &text, NULL, NULL) || !(ppid = strstr (text, "\nPPid:")))
        continue;
      if (atoi (ppid + strlen ("\nPPid:")) == sshd_pid)
        {
          GPid pid = atoi (name);
          g_array_append_val (pids, pid);
        }
    }
  return pids;
}

void
sshd_fixture_attach (SshdFixture *f,
                     const char  *dir)
{
  g_autofree char *port_path = g_build_filename (dir, "port", NULL);
  g_autofree char *port = NULL;

  memset (f, 0, sizeof *f);
  g_assert_true (g_file_get_contents (port_path, &port, NULL, NULL));
  f->port = atoi (port);
  f->dir = g_strdup (dir);
  f->log_path = g_build_filename (dir, "sshd.log", NULL);
  f->user = g_strdup (g_get_user_name ());
  f->client_key = g_build_filename (dir, "client_key", NULL);
  f->wrong_key = g_build_filename (dir, "wrong_key", NULL);
  f->known_hosts = g_build_filename (dir, "known_hosts", NULL);
  f->destinations = g_ptr_array_new_with_free_func ((GDestroyNotify) hearth_ssh_destination_free);
}

void
sshd_fixture_stop (SshdFixture *f)
{
  if (f->dir == NULL)
    return;

  /* Close every shared connection we opened, then the sessions that are
   * left, then the listener. */
  for (guint i = 0; f->destinations && i < f->destinations->len; i++)
    hearth_ssh_destination_close_master (g_ptr_array_index (f->destinations, i));

  if (f->sshd != NULL)
    {
      g_autoptr(GArray) sessions = sshd_fixture_sessions (f);

      for (guint i = 0; i < sessions->len; i++)
        kill (g_array_index (sessions, GPid, i), SIGTERM);
      g_subprocess_send_signal (f->sshd, SIGTERM);
      g_subprocess_wait (f->sshd, NULL, NULL);
      g_clear_object (&f->sshd);
    }

  if (g_getenv ("HEARTH_KEEP_SSHD_DIR") == NULL)
    rm_rf (f->dir);
  else
    g_printerr ("# sshd files kept in %s\n", f->dir);

  g_clear_pointer (&f->destinations, g_ptr_array_unref);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->log_path, g_free);
  g_clear_pointer (&f->client_key, g_free);
  g_clear_pointer (&f->wrong_key, g_free);
  g_clear_pointer (&f->host_key_pub, g_free);
  g_clear_pointer (&f->known_hosts, g_free);
  g_clear_pointer (&f->user, g_free);
}
