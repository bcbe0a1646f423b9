/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-python-private.h"
#include "python-test-util.h"

/*
 * Unit tests of the pure parts of the Python reader: merging Python frames
 * into native stacks (synthetic stacks shaped like the real ones), and the
 * decoders of location tables (checked against CPython's own co_lines())
 * and of str objects.
 */

#define LIBC   "/usr/lib/x86_64-linux-gnu/libc.so.6"
#define PYEXE  "/usr/bin/python3.11"
#define EXT    "/usr/lib/python3/dist-packages/_speedups.cpython-311-x86_64-linux-gnu.so"

static HearthStreamFrame
native (const char *name,
        const char *module)
{
  return (HearthStreamFrame) { .name = name, .module = module, .kind = HEARTH_FRAME_KIND_NATIVE };
}

static HearthPyFrame
pyframe (const char *name,
         gboolean    is_entry)
{
  HearthPyFrame f = { 0 };

  f.frame.name = name;
  f.frame.module = f.frame.file = "app.py";
  f.frame.line = 1;
  f.frame.kind = HEARTH_FRAME_KIND_PYTHON;
  f.is_entry = is_entry;
  return f;
}

/* "a;b;c" root first, Python frames marked with a "py:" prefix. */
static char *
stack_text (GArray *out)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < out->len; i++)
    {
      const HearthStreamFrame *f = &g_array_index (out, HearthStreamFrame, i);

      g_string_append_printf (s, "%s%s%s", i ? ";" : "",
                              f->kind == HEARTH_FRAME_KIND_PYTHON ? "py:" : "", f->name);
    }
  return g_string_free (s, FALSE);
}

/* The worker thread of the seed story as eu-stack and the reader see it
 * on Debian's stripped python3.11 (sampler-notes §4.5). */
static const HearthStreamFrame *
seed_native (guint *n)
{
  static HearthStreamFrame frames[9];

  frames[0] = native ("clock_nanosleep", LIBC);
  frames[1] = native ("python3.11+0x1e2f4a", PYEXE);        /* time_sleep, unnamed */
  frames[2] = native ("_PyEval_EvalFrameDefault", PYEXE);
  frames[3] = native ("_PyFunction_Vectorcall", PYEXE);
  frames[4] = native ("PyObject_Call", PYEXE);
  frames[5] = native ("_PyEval_EvalFrameDefault", PYEXE);
  frames[6] = native ("python3.11+0x2b1e10", PYEXE);        /* thread_run */
  frames[7] = native ("start_thread", LIBC);
  frames[8] = native ("__clone3", LIBC);
  *n = G_N_ELEMENTS (frames);
  return frames;
}

static const HearthPyFrame *
seed_python (guint *n)
{
  static HearthPyFrame frames[9];

  frames[0] = pyframe ("retry_backoff", FALSE);
  frames[1] = pyframe ("queue_push", FALSE);
  frames[2] = pyframe ("update_docs", FALSE);
  frames[3] = pyframe ("report_view", FALSE);
  frames[4] = pyframe ("worker_main", FALSE);
  frames[5] = pyframe ("main.<locals>.run", TRUE);
  frames[6] = pyframe ("Thread.run", FALSE);
  frames[7] = pyframe ("Thread._bootstrap_inner", FALSE);
  frames[8] = pyframe ("Thread._bootstrap", TRUE);
  *n = G_N_ELEMENTS (frames);
  return frames;
}

static void
test_merge_seed_story (void)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (HearthStreamFrame));
  g_autofree char *text = NULL;
  guint n_native, n_py;
  const HearthStreamFrame *nat = seed_native (&n_native);
  const HearthPyFrame *py = seed_python (&n_py);

  g_assert_true (hearth_python_merge (nat, n_native, py, n_py, out));
  text = stack_text (out);
  /* Native frames above (thread start) and below (time_sleep, libc) stay;
   * each eval frame became its Python run; the call glue between the two
   * runs (_PyFunction_Vectorcall, PyObject_Call) is gone. */
  g_assert_cmpstr (text, ==,
                   "__clone3;start_thread;python3.11+0x2b1e10;"
                   "py:Thread._bootstrap;py:Thread._bootstrap_inner;py:Thread.run;py:main.<locals>.run;"
                   "py:worker_main;py:report_view;py:update_docs;py:queue_push;py:retry_backoff;"
                   "python3.11+0x1e2f4a;clock_nanosleep");
}

