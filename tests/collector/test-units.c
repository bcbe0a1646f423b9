/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collector-test-util.h"
#include "hearth-demangle.h"
#include "hearth-elf.h"
#include "hearth-module-map.h"
#include "hearth-perf-map.h"
#include "hearth-proc.h"
#include "hearth-ps.h"
#include "hearth-symbol-table.h"
#include "hearth-symbolizer.h"

/*
 * The collector's parsers and symbol sources, on hostile and real input:
 * /proc lines, perf maps, ELF symbol tables with their debug files, C++
 * and Rust names, JSON strings.
 */

static void
test_proc_stat (void)
{
  /* comm may hold spaces and ')' */
  const char *line = "4242 (we) ird (name)) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
                     "250 13 0 0 20 0 7 0 123456 1000000 321 18446744073709551615\n";
  HearthProcStat st;

  g_assert_true (hearth_proc_parse_stat (line, strlen (line), &st));
  g_assert_cmpstr (st.comm, ==, "we) ird (name)");
  g_assert_cmpint (st.state, ==, 'S');
  g_assert_cmpint (st.ppid, ==, 1);
  g_assert_cmpuint (st.utime, ==, 250);
  g_assert_cmpuint (st.stime, ==, 13);
  g_assert_cmpint (st.num_threads, ==, 7);
  g_assert_cmpint (st.rss_pages, ==, 321);

  /* cut short anywhere: refused, never read past the end */
  for (gsize len = 0; len < strlen (line) - 60; len++)
    {
      g_autofree char *cut = g_strndup (line, len);

      g_assert_false (hearth_proc_parse_stat (cut, len, &st));
    }
  g_assert_false (hearth_proc_parse_stat ("12 no paren S 1", 15, &st));
}

static void
test_proc_syscall (void)
{
  HearthProcSyscall sys;
  const char *blocked = "230 0x1 0x0 0x7ffc3e1a2b30 0x0 0x0 0x0 0x7ffc3e1a2b08 0x7f12ab34cd56\n";
  const char *outside = "-1 0x7ffc3e1a2000 0x55aa00001234\n";

  g_assert_true (hearth_proc_parse_syscall (blocked, strlen (blocked), &sys));
  g_assert_cmpint (sys.nr, ==, 230);
  g_assert_cmphex (sys.args[2], ==, 0x7ffc3e1a2b30);
  g_assert_cmphex (sys.sp, ==, 0x7ffc3e1a2b08);
  g_assert_cmphex (sys.pc, ==, 0x7f12ab34cd56);

  g_assert_true (hearth_proc_parse_syscall (outside, strlen (outside), &sys));
  g_assert_cmpint (sys.nr, ==, HEARTH_PROC_SYSCALL_NONE);
  g_assert_cmphex (sys.sp, ==, 0x7ffc3e1a2000);
  g_assert_cmphex (sys.pc, ==, 0x55aa00001234);

  g_assert_true (hearth_proc_parse_syscall ("running\n", 8, &sys));
  g_assert_cmpint (sys.nr, ==, HEARTH_PROC_SYSCALL_RUNNING);

  g_assert_false (hearth_proc_parse_syscall ("230 0x1 0x2", 11, &sys));
  g_assert_false (hearth_proc_parse_syscall ("", 0, &sys));
  g_assert_false (hearth_proc_parse_syscall ("230 zz", 6, &sys));
}

static void
test_perf_map (void)
{
  g_autoptr(HearthPerfMap) map = hearth_perf_map_new (getpid ());
  const char *text =
    "7f0000001000 100 py::handle_request:/srv/app.py\n"
    "0x7f0000002000 0x20 LazyCompile:*render app.js:10\n"
    "garbage line\n"
    "7f0000003000 0 zero-size is ignored\n"
    "7f0000001040 10 inner";

  hearth_perf_map_parse (map, text, strlen (text));
  g_assert_cmpstr (hearth_perf_map_lookup (map, 0x7f0000001000), ==, "py::handle_request:/srv/app.py");
  g_assert_cmpstr (hearth_perf_map_lookup (map, 0x7f00000010ff), ==, "py::handle_request:/srv/app.py");
  g_assert_cmpstr (hearth_perf_map_lookup (map, 0x7f0000001045), ==, "inner");
  g_assert_cmpstr (hearth_perf_map_lookup (map, 0x7f000000201f), ==, "LazyCompile:*render app.js:10");
  g_assert_null (hearth_perf_map_lookup (map, 0x7f0000002020));
  g_assert_null (hearth_perf_map_lookup (map, 0x7f0000003000));
}

