/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * A process that looks like a CPython the reader cannot read: it exports
 * _PyRuntime and Py_Version like a real interpreter (-rdynamic), with the
 * values given on the command line:
 *
 *   fake-python version HEX          Py_Version = HEX (3.11 and older style)
 *   fake-python debug HEX            _PyRuntime starts with a 3.13+
 *                                    _Py_DebugOffsets header for HEX whose
 *                                    sizes and offsets are all 8
 *
 *   fake-python-hostile hostile SEED  a 3.11 whose runtime, thread states,
 *                                    frames and objects are random words,
 *                                    mostly pointers back into that memory,
 *                                    over a skeleton of real links (cycles
 *                                    included)
 *
 * Built three times: fake-python-refdebug also exports _Py_NegativeRefcount,
 * the mark of a Py_REF_DEBUG build; fake-python-hostile exports the type
 * objects the reader checks objects against.
 */

__attribute__((used)) unsigned long Py_Version = 0;
__attribute__((used, aligned (32))) unsigned char _PyRuntime[4096];

#ifdef FAKE_TYPES
__attribute__((used, aligned (32))) unsigned char PyCode_Type[416];
__attribute__((used, aligned (32))) unsigned char PyUnicode_Type[416];
__attribute__((used, aligned (32))) unsigned char PyBytes_Type[416];

static guint64 arena[16384];

static guint64
hostile_word (GRand *rand)
{
  guint32 r = g_rand_int_range (rand, 0, 100);

  if (r < 60)
    return (guint64) (guintptr) &arena[g_rand_int_range (rand, 0, G_N_ELEMENTS (arena))];
  if (r < 75)
    return (guint64) (guintptr) PyCode_Type;
  if (r < 85)
    return (guint64) (guintptr) PyUnicode_Type;
  if (r < 90)
    return (guint64) (guintptr) PyBytes_Type;
  if (r < 97)
    return (guint64) g_rand_int_range (rand, 0, 300);
  return ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
}

static guint64 *
arena_object (GRand *rand)
{
  return &arena[2 * g_rand_int_range (rand, 0, G_N_ELEMENTS (arena) / 2 - 64)];
}

/* Random words, then the skeleton of a 3.11 interpreter over them (the
 * offsets of hearth-python.c's 3.11 table): runtime → interpreter →
 * thread states → frames → code objects → str and bytes objects, each
 * link right most of the time and wrong, looping or missing otherwise,
 * every size and state a random value. */
static void
make_hostile (guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint64 *runtime = (guint64 *) (gpointer) _PyRuntime;
  guint64 *interp;
  guint64 *tstate;

  Py_Version = 0x030B02F0;
  for (guint i = 0; i < G_N_ELEMENTS (arena); i++)
    arena[i] = hostile_word (rand);
  for (guint i = 0; i < sizeof _PyRuntime / 8; i++)
    runtime[i] = hostile_word (rand);

  interp = arena_object (rand);
  runtime[40 / 8] = (guint64) (guintptr) interp;
  tstate = arena_object (rand);
  interp[16 / 8] = (guint64) (guintptr) tstate;

  for (guint t = 0; t < 6; t++)
    {
      guint64 *cframe = arena_object (rand);
      guint64 *frame = arena_object (rand);
      guint64 *next = g_rand_int_range (rand, 0, 8) == 0 ? tstate : arena_object (rand);

      tstate[8 / 8] = t == 5 ? 0 : (guint64) (guintptr) next;
      tstate[160 / 8] = 1000 + t;
      tstate[56 / 8] = (guint64) (guintptr) cframe;
      cframe[8 / 8] = (guint64) (guintptr) frame;
      tstate[296 / 8] = (guint64) (guintptr) arena_object (rand);
      tstate[304 / 8] = tstate[296 / 8] + 8 * g_rand_int_range (rand, 0, 4096);

      for (guint f = 0; f < 40; f++)
        {
          guint64 *code = arena_object (rand);
          guint64 *previous = g_rand_int_range (rand, 0, 10) == 0 ? frame : arena_object (rand);

          code[8 / 8] = g_rand_int_range (rand, 0, 10) ? (guint64) (guintptr) PyCode_Type : code[8 / 8];
          for (guint field = 112; field <= 136; field += 8)
            {
              guint64 *obj = arena_object (rand);

              obj[8 / 8] = (guint64) (guintptr) (field == 136 ? PyBytes_Type : PyUnicode_Type);
              obj[16 / 8] = g_rand_int_range (rand, 0, 3) ? (guint64) g_rand_int_range (rand, 0, 200)
                                                           : hostile_word (rand);
              code[field / 8] = (guint64) (guintptr) obj;
            }
          frame[32 / 8] = (guint64) (guintptr) code;
          frame[48 / 8] = f == 39 ? 0 : (guint64) (guintptr) previous;
          frame = previous;
        }
      tstate = next;
    }
}
#endif

#ifdef FAKE_REF_DEBUG
__attribute__((used)) void _Py_NegativeRefcount (void);
void
_Py_NegativeRefcount (void)
{
}
#endif

int
main (int   argc,
      char *argv[])
{
  guint64 hex;

  if (argc < 3)
    return 2;
  hex = g_ascii_strtoull (argv[2], NULL, 16);

  if (strcmp (argv[1], "version") == 0)
    Py_Version = (unsigned long) hex;
  else if (strcmp (argv[1], "debug") == 0)
    {
      guint64 sizes[70];

      memcpy (_PyRuntime, "xdebugpy", 8);
      memcpy (_PyRuntime + 8, &hex, 8);
      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        sizes[i] = 8;
      memcpy (_PyRuntime + 24, sizes, sizeof sizes);
    }
#ifdef FAKE_TYPES
  else if (strcmp (argv[1], "hostile") == 0)
    make_hostile ((guint32) g_ascii_strtoull (argv[2], NULL, 10));
#endif
  else
    return 2;

  printf ("ready pid=%d\n", (int) getpid ());
  fflush (stdout);
  sleep (60);
  return 0;
}