static void
test_merge_keeps_extension_frames (void)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (HearthStreamFrame));
  g_autofree char *text = NULL;
  /* Python calls a C extension that calls back into Python. */
  HearthStreamFrame nat[] = {
    native ("epoll_wait", LIBC),
    native ("_PyEval_EvalFrameDefault.cold", PYEXE),
    native ("_PyObject_MakeTpCall", PYEXE),
    native ("speedups_call_back", EXT),
    native ("cfunction_call", PYEXE),
    native ("_PyEval_EvalFrameDefault", PYEXE),
    native ("Py_RunMain", PYEXE),
    native ("main", PYEXE),
  };
  HearthPyFrame py[] = {
    pyframe ("callback", TRUE),
    pyframe ("handler", FALSE),
    pyframe ("<module>", TRUE),
  };

  g_assert_true (hearth_python_merge (nat, G_N_ELEMENTS (nat), py, G_N_ELEMENTS (py), out));
  text = stack_text (out);
  g_assert_cmpstr (text, ==,
                   "main;Py_RunMain;py:<module>;py:handler;speedups_call_back;py:callback;epoll_wait");
}

static void
test_merge_mismatch (void)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (HearthStreamFrame));
  g_autofree char *text = NULL;
  guint n_native, n_py;
  const HearthStreamFrame *nat = seed_native (&n_native);
  const HearthPyFrame *py = seed_python (&n_py);
  HearthPyFrame three_runs[10];

  /* Three Python runs against two eval frames: the counts disagree. */
  memcpy (three_runs, py, sizeof (HearthPyFrame) * n_py);
  three_runs[1].is_entry = TRUE;
  g_assert_false (hearth_python_merge (nat, n_native, three_runs, n_py, out));
  text = stack_text (out);
  /* Never dropped: the Python stack plus the native leaf below the
   * innermost eval frame. */
  g_assert_cmpstr (text, ==,
                   "py:Thread._bootstrap;py:Thread._bootstrap_inner;py:Thread.run;py:main.<locals>.run;"
                   "py:worker_main;py:report_view;py:update_docs;py:queue_push;py:retry_backoff;"
                   "python3.11+0x1e2f4a;clock_nanosleep");
  g_clear_pointer (&text, g_free);

  /* The rootmost Python frame must close a run (a cut-short read). */
  g_assert_false (hearth_python_merge (nat, n_native, py, n_py - 1, out));
  g_assert_cmpuint (out->len, ==, n_py - 1 + 2);

  /* The native unwind stopped before any eval frame. */
  g_assert_false (hearth_python_merge (nat, 2, py, n_py, out));
  text = stack_text (out);
  g_assert_true (g_str_has_suffix (text, "py:retry_backoff;python3.11+0x1e2f4a;clock_nanosleep"));
  g_assert_true (g_str_has_prefix (text, "py:Thread._bootstrap;"));
}

static void
test_merge_edge_cases (void)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (HearthStreamFrame));
  g_autofree char *text = NULL;
  guint n_native, n_py;
  const HearthStreamFrame *nat = seed_native (&n_native);
  const HearthPyFrame *py = seed_python (&n_py);

  /* No Python frames, no eval frame: the native stack, root first. */
  g_assert_true (hearth_python_merge (nat, 2, NULL, 0, out));
  text = stack_text (out);
  g_assert_cmpstr (text, ==, "python3.11+0x1e2f4a;clock_nanosleep");
  g_clear_pointer (&text, g_free);

  /* One eval frame more than runs: the innermost has just been entered
   * and has not linked its frame yet; it stays as a native frame. */
  g_assert_true (hearth_python_merge (nat, n_native, py + 6, 3, out));
  text = stack_text (out);
  g_assert_cmpstr (text, ==,
                   "__clone3;start_thread;python3.11+0x2b1e10;py:Thread._bootstrap;"
                   "py:Thread._bootstrap_inner;py:Thread.run;_PyEval_EvalFrameDefault;"
                   "python3.11+0x1e2f4a;clock_nanosleep");
  g_clear_pointer (&text, g_free);

  /* out is replaced, not appended to. */
  g_assert_true (hearth_python_merge (nat, n_native, py, n_py, out));
  g_assert_cmpuint (out->len, ==, 14);
  g_assert_true (hearth_python_merge (NULL, 0, NULL, 0, out));
  g_assert_cmpuint (out->len, ==, 0);

  /* --python-only: the Python stack root first, for the caller to append
   * the syscall leaf to. */
  hearth_python_append_stack (py, n_py, out);
  g_array_append_val (out, nat[0]);
  text = stack_text (out);
  g_assert_cmpstr (text, ==,
                   "py:Thread._bootstrap;py:Thread._bootstrap_inner;py:Thread.run;py:main.<locals>.run;"
                   "py:worker_main;py:report_view;py:update_docs;py:queue_push;py:retry_backoff;"
                   "clock_nanosleep");
}

