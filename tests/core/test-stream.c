/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "hearth-error.h"
#include "hearth-session-store.h"
#include "hearth-stream.h"
#include "store-test-util.h"

/*
 * Each test encodes with the real encoder while building the profile the
 * decoder should produce directly through the profile API; the decoded
 * profile must equal it table by table.
 */

static const HearthStreamFrame frame_pool[] = {
  { "_start", "/usr/bin/app", NULL, 0, 0, 0x1000, HEARTH_FRAME_KIND_NATIVE },
  { "main", "/usr/bin/app", "main.c", 40, 38, 0x1100, HEARTH_FRAME_KIND_NATIVE },
  { "serve", "/usr/bin/app", "serve.c", 12, 10, 0x1200, HEARTH_FRAME_KIND_NATIVE },
  { "serve", "/usr/bin/app", "serve.c", 14, 10, 0x1208, HEARTH_FRAME_KIND_NATIVE },
  { "retry_backoff", "/usr/bin/app", "queue.c", 77, 70, 0x1300, HEARTH_FRAME_KIND_NATIVE },
  { "nanosleep", "/usr/lib/libc.so.6", "", 0, 0, 0xffffffffffff0000ull, HEARTH_FRAME_KIND_NATIVE },
  { "handle", "app.py", "app.py", 12, 10, 0, HEARTH_FRAME_KIND_PYTHON },
  { "do_syscall_64", "[kernel]", NULL, 0, 0, 0x8000000000000001ull, HEARTH_FRAME_KIND_KERNEL },
  { "größe", "/usr/lib/libü.so", "ü.c", 5, 1, 0x42, HEARTH_FRAME_KIND_NATIVE },
  { "libfoo.so+0x1234", "/usr/lib/libfoo.so", NULL, 0, 0, 0x1234, HEARTH_FRAME_KIND_UNKNOWN },
  { "recurse", "/usr/bin/app", "r.c", 3, 1, 0x2000, HEARTH_FRAME_KIND_NATIVE },
  { "write", "/usr/lib/libc.so.6", "", 0, 0, 0x9999, HEARTH_FRAME_KIND_NATIVE },
};

typedef struct
{
  HearthStreamEncoder *encoder;
  HearthProfile       *expected;
  GHashTable          *threads;      /* tid → expected thread index */
  GArray              *sample_ends;  /* gsize: stream offset after each sample */
  gsize                taken;        /* bytes taken out of the encoder so far */
  GByteArray          *bytes;
} Source;

static void
source_init (Source *src)
{
  HearthStreamHello hello = {
    .protocol_version = HEARTH_STREAM_PROTOCOL_VERSION,
    .collector_version = (char *) "0.1.0-test",
    .host = (char *) "build-host",
    .pid = 4242,
    .command_line = (char *) "demo-target --documents 10",
    .rate_hz = 99,
    .mode = (char *) "wall",
    .start_wall_time_us = G_GINT64_CONSTANT (1700000000123456),
  };

  src->encoder = hearth_stream_encoder_new ();
  src->expected = hearth_profile_new ();
  src->threads = g_hash_table_new (NULL, NULL);
  src->sample_ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  src->bytes = g_byte_array_new ();

  hearth_stream_encoder_hello (src->encoder, &hello);
  hearth_profile_set_metadata (src->expected, "protocol-version", "1");
  hearth_profile_set_metadata (src->expected, "collector-version", "0.1.0-test");
  hearth_profile_set_metadata (src->expected, "host", "build-host");
  hearth_profile_set_metadata (src->expected, "pid", "4242");
  hearth_profile_set_metadata (src->expected, "command-line", "demo-target --documents 10");
  hearth_profile_set_metadata (src->expected, "rate-hz", "99");
  hearth_profile_set_metadata (src->expected, "mode", "wall");
  hearth_profile_set_metadata (src->expected, "start-wall-time-us", "1700000000123456");
}

static void
source_clear (Source *src)
{
  g_clear_object (&src->encoder);
  g_clear_object (&src->expected);
  g_clear_pointer (&src->threads, g_hash_table_unref);
  g_clear_pointer (&src->sample_ends, g_array_unref);
  g_clear_pointer (&src->bytes, g_byte_array_unref);
}

