/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "hearth-python-private.h"

/*
 * Finding CPython in a process: the ELF file (executable or
 * libpython3.X.so) that defines _PyRuntime, its load bias, its version from
 * Py_Version or the 3.13+ _Py_DebugOffsets header, and the struct offsets
 * for that version. The rest of the reader: hearth-python-threads.c (memory
 * and thread states), hearth-python-frames.c (frame chains, sampling),
 * hearth-python-code.c (code objects), hearth-python-merge.c (merging).
 */

typedef enum
{
  SYM_RUNTIME,
  SYM_VERSION,
  SYM_CODE_TYPE,
  SYM_UNICODE_TYPE,
  SYM_BYTES_TYPE,
  SYM_NEGATIVE_REFCOUNT,
  N_SYMS
} PySymbol;

static const char * const sym_names[N_SYMS] = {
  "_PyRuntime",
  "Py_Version",
  "PyCode_Type",
  "PyUnicode_Type",
  "PyBytes_Type",
  "_Py_NegativeRefcount",   /* only in Py_REF_DEBUG (debug) builds */
};

typedef struct
{
  guint64  value[N_SYMS];
  gboolean found[N_SYMS];
  guint64  first_load_vaddr;
  guint    machine;
} PyElfInfo;

/* The 3.13 layout of _Py_DebugOffsets (Include/internal/pycore_runtime.h
 * of CPython 3.13.0). Later minor versions insert fields, so this is only
 * used when the version in the header says 3.13. */
typedef struct
{
  char    cookie[8];
  guint64 version;
  guint64 free_threaded;
  struct { guint64 size, finalizing, interpreters_head; } runtime_state;
  struct { guint64 size, id, next, threads_head, gc, imports_modules, sysdict, builtins,
           ceval_gil, gil_runtime_state, gil_runtime_state_enabled,
           gil_runtime_state_locked, gil_runtime_state_holder; } interpreter_state;
  struct { guint64 size, prev, next, interp, current_frame, thread_id, native_thread_id,
           datastack_chunk, status; } thread_state;
  struct { guint64 size, previous, executable, instr_ptr, localsplus, owner; } interpreter_frame;
  struct { guint64 size, filename, name, qualname, linetable, firstlineno, argcount,
           localsplusnames, localspluskinds, co_code_adaptive; } code_object;
  struct { guint64 size, ob_type; } pyobject;
  struct { guint64 size, tp_name, tp_repr, tp_flags; } type_object;
  struct { guint64 size, ob_item, ob_size; } tuple_object;
  struct { guint64 size, ob_item, ob_size; } list_object;
  struct { guint64 size, ma_keys, ma_values; } dict_object;
  struct { guint64 size, ob_fval; } float_object;
  struct { guint64 size, lv_tag, ob_digit; } long_object;
  struct { guint64 size, ob_size, ob_sval; } bytes_object;
  struct { guint64 size, state, length, asciiobject_size; } unicode_object;
  struct { guint64 size, collecting; } gc;
} DebugOffsets313;

G_STATIC_ASSERT (sizeof (DebugOffsets313) == 584);

G_DEFINE_QUARK (hearth-python-error-quark, hearth_python_error)

/* Offsets checked with offsetof() against the internal headers of
 * Debian's 3.11.2 (python3.11-dev) and of 3.12.1 (see docs/python.md). */
static const HearthPyOffsets offsets_311 = {
  .version_hex = 0x030B0000,
  .runtime_interpreters_head = 40,
  .interp_next = 0,
  .interp_threads_head = 16,
  .tstate_next = 8,
  .tstate_cframe = 56,
  .tstate_current_frame = HEARTH_PY_NO_OFFSET,
  .tstate_native_thread_id = 160,
  .tstate_datastack_chunk = 296,
  .tstate_datastack_top = 304,
  .cframe_current_frame = 8,
  .frame_size = 72,
  .frame_code = 32,
  .frame_func = 0,
  .frame_previous = 48,
  .frame_instr = 56,
  .frame_owner = 69,
  .frame_is_entry = 68,
  .owner_cstack = G_MAXUINT8,
  .code_firstlineno = 72,
  .code_filename = 112,
  .code_qualname = 128,
  .code_linetable = 136,
  .code_adaptive = 184,
  .object_type = 8,
  .bytes_size = 16,
  .bytes_data = 32,
  .unicode_length = 16,
  .unicode_state = 32,
  .unicode_ascii_data = 48,
  .unicode_compact_data = 72,
};

