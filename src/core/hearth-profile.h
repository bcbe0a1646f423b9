/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "hearth-types.h"

G_BEGIN_DECLS

/*
 * HearthProfile: the in-memory model of one recording.
 *
 * Tables, all append-only, addressed by guint32 ids:
 *   strings   interned UTF-8 strings (id 0 is always "")
 *   functions (name, module, file, line, kind); interned on all fields
 *   frames    (function, line, address); interned on all fields
 *   stacks    prefix tree: (parent stack or HEARTH_NO_ID, frame); interned.
 *             A parent id is always smaller than its children's ids.
 *   threads   (tid, pid, name); thread *index* is the id
 *   samples   per thread, time-ordered columns (time ns relative to the
 *             profile start, stack id, state, weight)
 *
 * Threading: appends and queries may happen on different threads. Every
 * public function takes the profile's internal lock as needed; pointers
 * returned for strings stay valid for the lifetime of the profile.
 * Samples of one thread must be appended in non-decreasing time order.
 */

#define HEARTH_TYPE_PROFILE (hearth_profile_get_type ())
G_DECLARE_FINAL_TYPE (HearthProfile, hearth_profile, HEARTH, PROFILE, GObject)

typedef struct
{
  guint32 name;       /* string id */
  guint32 module;     /* string id: binary/library path or Python module file */
  guint32 file;       /* string id: source file, 0 if unknown */
  guint32 line;       /* first line of the function, 0 if unknown */
  guint32 kind;       /* HearthFrameKind */
} HearthFunction;

typedef struct
{
  guint32 function;   /* function id */
  guint32 line;       /* line executing in this frame, 0 if unknown */
  guint64 address;    /* module-relative pc, 0 if unknown */
} HearthFrame;

typedef struct
{
  guint32 parent;     /* stack id, or HEARTH_NO_ID for a root frame */
  guint32 frame;      /* frame id */
  guint32 depth;      /* 0 for a root frame */
} HearthStack;

typedef struct
{
  gint32  tid;
  gint32  pid;
  guint32 name;       /* string id */
} HearthThread;

typedef struct
{
  gint64  time_ns;    /* start (relative to the profile start) */
  gint64  end_ns;     /* == time_ns for an instant marker */
  guint32 kind;       /* string id: "process-exited", "connection-lost", "paused", … */
  guint32 text;       /* string id: human-readable detail */
} HearthMarker;

/* One sample as passed to append/read helpers. */
typedef struct
{
  gint64  time_ns;
  guint32 stack;      /* stack id, or HEARTH_NO_ID for "no stack" (unwind failed) */
  guint32 weight;     /* usually 1 */
  guint8  state;      /* HearthThreadState */
} HearthSample;

HearthProfile  *hearth_profile_new                (void);

/* --- building ------------------------------------------------------------ */
guint32         hearth_profile_intern_string      (HearthProfile        *self,
                                                   const char           *str);
guint32         hearth_profile_intern_function    (HearthProfile        *self,
                                                   const HearthFunction *function);
guint32         hearth_profile_intern_frame       (HearthProfile        *self,
                                                   const HearthFrame    *frame);
guint32         hearth_profile_intern_stack       (HearthProfile        *self,
                                                   guint32               parent,
                                                   guint32               frame);
/* Convenience: intern a whole stack given root-first frame ids. */
guint32         hearth_profile_intern_stack_path  (HearthProfile        *self,
                                                   const guint32        *frames,
                                                   guint                 n_frames);
/* Returns the thread index; an existing (pid, tid) gets its name updated. */
guint32         hearth_profile_add_thread         (HearthProfile        *self,
                                                   gint32                pid,
                                                   gint32                tid,
                                                   const char           *name);
void            hearth_profile_append_sample      (HearthProfile        *self,
                                                   guint32               thread,
                                                   const HearthSample   *sample);
void            hearth_profile_append_samples     (HearthProfile        *self,
                                                   guint32               thread,
                                                   const HearthSample   *samples,
                                                   guint                 n_samples);
void            hearth_profile_add_marker         (HearthProfile        *self,
                                                   gint64                time_ns,
                                                   gint64                end_ns,
                                                   const char           *kind,
                                                   const char           *text);