static void
test_demangle (void)
{
#ifdef HAVE_LIBIBERTY
  g_autofree char *cxx = hearth_demangle ("_ZN6hearth7Sampler4tickEv");
  g_autofree char *rust_legacy = hearth_demangle ("_ZN4core3fmt5write17h0123456789abcdefE");
  g_autofree char *rust_v0 = hearth_demangle ("_RNvCs15kBYyAo9fc_7mycrate7example");

  g_assert_cmpstr (cxx, ==, "hearth::Sampler::tick()");
  g_assert_cmpstr (rust_legacy, ==, "core::fmt::write");
  g_assert_cmpstr (rust_v0, ==, "mycrate::example");
#else
  g_test_skip ("built without libiberty");
#endif
  g_assert_null (hearth_demangle ("retry_backoff"));
  g_assert_null (hearth_demangle ("_Znot a name"));
}

static void
test_json_string (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  hearth_json_append_string (out, "a \"quoted\" \\ path\nwith\ttab \x01 and \xff bytes");
  g_assert_cmpstr (out->str, ==, "\"a \\\"quoted\\\" \\\\ path\\nwith\\ttab \\u0001 and \xef\xbf\xbd bytes\"");
}

/* --- ELF symbols and debug files ---------------------------------------------- */

static guint64
symbol_address (HearthElf  *elf,
                const char *name)
{
  g_autoptr(GArray) symbols = g_array_new (FALSE, FALSE, sizeof (HearthElfSymbol));
  GStringChunk *names = g_string_chunk_new (4096);
  guint64 addr = 0;

  hearth_elf_collect_symbols (elf, symbols, names);
  for (guint i = 0; i < symbols->len; i++)
    if (strcmp (g_array_index (symbols, HearthElfSymbol, i).name, name) == 0)
      addr = g_array_index (symbols, HearthElfSymbol, i).start;
  g_string_chunk_free (names);
  return addr;
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static gboolean
run_tool (const char *cmdline)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_command_line_sync (cmdline, NULL, NULL, &status, &error))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

typedef struct
{
  char    *dir;
  char    *stripped;
  guint64  spin_leaf;
} DebugFixture;

/* target-cpu stripped of .symtab, with its symbols saved aside */
static gboolean
debug_fixture_init (DebugFixture *fx)
{
  g_autofree char *target = ct_target_path ("target-cpu");
  g_autoptr(HearthElf) elf = hearth_elf_open (target, NULL);
  g_autofree char *cmd = NULL;

  if (!have_program ("objcopy") || elf == NULL)
    return FALSE;
  fx->spin_leaf = symbol_address (elf, "spin_leaf");
  g_assert_cmpuint (fx->spin_leaf, !=, 0);
  fx->dir = g_dir_make_tmp ("hearth-elf-XXXXXX", NULL);
  fx->stripped = g_build_filename (fx->dir, "target-cpu", NULL);
  cmd = g_strdup_printf ("objcopy --strip-all %s %s", target, fx->stripped);
  return run_tool (cmd);
}

static void
rm_rf (const char *path)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf %s", path);

  run_tool (cmd);
}

static void
debug_fixture_clear (DebugFixture *fx)
{
  if (fx->dir != NULL)
    rm_rf (fx->dir);
  g_free (fx->dir);
  g_free (fx->stripped);
}

static void
test_symbols_stripped (void)
{
  DebugFixture fx = { 0 };
  g_autoptr(HearthElf) elf = NULL;
  g_autoptr(HearthSymbolTable) table = NULL;

  if (!debug_fixture_init (&fx))
    {
      g_test_skip ("needs objcopy");
      debug_fixture_clear (&fx);
      return;
    }
  elf = hearth_elf_open (fx.stripped, NULL);
  g_assert_nonnull (elf);
  g_assert_false (hearth_elf_has_symtab (elf));
  g_assert_nonnull (hearth_elf_get_build_id (elf));
  table = hearth_symbol_table_load (elf, fx.stripped, NULL);
  /* static functions are gone with .symtab */
  g_assert_null (hearth_symbol_table_lookup (table, fx.spin_leaf + 4));
  debug_fixture_clear (&fx);
}