static const HearthPyOffsets offsets_312 = {
  .version_hex = 0x030C0000,
  .runtime_interpreters_head = 40,
  .interp_next = 0,
  .interp_threads_head = 72,
  .tstate_next = 8,
  .tstate_cframe = 56,
  .tstate_current_frame = HEARTH_PY_NO_OFFSET,
  .tstate_native_thread_id = 144,
  .tstate_datastack_chunk = 232,
  .tstate_datastack_top = 240,
  .cframe_current_frame = 0,
  .frame_size = 72,
  .frame_code = 0,
  .frame_func = 16,
  .frame_previous = 8,
  .frame_instr = 56,
  .frame_owner = 70,
  .frame_is_entry = HEARTH_PY_NO_OFFSET,
  .owner_cstack = 3,
  .code_firstlineno = 68,
  .code_filename = 112,
  .code_qualname = 128,
  .code_linetable = 136,
  .code_adaptive = 192,
  .object_type = 8,
  .bytes_size = 16,
  .bytes_data = 32,
  .unicode_length = 16,
  .unicode_state = 32,
  .unicode_ascii_data = 40,
  .unicode_compact_data = 56,
};

gboolean
_hearth_python_offsets_for_version (guint32          version_hex,
                                    HearthPyOffsets *out)
{
  guint32 minor = (version_hex >> 16) & 0xff;

  if ((version_hex >> 24) != 3)
    return FALSE;
  if (minor == 11)
    *out = offsets_311;
  else if (minor == 12)
    *out = offsets_312;
  else
    return FALSE;

  out->version_hex = version_hex;
  return TRUE;
}

static gboolean
offset_ok (guint64 offset,
           guint64 size)
{
  return offset + 8 <= size;
}

