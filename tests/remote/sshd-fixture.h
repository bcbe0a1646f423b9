/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-ssh-destination.h"

G_BEGIN_DECLS

/*
 * A private OpenSSH server for one test program: /usr/sbin/sshd -D -e on
 * 127.0.0.1 and a free port, with a temporary ed25519 host key, a client
 * key in a temporary AuthorizedKeysFile and its own config and PidFile.
 * Clients use a temporary known_hosts (GlobalKnownHostsFile=/dev/null) and
 * a temporary connection-sharing directory. Nothing of the system's SSH
 * configuration is read or touched, except creating /run/sshd (sshd's
 * privilege separation directory) when it is missing.
 */
typedef struct
{
  char        *dir;           /* everything lives here; removed by stop */
  guint16      port;
  GSubprocess *sshd;
  char        *log_path;      /* sshd's stderr */
  char        *client_key;    /* authorized */
  char        *wrong_key;     /* not authorized */
  char        *host_key_pub;  /* "ssh-ed25519 AAAA…" */
  char        *known_hosts;   /* holds the real host key */
  char        *user;
  GPtrArray   *destinations;  /* every destination handed out, to close their masters */
} SshdFixture;

/* Start it in dir (NULL: a new temporary directory; either way removed by
 * stop). FALSE with the reason to skip if OpenSSH's server is not
 * installed or cannot run here; any other failure aborts the program. */
gboolean              sshd_fixture_start     (SshdFixture  *fixture,
                                              const char   *dir,
                                              char        **skip_reason);
/* In a g_test_trap_subprocess() child: use the parent's running server,
 * whose directory the parent passed down. stop() must not be called. */
void                  sshd_fixture_attach    (SshdFixture  *fixture,
                                              const char   *dir);
void                  sshd_fixture_stop      (SshdFixture *fixture);

/* A batch-mode destination for user@127.0.0.1 with the authorized key and
 * the good known_hosts, sharing connections in a directory of its own
 * (name it, e.g. after the test, to keep tests from sharing a master).
 * Owned by the fixture. */
HearthSshDestination *sshd_fixture_destination (SshdFixture *fixture,
                                                const char  *name);

/* How many logins sshd accepted so far (its log). */
guint                 sshd_fixture_count_logins (SshdFixture *fixture);

/* PIDs of sshd's per-connection processes (children of the listener). */
GArray               *sshd_fixture_sessions  (SshdFixture *fixture);

/* A free TCP port on 127.0.0.1 (nothing listens there right now). */
guint16               find_free_port         (void);

G_END_DECLS