static void
test_eval_frame_names (void)
{
  g_assert_true (hearth_python_is_eval_frame ("_PyEval_EvalFrameDefault"));
  g_assert_true (hearth_python_is_eval_frame ("_PyEval_EvalFrameDefault.cold"));
  g_assert_true (hearth_python_is_eval_frame ("_PyEval_EvalFrameDefault.part.0"));
  g_assert_false (hearth_python_is_eval_frame ("_PyEval_EvalFrameDefaultX"));
  g_assert_false (hearth_python_is_eval_frame ("_PyEval_EvalFrame"));
  g_assert_false (hearth_python_is_eval_frame ("PyEval_EvalFrameDefault"));
  g_assert_false (hearth_python_is_eval_frame (""));
  g_assert_false (hearth_python_is_eval_frame (NULL));

  g_assert_true (_hearth_python_is_interpreter_module ("/usr/bin/python3.11"));
  g_assert_true (_hearth_python_is_interpreter_module ("/usr/bin/python3"));
  g_assert_true (_hearth_python_is_interpreter_module ("/opt/py/lib/libpython3.12.so.1.0"));
  g_assert_true (_hearth_python_is_interpreter_module ("python3.11d"));
  g_assert_false (_hearth_python_is_interpreter_module (LIBC));
  g_assert_false (_hearth_python_is_interpreter_module (EXT));
  g_assert_false (_hearth_python_is_interpreter_module ("/usr/bin/python-config-helper"));
  g_assert_false (_hearth_python_is_interpreter_module (NULL));
}

static GByteArray *
hex_decode (const char *hex)
{
  GByteArray *bytes = g_byte_array_new ();

  for (gsize i = 0; hex[i] && hex[i + 1]; i += 2)
    {
      guint8 b = (guint8) ((g_ascii_xdigit_value (hex[i]) << 4) | g_ascii_xdigit_value (hex[i + 1]));

      g_byte_array_append (bytes, &b, 1);
    }
  return bytes;
}

/* Decode the location table of every code object of a few real source
 * files and compare each instruction's line with CPython's co_lines(). */
static void
test_line_tables (void)
{
  const char *python = hearth_test_system_python ();
  g_autofree char *script = hearth_test_data_path ("py-linetables.py");
  g_autofree char *demo = hearth_test_demo_path ("seed_story.py");
  g_autoptr(HearthTestTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) table = NULL;
  gint64 first_line = 0;
  guint n_codes = 0, n_checked = 0;

  if (python == NULL)
    {
      g_test_skip ("/usr/bin/python3 is not installed");
      return;
    }
  target = hearth_test_target_spawn ((const char * const[]) {
                                       python, script, demo, "/usr/lib/python3.11/argparse.py",
                                       "/usr/lib/python3.11/threading.py", NULL }, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < target->lines->len; i++)
    {
      const char *line = g_ptr_array_index (target->lines, i);
      g_auto(GStrv) parts = g_strsplit (line, " ", -1);

      if (g_str_equal (parts[0], "code"))
        {
          g_clear_pointer (&table, g_byte_array_unref);
          first_line = g_ascii_strtoll (parts[1], NULL, 10);
          table = hex_decode (parts[2] ? parts[2] : "");
          n_codes++;
        }
      else if (g_str_equal (parts[0], "range"))
        {
          gint64 start = g_ascii_strtoll (parts[1], NULL, 10);
          gint64 end = g_ascii_strtoll (parts[2], NULL, 10);
          gint64 expected = g_ascii_strtoll (parts[3], NULL, 10);

          for (gint64 offset = start; offset < end; offset += 2)
            {
              guint32 got = _hearth_python_line_for_offset (table->data, table->len,
                                                            (gint32) first_line, offset);

              g_assert_cmpint (got, ==, expected < 0 ? 0 : expected);
              n_checked++;
            }
        }
    }
  g_assert_cmpuint (n_codes, >, 100);
  g_assert_cmpuint (n_checked, >, 10000);

  /* Before the first instruction: the first line; past the end: unknown. */
  g_assert_cmpuint (_hearth_python_line_for_offset (table->data, table->len, 7, -2), ==, 7);
  g_assert_cmpuint (_hearth_python_line_for_offset (table->data, table->len, 7, 1 << 30), ==, 0);
  /* A table that does not start with an entry byte is refused. */
  g_assert_cmpuint (_hearth_python_line_for_offset ((const guint8 *) "\x01\x02", 2, 7, 0), ==, 0);
  g_assert_cmpuint (_hearth_python_line_for_offset (NULL, 0, 7, 0), ==, 0);
}

/* Build a 3.11 str object in memory. */
static gsize
make_str (guint8     *buf,
          gsize       size,
          guint       kind,
          gboolean    ascii,
          gboolean    compact,
          gint64      length,
          const void *data,
          gsize       data_size)
{
  guint32 state = (kind << 2) | ((guint32) compact << 5) | ((guint32) ascii << 6) | (1u << 7);
  gsize at = ascii ? 48 : 72;

  memset (buf, 0, size);
  memcpy (buf + 16, &length, sizeof length);
  memcpy (buf + 32, &state, sizeof state);
  memcpy (buf + at, data, data_size);
  return at + data_size;
}