static void
test_symbols_build_id (void)
{
  DebugFixture fx = { 0 };
  g_autoptr(HearthElf) elf = NULL;
  g_autoptr(HearthSymbolTable) table = NULL;
  g_autofree char *root = NULL, *debug_dir = NULL, *debug = NULL, *cmd = NULL;
  const char *build_id;

  if (!debug_fixture_init (&fx))
    {
      g_test_skip ("needs objcopy");
      debug_fixture_clear (&fx);
      return;
    }
  elf = hearth_elf_open (fx.stripped, NULL);
  build_id = hearth_elf_get_build_id (elf);
  g_assert_nonnull (build_id);

  /* <root>/usr/lib/debug/.build-id/ab/cdef….debug, root as for a container */
  root = g_build_filename (fx.dir, "root", NULL);
  debug_dir = g_strdup_printf ("%s/usr/lib/debug/.build-id/%.2s", root, build_id);
  g_mkdir_with_parents (debug_dir, 0755);
  debug = g_strdup_printf ("%s/%s.debug", debug_dir, build_id + 2);
  {
    g_autofree char *target = ct_target_path ("target-cpu");

    cmd = g_strdup_printf ("objcopy --only-keep-debug %s %s", target, debug);
    g_assert_true (run_tool (cmd));
  }
  table = hearth_symbol_table_load (elf, fx.stripped, root);
  g_assert_cmpstr (hearth_symbol_table_lookup (table, fx.spin_leaf + 4), ==, "spin_leaf");
  g_assert_nonnull (strstr (hearth_symbol_table_get_sources (table), "debug:"));
  debug_fixture_clear (&fx);
}

static void
test_symbols_debuglink (void)
{
  DebugFixture fx = { 0 };
  g_autoptr(HearthElf) elf = NULL;
  g_autoptr(HearthSymbolTable) table = NULL;
  g_autoptr(HearthSymbolTable) bad_table = NULL;
  g_autofree char *debug = NULL, *cmd = NULL, *linked = NULL, *target = ct_target_path ("target-cpu");

  if (!debug_fixture_init (&fx))
    {
      g_test_skip ("needs objcopy");
      debug_fixture_clear (&fx);
      return;
    }
  debug = g_build_filename (fx.dir, "target-cpu.dbg", NULL);
  linked = g_build_filename (fx.dir, "linked", NULL);
  cmd = g_strdup_printf ("objcopy --only-keep-debug %s %s", target, debug);
  g_assert_true (run_tool (cmd));
  g_free (cmd);
  /* objcopy finds the debug file by name in the current directory */
  cmd = g_strdup_printf ("sh -c 'cd %s && objcopy --add-gnu-debuglink=target-cpu.dbg target-cpu linked'", fx.dir);
  g_assert_true (run_tool (cmd));

  elf = hearth_elf_open (linked, NULL);
  g_assert_cmpstr (hearth_elf_get_debuglink (elf, NULL), ==, "target-cpu.dbg");
  table = hearth_symbol_table_load (elf, linked, NULL);
  g_assert_cmpstr (hearth_symbol_table_lookup (table, fx.spin_leaf + 4), ==, "spin_leaf");

  /* a debug file whose CRC does not match is not used */
  g_file_set_contents (debug, "not the debug file", -1, NULL);
  bad_table = hearth_symbol_table_load (elf, linked, NULL);
  g_assert_null (hearth_symbol_table_lookup (bad_table, fx.spin_leaf + 4));
  debug_fixture_clear (&fx);
}

static void
test_symbols_minidebuginfo (void)
{
  DebugFixture fx = { 0 };
  g_autoptr(HearthElf) elf = NULL;
  g_autoptr(HearthSymbolTable) table = NULL;
  g_autofree char *mini = NULL, *cmd = NULL, *with = NULL, *target = ct_target_path ("target-cpu");

  if (!have_program ("xz") || !debug_fixture_init (&fx))
    {
      g_test_skip ("needs objcopy and xz");
      debug_fixture_clear (&fx);
      return;
    }
  /* as Fedora builds it: function symbols only, xz-compressed, in
   * .gnu_debugdata of the stripped binary */
  mini = g_build_filename (fx.dir, "mini", NULL);
  with = g_build_filename (fx.dir, "with-mini", NULL);
  cmd = g_strdup_printf ("sh -c 'objcopy --only-keep-debug --remove-section=.comment %s %s && xz -f %s "
                         "&& objcopy --add-section .gnu_debugdata=%s.xz %s %s'",
                         target, mini, mini, mini, fx.stripped, with);
  g_assert_true (run_tool (cmd));

  elf = hearth_elf_open (with, NULL);
  g_assert_nonnull (elf);
  table = hearth_symbol_table_load (elf, with, NULL);
  g_assert_cmpstr (hearth_symbol_table_lookup (table, fx.spin_leaf + 4), ==, "spin_leaf");
  g_assert_nonnull (strstr (hearth_symbol_table_get_sources (table), "minidebuginfo"));
  debug_fixture_clear (&fx);
}