gboolean
_hearth_python_offsets_from_debug (const guint8     *data,
                                   gsize             length,
                                   HearthPyOffsets  *out,
                                   GError          **error)
{
  DebugOffsets313 d;

  if (length < sizeof d || memcmp (data, "xdebugpy", 8) != 0)
    {
      g_set_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_UNSUPPORTED,
                   _("its _Py_DebugOffsets header is missing or cut short"));
      return FALSE;
    }
  memcpy (&d, data, sizeof d);

  if (((d.version >> 16) & 0xffff) != 0x030D)
    {
      g_set_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_UNSUPPORTED,
                   _("its _Py_DebugOffsets header describes version %u.%u, not 3.13"),
                   (guint) (d.version >> 24), (guint) ((d.version >> 16) & 0xff));
      return FALSE;
    }
  if (d.free_threaded != 0)
    {
      g_set_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_UNSUPPORTED,
                   _("free-threaded (no-GIL) builds are not supported yet"));
      return FALSE;
    }

  /* Sizes bound every offset: a corrupt header must not send us reading
   * at random places. */
  if (d.thread_state.size == 0 || d.thread_state.size > 65536 ||
      d.interpreter_frame.size < 16 || d.interpreter_frame.size > 4096 ||
      d.code_object.size == 0 || d.code_object.size > 4096 ||
      d.interpreter_state.size == 0 || d.runtime_state.size == 0 ||
      !offset_ok (d.runtime_state.interpreters_head, d.runtime_state.size) ||
      !offset_ok (d.interpreter_state.next, d.interpreter_state.size) ||
      !offset_ok (d.interpreter_state.threads_head, d.interpreter_state.size) ||
      !offset_ok (d.thread_state.next, d.thread_state.size) ||
      !offset_ok (d.thread_state.current_frame, d.thread_state.size) ||
      !offset_ok (d.thread_state.native_thread_id, d.thread_state.size) ||
      !offset_ok (d.thread_state.datastack_chunk + 8, d.thread_state.size) ||
      !offset_ok (d.interpreter_frame.previous, d.interpreter_frame.size) ||
      !offset_ok (d.interpreter_frame.executable, d.interpreter_frame.size) ||
      !offset_ok (d.interpreter_frame.instr_ptr, d.interpreter_frame.size) ||
      d.interpreter_frame.owner >= d.interpreter_frame.size ||
      !offset_ok (d.code_object.filename, d.code_object.size) ||
      !offset_ok (d.code_object.qualname, d.code_object.size) ||
      !offset_ok (d.code_object.linetable, d.code_object.size) ||
      d.code_object.firstlineno + 4 > d.code_object.size ||
      d.code_object.co_code_adaptive > d.code_object.size ||
      d.pyobject.ob_type > 64 || d.bytes_object.ob_size > 64 ||
      d.bytes_object.ob_sval > 64 || d.unicode_object.state > 64 ||
      d.unicode_object.length > 64 || d.unicode_object.asciiobject_size > 128)
    {
      g_set_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_UNSUPPORTED,
                   _("its _Py_DebugOffsets header holds impossible values"));
      return FALSE;
    }

  memset (out, 0, sizeof *out);
  out->version_hex = (guint32) d.version;
  out->runtime_interpreters_head = d.runtime_state.interpreters_head;
  out->interp_next = d.interpreter_state.next;
  out->interp_threads_head = d.interpreter_state.threads_head;
  out->tstate_next = d.thread_state.next;
  out->tstate_cframe = HEARTH_PY_NO_OFFSET;
  out->tstate_current_frame = d.thread_state.current_frame;
  out->tstate_native_thread_id = d.thread_state.native_thread_id;
  out->tstate_datastack_chunk = d.thread_state.datastack_chunk;
  /* Not in the header: datastack_top follows datastack_chunk in every
   * version so far; the reader checks it lies inside the chunk. */
  out->tstate_datastack_top = d.thread_state.datastack_chunk + 8;
  out->cframe_current_frame = HEARTH_PY_NO_OFFSET;
  out->frame_size = MIN (d.interpreter_frame.size, 128);
  out->frame_code = d.interpreter_frame.executable;
  /* Not in the header either: f_funcobj follows f_executable and
   * previous in 3.13 (checked against the 3.13.0 headers). */
  out->frame_func = 16;
  out->frame_previous = d.interpreter_frame.previous;
  out->frame_instr = d.interpreter_frame.instr_ptr;
  out->frame_owner = d.interpreter_frame.owner;
  out->frame_is_entry = HEARTH_PY_NO_OFFSET;
  out->owner_cstack = 3;
  out->code_firstlineno = d.code_object.firstlineno;
  out->code_filename = d.code_object.filename;
  out->code_qualname = d.code_object.qualname;
  out->code_linetable = d.code_object.linetable;
  out->code_adaptive = d.code_object.co_code_adaptive;
  out->object_type = d.pyobject.ob_type;
  out->bytes_size = d.bytes_object.ob_size;
  out->bytes_data = d.bytes_object.ob_sval;
  out->unicode_length = d.unicode_object.length;
  out->unicode_state = d.unicode_object.state;
  out->unicode_ascii_data = d.unicode_object.asciiobject_size;
  /* PyCompactUnicodeObject = PyASCIIObject + utf8_length + utf8 */
  out->unicode_compact_data = d.unicode_object.asciiobject_size + 16;
  return TRUE;
}

static char *
version_to_string (guint32 hex)
{
  guint level = (hex >> 4) & 0xf;
  guint serial = hex & 0xf;
  const char *tag = level == 0xa ? "a" : level == 0xb ? "b" : level == 0xc ? "rc" : NULL;

  if (tag != NULL)
    return g_strdup_printf ("%u.%u.%u%s%u", hex >> 24, (hex >> 16) & 0xff,
                            (hex >> 8) & 0xff, tag, serial);
  return g_strdup_printf ("%u.%u.%u", hex >> 24, (hex >> 16) & 0xff, (hex >> 8) & 0xff);
}