static void
source_thread (Source     *src,
               gint32      pid,
               gint32      tid,
               const char *name)
{
  guint32 index = hearth_profile_add_thread (src->expected, pid, tid, name);

  hearth_stream_encoder_thread (src->encoder, pid, tid, name);
  g_hash_table_insert (src->threads, GINT_TO_POINTER (tid), GUINT_TO_POINTER (index));
}

static void
source_sample (Source                  *src,
               gint32                   tid,
               gint64                   time_ns,
               HearthThreadState        state,
               guint32                  weight,
               const HearthStreamFrame *frames,
               guint                    n_frames)
{
  HearthSample s = { .time_ns = time_ns, .stack = HEARTH_NO_ID, .weight = weight, .state = state };
  gsize end;

  for (guint i = 0; i < n_frames; i++)
    {
      HearthFunction f = { 0 };
      HearthFrame fr = { 0 };

      f.name = hearth_profile_intern_string (src->expected, frames[i].name);
      f.module = hearth_profile_intern_string (src->expected, frames[i].module);
      f.file = hearth_profile_intern_string (src->expected, frames[i].file);
      f.line = frames[i].function_line;
      f.kind = frames[i].kind;
      fr.function = hearth_profile_intern_function (src->expected, &f);
      fr.line = frames[i].line;
      fr.address = frames[i].address;
      s.stack = hearth_profile_intern_stack (src->expected, s.stack,
                                             hearth_profile_intern_frame (src->expected, &fr));
    }
  hearth_profile_append_sample (src->expected,
                                GPOINTER_TO_UINT (g_hash_table_lookup (src->threads, GINT_TO_POINTER (tid))),
                                &s);

  hearth_stream_encoder_sample (src->encoder, tid, time_ns, state, weight, frames, n_frames);
  end = src->taken + hearth_stream_encoder_get_pending (src->encoder);
  g_array_append_val (src->sample_ends, end);
}

/* Move the encoder's output into src->bytes. */
static void
source_take (Source *src)
{
  g_autoptr(GBytes) bytes = hearth_stream_encoder_take_bytes (src->encoder);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_byte_array_append (src->bytes, data, len);
  src->taken += len;
}

/* A realistic recording: 3 threads, stacks that share prefixes, a
 * blocked thread repeating one stack, a rename, markers, metadata, a
 * warning and an end record. */
static void
source_fill (Source  *src,
             guint    n_samples,
             gboolean with_end)
{
  GRand *rand = g_rand_new_with_seed (99);
  HearthStreamFrame frames[40];
  gint64 time = 0;

  source_thread (src, 4242, 4242, "demo-target");
  source_thread (src, 4242, 4243, "queue-client");
  source_thread (src, 4242, 4244, "python");
  hearth_stream_encoder_metadata (src->encoder, "target-name", "demo-target");
  hearth_profile_set_metadata (src->expected, "target-name", "demo-target");

  for (guint i = 0; i < n_samples; i++)
    {
      gint32 tid = 4242 + i % 3;
      guint n = 0;
      guint r = g_rand_int_range (rand, 0, 100);

      if (tid == 4243)
        {
          /* blocked in the same call most of the time */
          frames[n++] = frame_pool[0];
          frames[n++] = frame_pool[1];
          frames[n++] = frame_pool[4];
          frames[n++] = frame_pool[r < 80 ? 5 : 11];
        }
      else if (r >= 2)
        {
          guint depth = g_rand_int_range (rand, 1, 30);

          frames[n++] = frame_pool[0];
          for (guint d = 1; d < depth; d++)
            frames[n++] = frame_pool[g_rand_int_range (rand, 1, G_N_ELEMENTS (frame_pool))];
        }
      /* else: unwinding failed, no frames at all */

      time += g_rand_int_range (rand, 0, 4000000);
      source_sample (src, tid, time, g_rand_int_range (rand, 0, 4),
                     r == 50 ? 0 : r == 51 ? 1000000 : 1, frames, n);

      if (i == n_samples / 2)
        {
          source_thread (src, 4242, 4243, "queue-client (renamed)");
          hearth_stream_encoder_marker (src->encoder, time, time + 5000, "paused", "paused by the user");
          hearth_profile_add_marker (src->expected, time, time + 5000, "paused", "paused by the user");
          hearth_stream_encoder_error (src->encoder, FALSE, "thread 4244 vanished during sampling");
        }
      if (i % 97 == 0)
        source_take (src);
    }

  if (with_end)
    {
      HearthStreamStats stats = {
        .samples = n_samples,
        .unwind_failures = 7,
        .dropped = 2,
        .threads = 3,
        .duration_ns = time,
        .exit_status = 0,
      };
      g_autofree char *duration = g_strdup_printf ("%" G_GINT64_FORMAT, time);

      hearth_stream_encoder_marker (src->encoder, time, time, "process-exited", "exit status 0");
      hearth_profile_add_marker (src->expected, time, time, "process-exited", "exit status 0");
      hearth_stream_encoder_end (src->encoder, &stats);
      hearth_profile_set_metadata (src->expected, "unwind-failures", "7");
      hearth_profile_set_metadata (src->expected, "dropped-samples", "2");
      hearth_profile_set_metadata (src->expected, "duration-ns", duration);
      hearth_profile_set_metadata (src->expected, "exit-status", "0");
    }
  source_take (src);
  g_rand_free (rand);
}