static void
test_elf_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint8 junk[4096];

  /* an ELF header followed by nonsense, and plain nonsense */
  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (guint8) (i * 131 + 7);
  memcpy (junk, "\177ELF\2\1\1", 7);
  bytes = g_bytes_new (junk, sizeof junk);
  {
    g_autoptr(HearthElf) elf = hearth_elf_new_from_bytes (bytes, "junk", &error);

    if (elf != NULL)
      {
        HearthEhFrameHdr hdr;
        g_autoptr(GArray) symbols = g_array_new (FALSE, FALSE, sizeof (HearthElfSymbol));
        GStringChunk *names = g_string_chunk_new (64);

        hearth_elf_get_eh_frame_hdr (elf, &hdr);
        hearth_elf_collect_symbols (elf, symbols, names);
        g_string_chunk_free (names);
      }
  }
  g_clear_error (&error);
  g_assert_null (hearth_elf_open ("/proc/self/status", &error));
  g_assert_nonnull (error);
}

/* --- symbolizing our own process ------------------------------------------------ */

__attribute__((noinline)) static int
known_function_for_test (int x)
{
  return x * 3 + (int) time (NULL) % 2;
}

static void
test_symbolizer_self (void)
{
  g_autoptr(HearthModuleMap) map = hearth_module_map_new (getpid ());
  g_autoptr(HearthSymbolizer) symbolizer = NULL;
  HearthStreamFrame frame;
  static const char rodata[] = "a string in .rodata";

  g_assert_true (hearth_module_map_refresh (map));
  symbolizer = hearth_symbolizer_new (map);

  hearth_symbolizer_resolve (symbolizer, (guint64) (guintptr) known_function_for_test + 2, TRUE, &frame);
  g_assert_cmpstr (frame.name, ==, "known_function_for_test");
  g_assert_true (g_str_has_suffix (frame.module, "test-collector-units"));

  /* a return address just past a function still names it (pc - 1) */
  hearth_symbolizer_resolve (symbolizer, (guint64) (guintptr) nanosleep, TRUE, &frame);
  g_assert_cmpstr (frame.name, ==, "nanosleep");
  g_assert_true (strstr (frame.module, "libc") != NULL);

  /* no symbol: module+offset, never dropped */
  hearth_symbolizer_resolve (symbolizer, (guint64) (guintptr) rodata, TRUE, &frame);
  g_assert_true (g_str_has_prefix (frame.name, "test-collector-units+0x"));

  hearth_symbolizer_syscall_frame (symbolizer, 230, &frame);
  g_assert_cmpstr (frame.name, ==, "clock_nanosleep");
  g_assert_cmpint (frame.kind, ==, HEARTH_FRAME_KIND_KERNEL);
  g_assert_cmpint (known_function_for_test (1), >=, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/collector/units/proc-stat", test_proc_stat);
  g_test_add_func ("/hearth/collector/units/proc-syscall", test_proc_syscall);
  g_test_add_func ("/hearth/collector/units/perf-map", test_perf_map);
  g_test_add_func ("/hearth/collector/units/demangle", test_demangle);
  g_test_add_func ("/hearth/collector/units/json-string", test_json_string);
  g_test_add_func ("/hearth/collector/units/symbols-stripped", test_symbols_stripped);
  g_test_add_func ("/hearth/collector/units/symbols-build-id", test_symbols_build_id);
  g_test_add_func ("/hearth/collector/units/symbols-debuglink", test_symbols_debuglink);
  g_test_add_func ("/hearth/collector/units/symbols-minidebuginfo", test_symbols_minidebuginfo);
  g_test_add_func ("/hearth/collector/units/elf-garbage", test_elf_garbage);
  g_test_add_func ("/hearth/collector/units/symbolizer-self", test_symbolizer_self);

  return g_test_run ();
}