/* Metadata: free-form key/value strings (host, pid, cmdline, mode, rate,
 * start-wall-time, collector-version, …). */
void            hearth_profile_set_metadata       (HearthProfile        *self,
                                                   const char           *key,
                                                   const char           *value);
char           *hearth_profile_dup_metadata       (HearthProfile        *self,
                                                   const char           *key);
/* Returns a new array of keys (sorted). */
GStrv           hearth_profile_list_metadata      (HearthProfile        *self);

/* --- reading --------------------------------------------------------------- */
const char     *hearth_profile_get_string         (HearthProfile        *self,
                                                   guint32               id);
guint           hearth_profile_get_n_strings      (HearthProfile        *self);
guint           hearth_profile_get_n_functions    (HearthProfile        *self);
gboolean        hearth_profile_get_function       (HearthProfile        *self,
                                                   guint32               id,
                                                   HearthFunction       *out);
guint           hearth_profile_get_n_frames       (HearthProfile        *self);
gboolean        hearth_profile_get_frame          (HearthProfile        *self,
                                                   guint32               id,
                                                   HearthFrame          *out);
guint           hearth_profile_get_n_stacks       (HearthProfile        *self);
gboolean        hearth_profile_get_stack          (HearthProfile        *self,
                                                   guint32               id,
                                                   HearthStack          *out);
/* Function id of a stack's own (leaf) frame. */
guint32         hearth_profile_get_stack_function (HearthProfile        *self,
                                                   guint32               stack);
guint           hearth_profile_get_n_threads      (HearthProfile        *self);
gboolean        hearth_profile_get_thread         (HearthProfile        *self,
                                                   guint32               index,
                                                   HearthThread         *out);
guint           hearth_profile_get_n_markers      (HearthProfile        *self);
gboolean        hearth_profile_get_marker         (HearthProfile        *self,
                                                   guint                 index,
                                                   HearthMarker         *out);
/* Samples of one thread; copies up to n_samples from position first. */
guint64         hearth_profile_get_n_thread_samples (HearthProfile      *self,
                                                   guint32               thread);
guint           hearth_profile_read_thread_samples (HearthProfile       *self,
                                                   guint32               thread,
                                                   guint64               first,
                                                   HearthSample         *out,
                                                   guint                 n_samples);
guint64         hearth_profile_get_n_samples      (HearthProfile        *self);
/* Sum of weights of every sample. */
guint64         hearth_profile_get_total_weight   (HearthProfile        *self);
/* Time span covered by samples and markers: [0, duration). */
gint64          hearth_profile_get_duration_ns    (HearthProfile        *self);
/* Bumped on every append; views poll it to refresh live sessions. */
guint64         hearth_profile_get_generation     (HearthProfile        *self);

/* Iterate the samples of a selection, thread by thread, in time order
 * within each thread. Returns FALSE from func to stop. */
typedef gboolean (*HearthSampleFunc) (guint32             thread,
                                      const HearthSample *sample,
                                      gpointer            user_data);
void            hearth_profile_foreach_sample     (HearthProfile         *self,
                                                   const HearthSelection *selection,
                                                   HearthSampleFunc       func,
                                                   gpointer               user_data);

/* Sum the weights of the selected samples into per-stack counts.
 * @counts must hold hearth_profile_get_n_stacks() entries and is added to
 * (not cleared). Returns the total weight added. Samples without a stack
 * are counted in the return value only. O(samples in range). */
guint64         hearth_profile_accumulate_stacks (HearthProfile         *self,
                                                   const HearthSelection *selection,
                                                   guint64               *counts,
                                                   guint                  n_counts);

/* Number of samples (not weight) of the selection; O(threads × log n)
 * unless running_only is set, which scans the range. */
guint64         hearth_profile_count_samples      (HearthProfile         *self,
                                                   const HearthSelection *selection);

/* Convenience: a short human summary (threads, samples, span, top
 * functions) as printed by `run.sh` before the app existed. */
char           *hearth_profile_describe           (HearthProfile        *self,
                                                   guint                 n_top);

G_END_DECLS