static void
test_unicode (void)
{
  HearthPyOffsets o;
  guint8 obj[512];
  char out[4 * HEARTH_PY_MAX_STRING + 8];
  gsize needed, size;
  const guint16 ucs2[] = { 'c', 0x00e9, 0x4e2d, 0xd800 };
  const guint32 ucs4[] = { 'x', 0x1f525, 0x110000 };

  g_assert_true (_hearth_python_offsets_for_version (0x030B02F0, &o));

  size = make_str (obj, sizeof obj, 1, TRUE, TRUE, 13, "retry_backoff", 13);
  g_assert_true (_hearth_python_decode_unicode (&o, obj, size, out, sizeof out, &needed));
  g_assert_cmpstr (out, ==, "retry_backoff");

  /* Cut short: the caller learns how much to read. */
  g_assert_false (_hearth_python_decode_unicode (&o, obj, size - 3, out, sizeof out, &needed));
  g_assert_cmpuint (needed, ==, size);

  size = make_str (obj, sizeof obj, 1, FALSE, TRUE, 4, "caf\xe9", 4);
  g_assert_true (_hearth_python_decode_unicode (&o, obj, size, out, sizeof out, &needed));
  g_assert_cmpstr (out, ==, "caf\xc3\xa9");

  /* A lone surrogate becomes U+FFFD, never invalid UTF-8. */
  size = make_str (obj, sizeof obj, 2, FALSE, TRUE, 4, ucs2, sizeof ucs2);
  g_assert_true (_hearth_python_decode_unicode (&o, obj, size, out, sizeof out, &needed));
  g_assert_cmpstr (out, ==, "c\xc3\xa9\xe4\xb8\xad\xef\xbf\xbd");
  g_assert_true (g_utf8_validate (out, -1, NULL));

  size = make_str (obj, sizeof obj, 4, FALSE, TRUE, 3, ucs4, sizeof ucs4);
  g_assert_true (_hearth_python_decode_unicode (&o, obj, size, out, sizeof out, &needed));
  g_assert_cmpstr (out, ==, "x\xf0\x9f\x94\xa5\xef\xbf\xbd");

  /* Impossible states: not compact, ASCII with a wide kind, kind 3,
   * negative length. */
  size = make_str (obj, sizeof obj, 1, TRUE, FALSE, 3, "abc", 3);
  g_assert_false (_hearth_python_decode_unicode (&o, obj, size, out, sizeof out, &needed));
  g_assert_cmpuint (needed, ==, 0);
  size = make_str (obj, sizeof obj, 2, TRUE, TRUE, 3, "abc", 3);
  g_assert_false (_hearth_python_decode_unicode (&o, obj, size, out, sizeof out, &needed));
  size = make_str (obj, sizeof obj, 3, FALSE, TRUE, 1, "abc", 3);
  g_assert_false (_hearth_python_decode_unicode (&o, obj, size, out, sizeof out, &needed));
  size = make_str (obj, sizeof obj, 1, TRUE, TRUE, -5, "abc", 3);
  g_assert_false (_hearth_python_decode_unicode (&o, obj, size, out, sizeof out, &needed));

  /* A huge length is bounded: only HEARTH_PY_MAX_STRING characters are
   * asked for, and the result ends with an ellipsis. */
  size = make_str (obj, sizeof obj, 1, TRUE, TRUE, G_MAXINT64, "abc", 3);
  g_assert_false (_hearth_python_decode_unicode (&o, obj, size, out, sizeof out, &needed));
  g_assert_cmpuint (needed, ==, 48 + HEARTH_PY_MAX_STRING);
  {
    g_autofree guint8 *big = g_malloc0 (needed);

    memcpy (big, obj, 48);
    memset (big + 48, 'a', HEARTH_PY_MAX_STRING);
    g_assert_true (_hearth_python_decode_unicode (&o, big, needed, out, sizeof out, &needed));
    g_assert_true (g_str_has_suffix (out, "a\xe2\x80\xa6"));
  }

  /* Too short for even the header. */
  g_assert_false (_hearth_python_decode_unicode (&o, obj, 20, out, sizeof out, &needed));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/python/merge/seed-story", test_merge_seed_story);
  g_test_add_func ("/hearth/python/merge/extension-frames", test_merge_keeps_extension_frames);
  g_test_add_func ("/hearth/python/merge/mismatch", test_merge_mismatch);
  g_test_add_func ("/hearth/python/merge/edge-cases", test_merge_edge_cases);
  g_test_add_func ("/hearth/python/merge/eval-frame-names", test_eval_frame_names);
  g_test_add_func ("/hearth/python/decode/line-tables", test_line_tables);
  g_test_add_func ("/hearth/python/decode/unicode", test_unicode);

  return g_test_run ();
}