static gboolean
elf_read_info (const char *path,
               PyElfInfo  *info,
               gboolean    want_symtab)
{
  Elf *elf;
  Elf_Scn *scn = NULL;
  GElf_Ehdr ehdr;
  size_t n_phdr = 0;
  gboolean have_load = FALSE;
  int fd;

  memset (info, 0, sizeof *info);
  if (elf_version (EV_CURRENT) == EV_NONE)
    return FALSE;
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  elf = elf_begin (fd, ELF_C_READ_MMAP, NULL);
  if (elf == NULL || elf_kind (elf) != ELF_K_ELF || gelf_getehdr (elf, &ehdr) == NULL)
    goto fail;
  info->machine = ehdr.e_machine;

  if (elf_getphdrnum (elf, &n_phdr) != 0)
    goto fail;
  for (size_t i = 0; i < n_phdr && !have_load; i++)
    {
      GElf_Phdr phdr;

      if (gelf_getphdr (elf, (int) i, &phdr) != NULL && phdr.p_type == PT_LOAD)
        {
          info->first_load_vaddr = phdr.p_vaddr;
          have_load = TRUE;
        }
    }
  if (!have_load)
    goto fail;

  while ((scn = elf_nextscn (elf, scn)) != NULL)
    {
      GElf_Shdr shdr;
      Elf_Data *data;
      gsize n;

      if (gelf_getshdr (scn, &shdr) == NULL)
        continue;
      if (shdr.sh_type != SHT_DYNSYM && !(want_symtab && shdr.sh_type == SHT_SYMTAB))
        continue;
      if (shdr.sh_entsize == 0 || (data = elf_getdata (scn, NULL)) == NULL)
        continue;

      n = MIN (shdr.sh_size / shdr.sh_entsize, data->d_size / sizeof (Elf64_Sym));
      for (gsize i = 0; i < n; i++)
        {
          GElf_Sym sym;
          const char *name;

          if (gelf_getsym (data, (int) i, &sym) == NULL || sym.st_shndx == SHN_UNDEF ||
              sym.st_name == 0)
            continue;
          name = elf_strptr (elf, shdr.sh_link, sym.st_name);
          if (name == NULL || (name[0] != '_' && name[0] != 'P'))
            continue;
          for (guint s = 0; s < N_SYMS; s++)
            if (!info->found[s] && strcmp (name, sym_names[s]) == 0)
              {
                info->value[s] = sym.st_value;
                info->found[s] = TRUE;
              }
        }
    }

  elf_end (elf);
  close (fd);
  return TRUE;

fail:
  if (elf != NULL)
    elf_end (elf);
  close (fd);
  return FALSE;
}

typedef struct
{
  guint64 start;
  guint64 offset;
  char   *path;
} MapEntry;

static void
map_entry_clear (gpointer data)
{
  g_free (((MapEntry *) data)->path);
}

static GArray *
read_maps (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/maps", pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *maps;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;

  maps = g_array_new (FALSE, TRUE, sizeof (MapEntry));
  g_array_set_clear_func (maps, map_entry_clear);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      unsigned long long start, end, offset;
      int path_at = 0;
      MapEntry e;
      char *p;

      if (sscanf (lines[i], "%llx-%llx %*s %llx %*s %*s %n", &start, &end, &offset, &path_at) < 3 ||
          path_at <= 0 || lines[i][path_at] != '/')
        continue;
      p = g_strdup (lines[i] + path_at);
      if (g_str_has_suffix (p, " (deleted)"))
        p[strlen (p) - strlen (" (deleted)")] = '\0';
      e.start = start;
      e.offset = offset;
      e.path = p;
      g_array_append_val (maps, e);
    }
  return maps;
}

static gboolean
is_libpython (const char *path)
{
  const char *base = strrchr (path, '/');

  base = base ? base + 1 : path;
  return g_str_has_prefix (base, "libpython3.") && strstr (base, ".so") != NULL;
}

/* Read the file through the target's root first (containers). */
static gboolean
elf_read_for_pid (pid_t       pid,
                  const char *path,
                  PyElfInfo  *info)
{
  g_autofree char *rooted = g_strdup_printf ("/proc/%d/root%s", pid, path);
  const char *base = strrchr (path, '/');
  gboolean symtab = strstr (base ? base : path, "python") != NULL;

  return elf_read_info (rooted, info, symtab) || elf_read_info (path, info, symtab);
}