typedef struct
{
  guint  hello;
  guint  errors;
  guint  fatal_errors;
  guint  end;
  char  *last_error;
} Signals;

static void
hello_cb (HearthStreamDecoder     *decoder,
          const HearthStreamHello *hello,
          Signals                 *sig)
{
  g_assert_cmpuint (hello->protocol_version, ==, HEARTH_STREAM_PROTOCOL_VERSION);
  sig->hello++;
}

static void
error_cb (HearthStreamDecoder *decoder,
          gboolean             fatal,
          const char          *message,
          Signals             *sig)
{
  sig->errors++;
  sig->fatal_errors += fatal;
  g_free (sig->last_error);
  sig->last_error = g_strdup (message);
}

static void
end_cb (HearthStreamDecoder     *decoder,
        const HearthStreamStats *stats,
        Signals                 *sig)
{
  sig->end++;
}

static HearthStreamDecoder *
new_decoder (HearthProfile *profile,
             Signals       *sig)
{
  HearthStreamDecoder *decoder = hearth_stream_decoder_new (profile);

  g_signal_connect (decoder, "hello", G_CALLBACK (hello_cb), sig);
  g_signal_connect (decoder, "error", G_CALLBACK (error_cb), sig);
  g_signal_connect (decoder, "end", G_CALLBACK (end_cb), sig);
  return decoder;
}

/* --- tests ------------------------------------------------------------------ */

