/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-python-private.h"

/*
 * Merging Python frames into a native stack. Since 3.11 Python-to-Python
 * calls do not recurse in C, so one native _PyEval_EvalFrameDefault
 * activation runs a run of Python frames that ends (rootwards) at an entry
 * frame. Walking the native stack from the leaf, each eval frame is
 * replaced by the Python frames up to and including the next entry frame
 * (py-spy's merge_native_stack and pystack use the same rule).
 *
 * Native frames of the interpreter itself that sit between two eval frames
 * (_PyFunction_Vectorcall, PyObject_Call, …) are the glue of a Python call
 * and are dropped. Interpreter frames leafwards of the innermost eval frame
 * (time.sleep's C code, unnamed in stripped builds) and rootwards of the
 * outermost one (thread bootstrap, Py_RunMain) are kept, as are all frames
 * of other binaries (C extensions, libc).
 */

/* --- merging ---------------------------------------------------------------- */

#define EVAL_NAME "_PyEval_EvalFrameDefault"

gboolean
hearth_python_is_eval_frame (const char *native_name)
{
  gsize n = strlen (EVAL_NAME);

  if (native_name == NULL || strncmp (native_name, EVAL_NAME, n) != 0)
    return FALSE;
  /* ".cold", ".part.0" clones; "+0x…" when a symbolizer adds an offset */
  return native_name[n] == '\0' || native_name[n] == '.' || native_name[n] == '+';
}

gboolean
_hearth_python_is_interpreter_module (const char *module)
{
  const char *base;

  if (module == NULL || module[0] == '\0')
    return FALSE;
  base = strrchr (module, '/');
  base = base ? base + 1 : module;

  if (g_str_has_prefix (base, "libpython"))
    return TRUE;
  if (!g_str_has_prefix (base, "python"))
    return FALSE;
  /* python, python3, python3.11, python3.11d, python3.12-dbg … but not
   * python-foo-helper */
  for (const char *p = base + strlen ("python"); *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && strcmp (p, "d") != 0 && strcmp (p, "m") != 0 &&
        strcmp (p, "-dbg") != 0)
      return FALSE;
  return TRUE;
}

void
hearth_python_append_stack (const HearthPyFrame *py,
                            guint                n_py,
                            GArray              *out)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (py != NULL || n_py == 0);

  for (guint i = n_py; i > 0; i--)
    g_array_append_val (out, py[i - 1].frame);
}

static void
append_reversed (GArray                  *out,
                 const HearthStreamFrame *frames,
                 guint                    n)
{
  for (guint i = n; i > 0; i--)
    g_array_append_val (out, frames[i - 1]);
}

gboolean
hearth_python_merge (const HearthStreamFrame *native,
                     guint                    n_native,
                     const HearthPyFrame     *py,
                     guint                    n_py,
                     GArray                  *out)
{
  g_autoptr(GArray) leaf_first = NULL;
  guint n_eval = 0, n_entry = 0;
  guint first_eval = G_MAXUINT, last_eval = 0;
  gboolean skip_innermost;
  guint p = 0;

  g_return_val_if_fail (native != NULL || n_native == 0, FALSE);
  g_return_val_if_fail (py != NULL || n_py == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  g_array_set_size (out, 0);

  for (guint i = 0; i < n_native; i++)
    if (hearth_python_is_eval_frame (native[i].name))
      {
        n_eval++;
        first_eval = MIN (first_eval, i);
        last_eval = i;
      }
  for (guint i = 0; i < n_py; i++)
    if (py[i].is_entry)
      n_entry++;

  /* The rootmost Python frame must close a run, and every run needs its
   * eval frame. One eval frame more than runs is the innermost call that
   * has not linked its first frame yet (py-spy tolerates the same). */
  skip_innermost = n_eval == n_entry + 1;
  if ((n_py > 0 && !py[n_py - 1].is_entry) ||
      (n_eval != n_entry && !skip_innermost) ||
      (n_eval == 0 && n_py > 0))
    {
      hearth_python_append_stack (py, n_py, out);
      append_reversed (out, native, MIN (first_eval, n_native));
      return FALSE;
    }

  leaf_first = g_array_sized_new (FALSE, FALSE, sizeof (HearthStreamFrame), n_native + n_py);
  for (guint i = 0; i < n_native; i++)
    {
      if (hearth_python_is_eval_frame (native[i].name))
        {
          if (i == first_eval && skip_innermost)
            {
              g_array_append_val (leaf_first, native[i]);
              continue;
            }
          while (p < n_py)
            {
              g_array_append_val (leaf_first, py[p].frame);
              if (py[p++].is_entry)
                break;
            }
          continue;
        }
      if (i > first_eval && i < last_eval && _hearth_python_is_interpreter_module (native[i].module))
        continue;
      g_array_append_val (leaf_first, native[i]);
    }
  g_assert (p == n_py);

  append_reversed (out, (const HearthStreamFrame *) (gpointer) leaf_first->data, leaf_first->len);
  return TRUE;
}
