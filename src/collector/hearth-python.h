/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "hearth-stream.h"

G_BEGIN_DECLS

/*
 * Reading CPython 3.11–3.13 frames of another process with
 * process_vm_readv only (no ptrace stop), and merging them into native
 * stacks. Contract between the sampler (hearth-sampler*.c) and the Python
 * reader (hearth-python*.c).
 */

typedef struct _HearthPython HearthPython;

#define HEARTH_PYTHON_ERROR (hearth_python_error_quark ())

typedef enum
{
  HEARTH_PYTHON_ERROR_UNSUPPORTED,  /* version, build or architecture we cannot read */
  HEARTH_PYTHON_ERROR_BINARY,       /* cannot read the interpreter's ELF file */
  HEARTH_PYTHON_ERROR_READ,         /* process_vm_readv failed (permission, exited) */
} HearthPythonError;

GQuark hearth_python_error_quark (void);

typedef struct
{
  HearthStreamFrame frame;    /* kind PYTHON; name = qualified name, module = file
                                 = co_filename, line, function_line, address 0;
                                 strings owned by the reader, valid until
                                 hearth_python_free() */
  gboolean          is_entry; /* first (rootmost) Python frame run by one native
                                 _PyEval_EvalFrameDefault activation
                                 (3.11 is_entry; 3.12+ frame above a C-stack shim) */
} HearthPyFrame;

typedef struct
{
  gint32  tid;                /* native_thread_id */
  GArray *frames;             /* HearthPyFrame, leaf first */
  gboolean partial;           /* the chain changed while read, even after a retry */
} HearthPyThread;

/* Detect CPython in pid (only ELF files are opened unless it is Python).
 * Returns NULL without error if the process is not Python (or
 * HEARTH_PYTHON=0 is set). Returns NULL with a HEARTH_PYTHON_ERROR if it
 * is Python but cannot be read (a message for the user naming the
 * process, the interpreter and why): the caller warns once and goes on
 * native-only. Free the result with hearth_python_free(). */
HearthPython *hearth_python_attach      (pid_t          pid,
                                         GError       **error);
void          hearth_python_free        (HearthPython  *self);
/* "3.11.2" etc. */
const char   *hearth_python_get_version (HearthPython  *self);

/* Read every Python thread state and its frames, without stopping
 * anything. Returns an array of HearthPyThread owned by self, valid until
 * the next hearth_python_sample(); NULL with HEARTH_PYTHON_ERROR_READ when
 * the runtime cannot be read (the process exited). A thread whose chain
 * moved while read is read again, then marked partial. */
GArray       *hearth_python_sample      (HearthPython  *self,
                                         GError       **error);
/* The thread of one tid in the last sample, or NULL. */
const HearthPyThread *hearth_python_find_thread (HearthPython *self,
                                         gint32         tid);

/* True if a native frame's function name is the CPython evaluation loop
 * (_PyEval_EvalFrameDefault, including ".cold" parts). */
gboolean      hearth_python_is_eval_frame (const char  *native_name);

/* Read only the thread tid (for a thread the sampler holds stopped, so
 * its chain is consistent). Replaces that thread's entry of the last
 * sample and leaves the others as they were. Returns the thread, owned by
 * self and valid until the next hearth_python_sample(), or NULL if tid
 * has no Python thread state (error unset) or on a read failure (error
 * set). */
const HearthPyThread *hearth_python_sample_thread (HearthPython *self,
                                         gint32         tid,
                                         GError       **error);

/* Path of the ELF file that holds the interpreter (python3.11 or
 * libpython3.X.so), as seen in /proc/PID/maps. */
const char   *hearth_python_get_module_path (HearthPython *self);

typedef struct
{
  guint64 samples;          /* sample / sample_thread calls */
  guint64 threads;          /* thread chains read */
  guint64 frames;           /* Python frames produced */
  guint64 syscalls;         /* process_vm_readv calls */
  guint64 retries;          /* chains read twice because they changed */
  guint64 partial;          /* chains still changing after the retry */
  guint64 code_hits;        /* code objects validated from the cache */
  guint64 code_misses;      /* code objects (re)read */
  guint64 rescans;          /* thread-state list walked again */
} HearthPyStats;

void          hearth_python_get_stats   (HearthPython  *self,
                                         HearthPyStats *stats);

/* Merge native frames (leaf first) with the Python frames of the same
 * thread (leaf first) into out (a GArray of HearthStreamFrame, ROOT first,
 * strings borrowed from the inputs; out is cleared first). Each native
 * eval-loop frame is replaced by the Python frames it runs; interpreter
 * frames between two eval frames (call glue) are dropped, all others
 * kept (docs/python.md). Returns FALSE if the counts do not match; out
 * then holds the Python stack plus the native leaf frames below the
 * innermost eval frame (the sample is never dropped). */
gboolean      hearth_python_merge       (const HearthStreamFrame *native,
                                         guint                    n_native,
                                         const HearthPyFrame     *py,
                                         guint                    n_py,
                                         GArray                  *out);

/* Append the Python frames (leaf first in py) to out (HearthStreamFrame)
 * root first: the Python part of a --python-only sample, to which the
 * caller appends the native leaf (e.g. the syscall). */
void          hearth_python_append_stack (const HearthPyFrame    *py,
                                          guint                   n_py,
                                          GArray                 *out);

G_END_DECLS