/* Version from the file name, for interpreters without Py_Version (3.10
 * and older) so the warning can say which version it met. */
static guint32
version_from_path (const char *path)
{
  const char *base = strrchr (path, '/');
  const char *p;
  guint64 minor;

  base = base ? base + 1 : path;
  p = strstr (base, "python3.");
  if (p == NULL)
    return 0;
  minor = g_ascii_strtoull (p + strlen ("python3."), NULL, 10);
  return minor < 100 ? (guint32) (0x03000000 | (minor << 16)) : 0;
}

static HearthPython *
unsupported (pid_t        pid,
             const char  *path,
             const char  *what,
             GError     **error)
{
  g_set_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_UNSUPPORTED,
               _("Process %d runs a Python interpreter (%s) whose frames Hearth cannot read: %s. "
                 "Hearth reads CPython 3.11, 3.12 and 3.13 release builds on x86_64; "
                 "sampling goes on with native stacks only."),
               pid, path, what);
  return NULL;
}

static HearthPython *
attach_module (pid_t        pid,
               const char  *path,
               guint64      bias,
               PyElfInfo   *info,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  HearthPython *self;
  HearthPyOffsets offsets;
  guint64 runtime = bias + info->value[SYM_RUNTIME];
  guint64 version = 0;
  guint8 header[sizeof (DebugOffsets313)];
  gssize n;
  struct iovec local, remote;

#if !defined(__x86_64__)
  return unsupported (pid, path, _("the collector was not built for x86_64"), error);
#endif
  if (info->machine != EM_X86_64)
    return unsupported (pid, path, _("the interpreter is not an x86_64 binary"), error);

  /* One read of the start of _PyRuntime: the 3.13+ debug header if any. */
  local.iov_base = header;
  local.iov_len = sizeof header;
  remote.iov_base = GSIZE_TO_POINTER (runtime);
  remote.iov_len = sizeof header;
  n = process_vm_readv (pid, &local, 1, &remote, 1, 0);
  if (n < 16)
    {
      int errsv = errno;

      g_set_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_READ,
                   _("Cannot read the Python runtime of process %d (%s): %s. "
                     "Run as the same user or with CAP_SYS_PTRACE."),
                   pid, path, n < 0 ? g_strerror (errsv) : _("short read"));
      return NULL;
    }

  if (memcmp (header, "xdebugpy", 8) == 0)
    {
      memcpy (&version, header + 8, sizeof version);
      if (((version >> 16) & 0xffff) != 0x030D)
        {
          g_autofree char *v = version_to_string ((guint32) version);
          g_autofree char *what = g_strdup_printf (_("version %s is not supported yet"), v);
          return unsupported (pid, path, what, error);
        }
      if (!_hearth_python_offsets_from_debug (header, (gsize) n, &offsets, &local_error))
        return unsupported (pid, path, local_error->message, error);
    }
  else
    {
      if (info->found[SYM_VERSION])
        {
          guint64 value = 0;

          local.iov_base = &value;
          local.iov_len = sizeof value;
          remote.iov_base = GSIZE_TO_POINTER (bias + info->value[SYM_VERSION]);
          remote.iov_len = sizeof value;
          if (process_vm_readv (pid, &local, 1, &remote, 1, 0) == sizeof value)
            version = value & 0xffffffff;
        }
      else if ((version = version_from_path (path)) != 0 && version < 0x030B0000)
        {
          g_autofree char *what = g_strdup_printf (_("version %u.%u is too old"),
                                                   (guint) (version >> 24),
                                                   (guint) ((version >> 16) & 0xff));
          return unsupported (pid, path, what, error);
        }

      if (version == 0 || !info->found[SYM_VERSION])
        return unsupported (pid, path, _("its version is unknown"), error);
      if (!_hearth_python_offsets_for_version ((guint32) version, &offsets))
        {
          g_autofree char *v = version_to_string ((guint32) version);
          g_autofree char *what = g_strdup_printf (_("version %s has no offset table"), v);
          return unsupported (pid, path, what, error);
        }
      if (info->found[SYM_NEGATIVE_REFCOUNT])
        return unsupported (pid, path, _("it is a debug build (Py_REF_DEBUG)"), error);
    }

  if (!info->found[SYM_CODE_TYPE] || !info->found[SYM_UNICODE_TYPE] || !info->found[SYM_BYTES_TYPE])
    return unsupported (pid, path, _("it does not export PyCode_Type, PyUnicode_Type and PyBytes_Type"),
                        error);

  self = g_new0 (HearthPython, 1);
  self->pid = pid;
  self->module_path = g_strdup (path);
  self->offsets = offsets;
  self->version = version_to_string (offsets.version_hex);
  self->runtime = runtime;
  self->code_type = bias + info->value[SYM_CODE_TYPE];
  self->unicode_type = bias + info->value[SYM_UNICODE_TYPE];
  self->bytes_type = bias + info->value[SYM_BYTES_TYPE];
  _hearth_python_frames_init (self);
  return self;
}