static void
test_round_trip (void)
{
  Source src = { 0 };
  Signals sig = { 0 };
  g_autoptr(HearthProfile) decoded = hearth_profile_new ();
  g_autoptr(HearthStreamDecoder) decoder = new_decoder (decoded, &sig);
  g_autoptr(GError) error = NULL;
  const HearthStreamHello *hello;
  const HearthStreamStats *stats;

  source_init (&src);
  g_assert_false (hearth_stream_decoder_has_hello (decoder));
  g_assert_null (hearth_stream_decoder_get_stats (decoder));
  source_fill (&src, 3000, TRUE);

  g_assert_true (hearth_stream_decoder_feed (decoder, src.bytes->data, src.bytes->len, &error));
  g_assert_no_error (error);
  g_assert_true (hearth_stream_decoder_finish (decoder, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (sig.hello, ==, 1);
  g_assert_cmpuint (sig.errors, ==, 1);
  g_assert_cmpuint (sig.fatal_errors, ==, 0);
  g_assert_cmpstr (sig.last_error, ==, "thread 4244 vanished during sampling");
  g_assert_cmpuint (sig.end, ==, 1);

  g_assert_true (hearth_stream_decoder_has_hello (decoder));
  g_assert_true (hearth_stream_decoder_has_ended (decoder));
  hello = hearth_stream_decoder_get_hello (decoder);
  g_assert_cmpstr (hello->host, ==, "build-host");
  g_assert_cmpint (hello->pid, ==, 4242);
  g_assert_cmpuint (hello->rate_hz, ==, 99);
  g_assert_cmpint (hello->start_wall_time_us, ==, G_GINT64_CONSTANT (1700000000123456));
  stats = hearth_stream_decoder_get_stats (decoder);
  g_assert_cmpuint (stats->samples, ==, 3000);
  g_assert_cmpuint (stats->unwind_failures, ==, 7);
  g_assert_cmpint (stats->exit_status, ==, 0);
  g_assert_true (hearth_stream_decoder_get_profile (decoder) == decoded);

  util_assert_profiles_equal (src.expected, decoded, FALSE);
  util_assert_profile_sane (decoded);

  g_free (sig.last_error);
  source_clear (&src);
}

/* The decoder must not care how the bytes are split. */
static void
test_split_feeds (void)
{
  Source src = { 0 };
  GRand *rand = g_rand_new_with_seed (5);

  source_init (&src);
  source_fill (&src, 600, TRUE);

  for (guint mode = 0; mode < 3; mode++)
    {
      Signals sig = { 0 };
      g_autoptr(HearthProfile) decoded = hearth_profile_new ();
      g_autoptr(HearthStreamDecoder) decoder = new_decoder (decoded, &sig);
      g_autoptr(GError) error = NULL;
      gsize pos = 0;

      while (pos < src.bytes->len)
        {
          gsize n = mode == 0 ? 1 : mode == 1 ? g_rand_int_range (rand, 1, 40) : g_rand_int_range (rand, 100, 5000);

          n = MIN (n, src.bytes->len - pos);
          g_assert_true (hearth_stream_decoder_feed (decoder, src.bytes->data + pos, n, &error));
          g_assert_no_error (error);
          pos += n;
        }
      g_assert_true (hearth_stream_decoder_finish (decoder, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (sig.hello, ==, 1);
      g_assert_cmpuint (sig.end, ==, 1);
      util_assert_profiles_equal (src.expected, decoded, FALSE);
      g_free (sig.last_error);
    }

  g_rand_free (rand);
  source_clear (&src);
}

static GBytes *
encode_hello (guint32     protocol,
              const char *version)
{
  g_autoptr(HearthStreamEncoder) encoder = hearth_stream_encoder_new ();
  HearthStreamHello hello = {
    .protocol_version = protocol,
    .collector_version = (char *) version,
    .host = (char *) "remote-host",
    .pid = 1,
    .command_line = (char *) "x",
    .rate_hz = 99,
    .mode = (char *) "wall",
  };

  hearth_stream_encoder_hello (encoder, &hello);
  return hearth_stream_encoder_take_bytes (encoder);
}

static void
assert_feed_fails (HearthStreamDecoder *decoder,
                   const guint8        *data,
                   gsize                len,
                   int                  code,
                   const char          *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (hearth_stream_decoder_feed (decoder, data, len, &error));
  g_assert_error (error, HEARTH_STREAM_ERROR, code);
  g_test_message ("%s", error->message);
  if (fragment != NULL)
    g_assert_nonnull (strstr (error->message, fragment));
  g_clear_error (&error);

  /* the failure is sticky, and finish reports the same error */
  g_assert_false (hearth_stream_decoder_feed (decoder, (const guint8 *) "x", 1, &error));
  g_assert_error (error, HEARTH_STREAM_ERROR, code);
  g_clear_error (&error);
  g_assert_false (hearth_stream_decoder_finish (decoder, &error));
  g_assert_error (error, HEARTH_STREAM_ERROR, code);
}

static void
test_version_mismatch (void)
{
  /* a newer collector, local and remote */
  {
    g_autoptr(GBytes) bytes = encode_hello (2, "0.3");
    g_autoptr(HearthProfile) profile = hearth_profile_new ();
    g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (profile);

    assert_feed_fails (decoder, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                       HEARTH_STREAM_ERROR_VERSION, "hearth-collector 0.3 speaks protocol 2, this Hearth needs 1");
    g_assert_false (hearth_stream_decoder_has_hello (decoder));
  }
  {
    g_autoptr(GBytes) bytes = encode_hello (2, "0.3");
    g_autoptr(HearthProfile) profile = hearth_profile_new ();
    g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (profile);

    hearth_stream_decoder_set_remote_host (decoder, "alice@example.org");
    assert_feed_fails (decoder, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                       HEARTH_STREAM_ERROR_VERSION, "remote hearth-collector 0.3 speaks protocol 2, this Hearth needs 1");
  }
  /* an old collector whose hello had nothing but the two versions */
  {
    static const guint8 old[] = { 'H', 'R', 'T', 'H', 'S', 'T', 'R', 'M',
                                  1, 7, 0, 5, '0', '.', '0', '.', '1' };
    g_autoptr(HearthProfile) profile = hearth_profile_new ();
    g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (profile);

    hearth_stream_decoder_set_remote_host (decoder, "old-box");
    assert_feed_fails (decoder, old, sizeof old, HEARTH_STREAM_ERROR_VERSION,
                       "remote hearth-collector 0.0.1 speaks protocol 0, this Hearth needs 1. "
                       "Install hearth-collector " PACKAGE_VERSION " on old-box");
  }
}

/* Newer collectors may add record types and trailing fields. */
static void
test_forward_compatible (void)
{
  g_autoptr(GBytes) hello = encode_hello (HEARTH_STREAM_PROTOCOL_VERSION, "9.9");
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (profile);
  g_autoptr(GError) error = NULL;
  GByteArray *buf = g_byte_array_new ();
  gsize hello_len = g_bytes_get_size (hello);
  const guint8 *h = g_bytes_get_data (hello, NULL);
  /* unknown record 200 with a payload; a THREAD with an extra field; a
   * STRING; a STACK-less SAMPLE with trailing bytes; END */
  static const guint8 records[] = {
    200, 3, 0xaa, 0xbb, 0xcc,
    2, 6, 0, 2, 4, 1, 'a', 0x7f,
    0, 0,
    7, 6, 0, 2, 0, 0, 0x55, 0x66,
    10, 6, 1, 0, 0, 1, 0, 1,
  };

  /* the hello record with two extra trailing bytes: patch its length */
  g_byte_array_append (buf, h, 8);
  g_assert_cmpuint (h[8], ==, 1);
  g_assert_cmpuint (h[9], <, 0x7e);
  g_byte_array_append (buf, (const guint8[]) { 1, h[9] + 2 }, 2);
  g_byte_array_append (buf, h + 10, hello_len - 10);
  g_byte_array_append (buf, (const guint8[]) { 0x12, 0x34 }, 2);
  g_byte_array_append (buf, records, sizeof records);

  g_assert_true (hearth_stream_decoder_feed (decoder, buf->data, buf->len, &error));
  g_assert_no_error (error);
  g_assert_true (hearth_stream_decoder_finish (decoder, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_threads (profile), ==, 1);
  g_assert_cmpuint (hearth_profile_get_n_samples (profile), ==, 1);
  g_byte_array_unref (buf);
}

static void
test_bad_magic (void)
{
  static const char * const inputs[] = { "HRTX", "{\"samples\": []}", "hrthstrm", "\x00" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(HearthProfile) profile = hearth_profile_new ();
      g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (profile);

      assert_feed_fails (decoder, (const guint8 *) inputs[i], MAX (strlen (inputs[i]), 1),
                         HEARTH_STREAM_ERROR_BAD_MAGIC, "not a hearth-collector stream");
    }
}

/* Cut anywhere: everything before the cut is kept, TRUNCATED reported. */
static void
test_truncated (void)
{
  Source src = { 0 };

  source_init (&src);
  source_fill (&src, 400, TRUE);

  for (gsize cut = 0; cut < src.bytes->len; cut += 1 + cut / 50)
    {
      g_autoptr(HearthProfile) decoded = hearth_profile_new ();
      g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (decoded);
      g_autoptr(GError) error = NULL;
      guint expect = 0;

      while (expect < src.sample_ends->len && g_array_index (src.sample_ends, gsize, expect) <= cut)
        expect++;

      g_assert_true (hearth_stream_decoder_feed (decoder, src.bytes->data, cut, &error));
      g_assert_no_error (error);
      g_assert_false (hearth_stream_decoder_finish (decoder, &error));
      g_assert_error (error, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_TRUNCATED);
      g_assert_cmpuint (hearth_profile_get_n_samples (decoded), ==, expect);
      util_assert_profile_sane (decoded);
    }

  /* read_all hands back the partial profile */
  {
    g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (src.bytes->data, src.bytes->len - 3, NULL);
    g_autoptr(HearthProfile) partial = NULL;
    g_autoptr(HearthProfile) profile = NULL;
    g_autoptr(GError) error = NULL;

    profile = hearth_stream_read_all (input, &partial, NULL, &error);
    g_assert_null (profile);
    g_assert_error (error, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_TRUNCATED);
    g_assert_nonnull (strstr (error->message, "400 samples"));
    g_assert_cmpuint (hearth_profile_get_n_samples (partial), ==, 400);
  }
  /* nothing at all */
  {
    g_autoptr(GInputStream) input = g_memory_input_stream_new ();
    g_autoptr(HearthProfile) partial = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_null (hearth_stream_read_all (input, &partial, NULL, &error));
    g_assert_error (error, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_TRUNCATED);
    g_assert_nonnull (strstr (error->message, "sent nothing"));
    g_assert_nonnull (partial);
  }

  source_clear (&src);
}

/* Hostile records after a good start: corrupt, never a crash, and what
 * was decoded before stays. */
static void
test_corrupt (void)
{
  static const struct {
    guint8      bytes[16];
    gsize       len;
    const char *fragment;
  } cases[] = {
    { { 7, 4, 0, 2, 0, 99 }, 6, "undefined thread or stack" },      /* stack 98 */
    { { 7, 4, 9, 2, 0, 0 }, 6, "undefined thread or stack" },       /* thread 9 */
    { { 6, 3, 5, 0, 0 }, 5, "out of order" },                        /* stack id 5 first */
    { { 6, 3, 1, 0, 50 }, 5, "malformed stack" },                    /* frame 50 */
    { { 6, 3, 1, 2, 0 }, 5, "malformed stack" },                     /* parent = itself */
    { { 5, 3, 1, 3, 0 }, 5, "malformed frame" },                     /* function 3 */
    { { 4, 6, 1, 0, 0, 9, 0, 0 }, 8, "malformed function" },         /* string 9 */
    { { 3, 3, 3, 5, 'x' }, 5, "malformed string" },                  /* length past end */
    { { 1, 1, 1 }, 3, "second hello" },
    { { 7, 0xff, 0xff, 0xff, 0xff, 0x7f }, 6, "impossibly large" },
    { { 7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, 12, "length is malformed" },
    { { 7, 3, 0, 0x80, 0x80 }, 5, "malformed sample" },              /* varint runs past the record */
    { { 7, 12, 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0 }, 14, "time out of range" },
    { { 2, 3, 5, 0, 0 }, 5, "malformed thread" },                    /* thread id skips ahead */
    { { 8, 2, 0, 0 }, 4, "malformed marker" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Source src = { 0 };
      g_autoptr(HearthProfile) decoded = hearth_profile_new ();
      g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (decoded);
      g_autoptr(GError) error = NULL;
      HearthStreamFrame frame = frame_pool[1];

      g_test_message ("case %u", i);
      source_init (&src);
      source_thread (&src, 1, 1, "t");
      source_sample (&src, 1, 1000, HEARTH_THREAD_STATE_RUNNING, 1, &frame, 1);
      source_take (&src);
      g_assert_true (hearth_stream_decoder_feed (decoder, src.bytes->data, src.bytes->len, &error));
      g_assert_no_error (error);

      assert_feed_fails (decoder, cases[i].bytes, cases[i].len, HEARTH_STREAM_ERROR_CORRUPT, cases[i].fragment);
      g_assert_cmpuint (hearth_profile_get_n_samples (decoded), ==, 1);
      util_assert_profile_sane (decoded);
      source_clear (&src);
    }

  /* no hello first */
  {
    static const guint8 bytes[] = { 'H', 'R', 'T', 'H', 'S', 'T', 'R', 'M', 2, 3, 0, 0, 0 };
    g_autoptr(HearthProfile) profile = hearth_profile_new ();
    g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (profile);

    assert_feed_fails (decoder, bytes, sizeof bytes, HEARTH_STREAM_ERROR_CORRUPT, "hello");
  }
}

static void
test_remote_error (void)
{
  Source src = { 0 };
  Signals sig = { 0 };
  g_autoptr(HearthProfile) decoded = hearth_profile_new ();
  g_autoptr(HearthStreamDecoder) decoder = new_decoder (decoded, &sig);
  g_autoptr(GError) error = NULL;
  static const char message[] = "Cannot attach to process 4242 (nginx): permission denied. "
                                "Run as the same user or with CAP_SYS_PTRACE.";

  source_init (&src);
  hearth_stream_encoder_error (src.encoder, TRUE, message);
  source_take (&src);

  g_assert_true (hearth_stream_decoder_feed (decoder, src.bytes->data, src.bytes->len, &error));
  g_assert_cmpuint (sig.fatal_errors, ==, 1);
  g_assert_cmpstr (sig.last_error, ==, message);
  g_assert_false (hearth_stream_decoder_finish (decoder, &error));
  g_assert_error (error, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_REMOTE);
  g_assert_cmpstr (error->message, ==, message);

  g_free (sig.last_error);
  source_clear (&src);
}

/* Child mode: write the stream of source_fill() to stdout in pieces, as
 * `hearth-collector stream` would. */
static int
run_emitter (void)
{
  Source src = { 0 };

  source_init (&src);
  source_fill (&src, 2000, TRUE);
  for (gsize pos = 0; pos < src.bytes->len; pos += 3001)
    {
      gsize n = MIN (3001, src.bytes->len - pos);

      if (fwrite (src.bytes->data + pos, 1, n, stdout) != n)
        return 1;
      fflush (stdout);
    }
  source_clear (&src);
  return 0;
}

/* From a real process through a real pipe, with read_all, as `hearth
 * record` reads a collector. */
static void
test_read_all_pipe (void)
{
  Source src = { 0 };
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);

  source_init (&src);
  source_fill (&src, 2000, TRUE);

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_exe, "--emit-stream", NULL);
  g_assert_no_error (error);
  profile = hearth_stream_read_all (g_subprocess_get_stdout_pipe (child), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (child, NULL, &error));
  g_assert_no_error (error);
  util_assert_profiles_equal (src.expected, profile, FALSE);

  source_clear (&src);
}

/* The encoder's common case: a repeated stack costs a few bytes and no
 * definitions; a stack seen on another thread is not defined again. */
static void
test_encoder_compact (void)
{
  g_autoptr(HearthStreamEncoder) encoder = hearth_stream_encoder_new ();
  HearthStreamFrame frames[32];
  gsize before, after;

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    frames[i] = frame_pool[i % G_N_ELEMENTS (frame_pool)];

  hearth_stream_encoder_thread (encoder, 1, 1, "a");
  hearth_stream_encoder_thread (encoder, 1, 2, "b");
  hearth_stream_encoder_sample (encoder, 1, 0, HEARTH_THREAD_STATE_SLEEPING, 1, frames, 32);
  before = hearth_stream_encoder_get_pending (encoder);
  for (guint i = 1; i <= 100; i++)
    hearth_stream_encoder_sample (encoder, 1, i * 10101010, HEARTH_THREAD_STATE_SLEEPING, 1, frames, 32);
  after = hearth_stream_encoder_get_pending (encoder);
  g_test_message ("%.1f bytes per repeated sample", (after - before) / 100.0);
  g_assert_cmpuint (after - before, <=, 100 * 10);

  /* same stack on another thread: sample record only */
  before = after;
  hearth_stream_encoder_sample (encoder, 2, 1010101010, HEARTH_THREAD_STATE_RUNNING, 1, frames, 32);
  after = hearth_stream_encoder_get_pending (encoder);
  g_assert_cmpuint (after - before, <=, 12);

  /* a changed leaf defines only what is new: one stack (+ frame) */
  before = after;
  frames[31] = frame_pool[4];
  hearth_stream_encoder_sample (encoder, 2, 1010101011, HEARTH_THREAD_STATE_RUNNING, 1, frames, 32);
  after = hearth_stream_encoder_get_pending (encoder);
  g_assert_cmpuint (after - before, <=, 40);

  /* the same contents in new string buffers are the same frame */
  {
    HearthStreamFrame copy = frames[5];
    g_autofree char *name = g_strdup (copy.name);

    copy.name = name;
    frames[5] = copy;
    before = after;
    hearth_stream_encoder_sample (encoder, 2, 1010101012, HEARTH_THREAD_STATE_RUNNING, 1, frames, 32);
    after = hearth_stream_encoder_get_pending (encoder);
    g_assert_cmpuint (after - before, <=, 12);
  }
}

/* A tid reused by another process is another thread; data after END is
 * ignored. */
static void
test_threads_and_end (void)
{
  Source src = { 0 };
  g_autoptr(HearthProfile) decoded = hearth_profile_new ();
  g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (decoded);
  g_autoptr(GError) error = NULL;
  HearthStreamStats stats = { .samples = 3, .exit_status = -1 };
  HearthThread t;

  source_init (&src);
  source_thread (&src, 10, 77, "first");
  source_sample (&src, 77, 100, HEARTH_THREAD_STATE_RUNNING, 1, frame_pool, 3);
  source_thread (&src, 20, 77, "second");
  source_sample (&src, 77, 200, HEARTH_THREAD_STATE_RUNNING, 1, frame_pool, 2);
  /* a sample for a thread never announced gets one, in the hello's pid */
  hearth_stream_encoder_sample (src.encoder, 99, 300, HEARTH_THREAD_STATE_OTHER, 1, NULL, 0);
  hearth_stream_encoder_end (src.encoder, &stats);
  hearth_stream_encoder_sample (src.encoder, 77, 400, HEARTH_THREAD_STATE_RUNNING, 1, frame_pool, 1);
  source_take (&src);

  g_assert_true (hearth_stream_decoder_feed (decoder, src.bytes->data, src.bytes->len, &error));
  g_assert_true (hearth_stream_decoder_finish (decoder, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_threads (decoded), ==, 3);
  g_assert_cmpuint (hearth_profile_get_n_samples (decoded), ==, 3);
  hearth_profile_get_thread (decoded, 0, &t);
  g_assert_cmpint (t.pid, ==, 10);
  hearth_profile_get_thread (decoded, 1, &t);
  g_assert_cmpint (t.pid, ==, 20);
  g_assert_cmpstr (hearth_profile_get_string (decoded, t.name), ==, "second");
  hearth_profile_get_thread (decoded, 2, &t);
  g_assert_cmpint (t.pid, ==, 4242);
  g_assert_cmpint (t.tid, ==, 99);
  g_assert_null (hearth_profile_dup_metadata (decoded, "exit-status"));

  source_clear (&src);
}

/* The path `record` takes: stream → profile → session file → profile. */
static void
test_stream_to_session (void)
{
  Source src = { 0 };
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(HearthProfile) decoded = NULL;
  g_autoptr(HearthProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hearth-stream-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.profsession", NULL);

  source_init (&src);
  source_fill (&src, 1500, TRUE);
  input = g_memory_input_stream_new_from_data (src.bytes->data, src.bytes->len, NULL);
  decoded = hearth_stream_read_all (input, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hearth_session_save (decoded, path, &error));
  g_assert_no_error (error);
  loaded = hearth_session_load (path, &error);
  g_assert_no_error (error);
  util_assert_profiles_equal (src.expected, loaded, TRUE);

  util_rm_rf (dir);
  source_clear (&src);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 2 && g_strcmp0 (argv[1], "--emit-stream") == 0)
    return run_emitter ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/stream/round-trip", test_round_trip);
  g_test_add_func ("/hearth/stream/split-feeds", test_split_feeds);
  g_test_add_func ("/hearth/stream/version-mismatch", test_version_mismatch);
  g_test_add_func ("/hearth/stream/forward-compatible", test_forward_compatible);
  g_test_add_func ("/hearth/stream/bad-magic", test_bad_magic);
  g_test_add_func ("/hearth/stream/truncated", test_truncated);
  g_test_add_func ("/hearth/stream/corrupt", test_corrupt);
  g_test_add_func ("/hearth/stream/remote-error", test_remote_error);
  g_test_add_func ("/hearth/stream/read-all-pipe", test_read_all_pipe);
  g_test_add_func ("/hearth/stream/encoder-compact", test_encoder_compact);
  g_test_add_func ("/hearth/stream/threads-and-end", test_threads_and_end);
  g_test_add_func ("/hearth/stream/stream-to-session", test_stream_to_session);

  return g_test_run ();
}