HearthPython *
hearth_python_attach (pid_t    pid,
                      GError **error)
{
  g_autoptr(GArray) maps = NULL;
  g_autofree char *exe_link = g_strdup_printf ("/proc/%d/exe", pid);
  g_autofree char *exe = NULL;
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  const char *unreadable = NULL;

  g_return_val_if_fail (pid > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* HEARTH_PYTHON=0: native stacks only, e.g. to measure what reading
   * Python frames costs (bench/python). */
  if (g_strcmp0 (g_getenv ("HEARTH_PYTHON"), "0") == 0)
    return NULL;

  maps = read_maps (pid);
  if (maps == NULL)
    return NULL;

  /* libpython first: when it is loaded the executable is only a launcher. */
  for (guint i = 0; i < maps->len; i++)
    {
      MapEntry *e = &g_array_index (maps, MapEntry, i);

      if (e->offset == 0 && is_libpython (e->path))
        g_ptr_array_add (candidates, e->path);
    }
  exe = g_file_read_link (exe_link, NULL);
  if (exe != NULL && g_str_has_suffix (exe, " (deleted)"))
    exe[strlen (exe) - strlen (" (deleted)")] = '\0';
  if (exe != NULL)
    g_ptr_array_add (candidates, exe);

  for (guint c = 0; c < candidates->len; c++)
    {
      const char *path = g_ptr_array_index (candidates, c);
      PyElfInfo info;
      gboolean mapped = FALSE;
      guint64 bias = 0;

      if (!elf_read_for_pid (pid, path, &info))
        {
          if (unreadable == NULL && is_libpython (path))
            unreadable = path;
          continue;
        }
      if (!info.found[SYM_RUNTIME])
        continue;

      for (guint i = 0; i < maps->len && !mapped; i++)
        {
          MapEntry *e = &g_array_index (maps, MapEntry, i);

          if (e->offset == 0 && strcmp (e->path, path) == 0)
            {
              bias = e->start - (info.first_load_vaddr & ~(guint64) 0xfff);
              mapped = TRUE;
            }
        }
      if (!mapped)
        continue;

      return attach_module (pid, path, bias, &info, error);
    }

  /* A libpython we could not open: Python, but we cannot tell more. */
  if (unreadable != NULL)
    g_set_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_BINARY,
                 _("Cannot read %s, the Python library of process %d, to find its runtime; "
                   "sampling goes on with native stacks only."),
                 unreadable, pid);
  return NULL;
}

/* The process could not be read: say which, and why (errno). */
gboolean
_hearth_python_set_read_error (HearthPython  *self,
                               GError       **error)
{
  int errsv = errno;

  g_set_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_READ,
               _("Cannot read the Python thread states of process %d: %s"),
               self->pid, g_strerror (errsv));
  return FALSE;
}

/* --- public API ------------------------------------------------------------ */

void
hearth_python_free (HearthPython *self)
{
  if (self == NULL)
    return;
  _hearth_python_frames_clear (self);
  g_free (self->module_path);
  g_free (self->version);
  g_free (self);
}

const char *
hearth_python_get_version (HearthPython *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->version;
}

const char *
hearth_python_get_module_path (HearthPython *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->module_path;
}

void
hearth_python_get_stats (HearthPython  *self,
                         HearthPyStats *stats)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (stats != NULL);
  *stats = self->stats;
}
