/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "hearth-error.h"
#include "hearth-sample-chunk-private.h"
#include "hearth-session-store.h"
#include "hearth-stream.h"
#include "store-test-util.h"

/*
 * Fuzz-style robustness tests of the readers of untrusted bytes: the
 * session loader, the sample-chunk decoder and the stream decoder get
 * thousands of mutated, truncated and random inputs. The only acceptable
 * outcomes are a clean GError of the right domain or a profile that is
 * internally consistent (util_assert_profile_sane). Deterministic: the
 * seed is printed and can be replayed with HEARTH_FUZZ_SEED.
 */

static GRand *
fuzz_rand (void)
{
  const char *env = g_getenv ("HEARTH_FUZZ_SEED");
  guint32 seed = env != NULL ? (guint32) g_ascii_strtoull (env, NULL, 10) : 424242;

  g_test_message ("seed %u (replay with HEARTH_FUZZ_SEED=%u)", seed, seed);
  return g_rand_new_with_seed (seed);
}

/* Mostly small numbers, so that mutated ids often land on valid ones. */
static guint64
small_number (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 8))
    {
    case 0:  return g_rand_int (rand);
    case 1:  return ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
    case 2:  return g_rand_int_range (rand, 0, 1000);
    default: return g_rand_int_range (rand, 0, 20);
    }
}

static void
mutate (GRand      *rand,
        GByteArray *buf,
        gsize       protect)
{
  guint n = g_rand_int_range (rand, 1, 9);

  for (guint i = 0; i < n && buf->len > protect; i++)
    {
      gsize pos = protect + g_rand_int_range (rand, 0, buf->len - protect);

      switch (g_rand_int_range (rand, 0, 7))
        {
        case 0:
          buf->data[pos] = g_rand_int (rand);
          break;
        case 1:
          buf->data[pos] ^= 1 << g_rand_int_range (rand, 0, 8);
          break;
        case 2:
          buf->data[pos] = g_rand_boolean (rand) ? 0x00 : 0xff;
          break;
        case 3:
          /* overwrite with bytes from elsewhere (plausible structure) */
          {
            gsize from = g_rand_int_range (rand, 0, buf->len);
            gsize len = g_rand_int_range (rand, 1, 64);

            len = MIN (len, MIN (buf->len - pos, buf->len - from));

            memmove (buf->data + pos, buf->data + from, len);
          }
          break;
        case 4:
          {
            guint8 b = g_rand_int (rand);

            g_byte_array_append (buf, &b, 1);
            memmove (buf->data + pos + 1, buf->data + pos, buf->len - pos - 1);
            buf->data[pos] = b;
          }
          break;
        case 5:
          {
            gsize len = g_rand_int_range (rand, 1, 32);

            g_byte_array_remove_range (buf, pos, MIN (len, buf->len - pos));
          }
          break;
        default:
          g_byte_array_set_size (buf, pos);
          break;
        }
    }
}

/* --- session files ----------------------------------------------------------- */

/* Each iteration starts clean: a mutated header may claim WAL mode, and
 * then SQLite leaves -wal/-shm files that would leak into the next one. */
static void
write_session (const char *path,
               const void *data,
               gsize       len)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  util_write_file (path, data, len);
}

static void
check_load (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthProfile) profile = hearth_session_load (path, &error);

  if (profile == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == HEARTH_STORE_ERROR);
      g_assert_nonnull (strstr (error->message, path));
    }
  else
    {
      g_assert_no_error (error);
      util_assert_profile_sane (profile);
    }
}

static GByteArray *
valid_session (const char *path)
{
  g_autoptr(HearthProfile) profile = util_make_profile (600, TRUE, 3);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  GByteArray *buf = g_byte_array_new ();

  g_assert_true (hearth_session_save (profile, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_byte_array_append (buf, (const guint8 *) contents, len);
  return buf;
}

static void
test_session_bytes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hearth-fuzz-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "f.profsession", NULL);
  GByteArray *valid = valid_session (path);
  GRand *rand = fuzz_rand ();
  guint n_loaded = 0;

  for (guint iter = 0; iter < 1000; iter++)
    {
      GByteArray *buf = g_byte_array_new ();

      g_byte_array_append (buf, valid->data, valid->len);
      if (iter % 5 == 0)
        g_byte_array_set_size (buf, g_rand_int_range (rand, 0, valid->len));
      else
        /* keep the magic most of the time so SQLite itself is exercised */
        mutate (rand, buf, iter % 3 == 0 ? 0 : 16);

      write_session (path, buf->data, buf->len);
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(HearthProfile) profile = hearth_session_load (path, &error);

        if (profile != NULL)
          {
            n_loaded++;
            util_assert_profile_sane (profile);
          }
        else
          {
            g_assert_true (error->domain == HEARTH_STORE_ERROR);
            g_assert_nonnull (strstr (error->message, path));
          }
      }
      g_byte_array_unref (buf);
    }

  g_test_message ("%u of 1000 mutated files still loaded", n_loaded);
  g_rand_free (rand);
  g_byte_array_unref (valid);
  util_rm_rf (dir);
}

/* Random but type-plausible values in random rows, through SQL: reaches
 * the loader's own checks far more often than byte flips, which SQLite
 * mostly catches first. */
static void
test_session_values (void)
{
  static const struct {
    const char *table;
    const char *columns[7];
  } tables[] = {
    { "strings", { "id", "value" } },
    { "functions", { "id", "name", "module", "file", "line", "kind" } },
    { "frames", { "id", "function", "line", "address" } },
    { "stacks", { "id", "parent", "frame" } },
    { "threads", { "id", "pid", "tid", "name" } },
    { "markers", { "id", "start_ns", "end_ns", "kind", "text" } },
    { "metadata", { "key", "value" } },
    { "sample_chunks", { "id", "thread", "first_time_us", "last_time_us", "n_samples", "encoding", "data" } },
  };
  g_autofree char *dir = g_dir_make_tmp ("hearth-fuzz-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "f.profsession", NULL);
  GByteArray *valid = valid_session (path);
  GRand *rand = fuzz_rand ();

  for (guint iter = 0; iter < 700; iter++)
    {
      sqlite3 *db = NULL;
      guint n_ops = g_rand_int_range (rand, 1, 4);

      write_session (path, valid->data, valid->len);
      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      sqlite3_exec (db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);

      for (guint op = 0; op < n_ops; op++)
        {
          guint t = g_rand_int_range (rand, 0, G_N_ELEMENTS (tables));
          guint n_cols = 0;
          g_autofree char *sql = NULL;
          sqlite3_stmt *stmt = NULL;

          while (n_cols < G_N_ELEMENTS (tables[t].columns) && tables[t].columns[n_cols] != NULL)
            n_cols++;

          switch (g_rand_int_range (rand, 0, 6))
            {
            case 0:
              sql = g_strdup_printf ("DELETE FROM %s WHERE %s IN (SELECT %s FROM %s ORDER BY random() LIMIT 1)",
                                     tables[t].table, tables[t].columns[0], tables[t].columns[0], tables[t].table);
              break;
            case 1:
              sql = g_strdup_printf ("INSERT INTO sample_chunks (thread, first_time_us, last_time_us, n_samples, encoding, data)"
                                     " VALUES (?1, ?2, ?2 + ?3, ?4, ?5, ?6)");
              break;
            default:
              sql = g_strdup_printf ("UPDATE %s SET %s = ?1 WHERE %s IN (SELECT %s FROM %s ORDER BY random() LIMIT 1)",
                                     tables[t].table, tables[t].columns[g_rand_int_range (rand, 0, n_cols)],
                                     tables[t].columns[0], tables[t].columns[0], tables[t].table);
              break;
            }

          g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
          for (int p = 1; p <= sqlite3_bind_parameter_count (stmt); p++)
            {
              guint8 blob[64];
              guint len = g_rand_int_range (rand, 0, sizeof blob);

              for (guint k = 0; k < len; k++)
                blob[k] = g_rand_int_range (rand, 0, 4) == 0 ? g_rand_int (rand) : (guint) g_rand_int_range (rand, 0, 8);
              switch (g_rand_int_range (rand, 0, 8))
                {
                case 0:  sqlite3_bind_null (stmt, p); break;
                case 1:  sqlite3_bind_text (stmt, p, "main", -1, SQLITE_STATIC); break;
                case 2:  sqlite3_bind_blob (stmt, p, blob, len, SQLITE_TRANSIENT); break;
                case 3:  sqlite3_bind_int64 (stmt, p, -(gint64) small_number (rand)); break;
                default: sqlite3_bind_int64 (stmt, p, (gint64) small_number (rand)); break;
                }
            }
          /* constraint violations are fine: the row stays as it was */
          sqlite3_step (stmt);
          sqlite3_finalize (stmt);
        }
      sqlite3_close (db);

      check_load (path);
    }

  g_rand_free (rand);
  g_byte_array_unref (valid);
  util_rm_rf (dir);
}

/* --- sample chunks ----------------------------------------------------------- */

static void
test_chunk_round_trip (void)
{
  g_autoptr(HearthChunkCodec) codec = _hearth_chunk_codec_new ();
  g_autofree HearthSample *in = g_new (HearthSample, HEARTH_CHUNK_MAX_SAMPLES);
  g_autofree HearthSample *out = g_new (HearthSample, HEARTH_CHUNK_MAX_SAMPLES);
  GRand *rand = fuzz_rand ();

  for (guint iter = 0; iter < 300; iter++)
    {
      guint n = iter == 0 ? HEARTH_CHUNK_MAX_SAMPLES : (guint) g_rand_int_range (rand, 1, 3000);
      gint64 t = g_rand_int_range (rand, 0, 1 << 30) * (gint64) 1000 + g_rand_int_range (rand, 0, 1000);
      HearthChunk chunk;
      const char *problem = NULL;

      for (guint i = 0; i < n; i++)
        {
          in[i].time_ns = t;
          in[i].stack = g_rand_int_range (rand, 0, 20) == 0 ? HEARTH_NO_ID : (guint32) small_number (rand) % 100000;
          in[i].weight = g_rand_int_range (rand, 0, 10) == 0 ? (guint32) small_number (rand) : 1;
          in[i].state = g_rand_int_range (rand, 0, HEARTH_N_THREAD_STATES);
          t += g_rand_int_range (rand, 0, 10) == 0 ? (gint64) (small_number (rand) % G_GUINT64_CONSTANT (1000000000000))
                                                  : g_rand_int_range (rand, 0, 20000000);
        }

      _hearth_chunk_encode (codec, in, n, &chunk);
      g_assert_true (_hearth_chunk_decode (codec, &chunk, NULL, 100000, out, &problem));
      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpint (out[i].time_ns, ==, _hearth_time_ns_to_us (in[i].time_ns) * 1000);
          g_assert_cmpuint (out[i].stack, ==, in[i].stack);
          g_assert_cmpuint (out[i].weight, ==, in[i].weight);
          g_assert_cmpuint (out[i].state, ==, in[i].state);
        }
    }
  g_rand_free (rand);
}

static void
test_chunk_hostile (void)
{
  g_autoptr(HearthChunkCodec) codec = _hearth_chunk_codec_new ();
  g_autoptr(HearthChunkCodec) encoder = _hearth_chunk_codec_new ();
  g_autofree HearthSample *samples = g_new (HearthSample, HEARTH_CHUNK_MAX_SAMPLES);
  GRand *rand = fuzz_rand ();
  guint n_ok = 0;

  for (guint iter = 0; iter < 20000; iter++)
    {
      GByteArray *data = g_byte_array_new ();
      HearthChunk chunk = { 0 };
      const char *problem = NULL;
      guint32 n_stacks = g_rand_int_range (rand, 0, 50);

      chunk.n_samples = g_rand_int_range (rand, 0, 10) == 0 ? (guint) small_number (rand) : (guint) g_rand_int_range (rand, 1, 50);
      chunk.first_time_us = g_rand_boolean (rand) ? 0 : (gint64) (small_number (rand) % (G_GUINT64_CONSTANT (1) << 60)) - 500;
      chunk.last_time_us = chunk.first_time_us + (g_rand_boolean (rand) ? (gint64) (small_number (rand) % (G_GUINT64_CONSTANT (1) << 60)) : 0);
      chunk.encoding = g_rand_int_range (rand, 0, 10) == 0 ? (guint) g_rand_int (rand) : (guint) g_rand_int_range (rand, 0, 2);

      if (g_rand_boolean (rand))
        {
          /* a real chunk, then damaged */
          HearthChunk real;
          guint n = g_rand_int_range (rand, 1, 200);
          gint64 t = 0;

          for (guint i = 0; i < n; i++)
            {
              guint32 stack = n_stacks > 0 ? (guint32) g_rand_int_range (rand, 0, n_stacks) : HEARTH_NO_ID;

              samples[i] = (HearthSample) { t, stack, 1, g_rand_int_range (rand, 0, 4) };
              t += g_rand_int_range (rand, 0, 5000000);
            }
          _hearth_chunk_encode (encoder, samples, n, &real);
          g_byte_array_append (data, real.data, real.size);
          chunk.encoding = real.encoding;
          chunk.n_samples = g_rand_int_range (rand, 0, 4) == 0 ? chunk.n_samples : real.n_samples;
          chunk.first_time_us = real.first_time_us;
          chunk.last_time_us = real.last_time_us;
          if (g_rand_int_range (rand, 0, 4) != 0)
            mutate (rand, data, 0);
        }
      else
        {
          guint len = g_rand_int_range (rand, 0, 300);

          for (guint i = 0; i < len; i++)
            {
              guint8 b = g_rand_int_range (rand, 0, 3) == 0 ? g_rand_int (rand) : (guint) g_rand_int_range (rand, 0, 16);

              g_byte_array_append (data, &b, 1);
            }
        }

      chunk.data = data->len > 0 ? data->data : (const guint8 *) "";
      chunk.size = data->len;
      if (chunk.n_samples > HEARTH_CHUNK_MAX_SAMPLES)
        {
          /* the loader refuses these before decoding; so must decode */
          g_assert_false (_hearth_chunk_decode (codec, &chunk, NULL, n_stacks, samples, &problem));
        }
      else if (_hearth_chunk_decode (codec, &chunk, NULL, n_stacks, samples, &problem))
        {
          gint64 last = chunk.first_time_us * 1000;

          n_ok++;
          for (guint i = 0; i < chunk.n_samples; i++)
            {
              g_assert_true (samples[i].stack == HEARTH_NO_ID || samples[i].stack < n_stacks);
              g_assert_cmpint (samples[i].time_ns, >=, last);
              g_assert_cmpint (samples[i].time_ns, <=, chunk.last_time_us * 1000);
              g_assert_cmpuint (samples[i].state, <, HEARTH_N_THREAD_STATES);
              last = samples[i].time_ns;
            }
        }
      else
        g_assert_nonnull (problem);

      g_byte_array_unref (data);
    }

  g_test_message ("%u of 20000 hostile chunks decoded (consistently)", n_ok);
  g_rand_free (rand);
}

/* --- stream ------------------------------------------------------------------ */

static GByteArray *
valid_stream (GRand *rand,
              guint  n_samples)
{
  g_autoptr(HearthStreamEncoder) encoder = hearth_stream_encoder_new ();
  g_autoptr(GBytes) bytes = NULL;
  HearthStreamHello hello = { HEARTH_STREAM_PROTOCOL_VERSION, (char *) "0.1", (char *) "h", 7,
                              (char *) "cmd", 99, (char *) "wall", 1 };
  HearthStreamStats stats = { n_samples, 1, 2, 3, 4, 0 };
  HearthStreamFrame pool[10];
  HearthStreamFrame frames[20];
  GByteArray *out = g_byte_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (pool); i++)
    pool[i] = (HearthStreamFrame) { i % 2 ? "f" : "g", i % 3 ? "m" : NULL, i % 4 ? "file.c" : NULL,
                                    i, i / 2, 0x1000 * i, i % HEARTH_N_FRAME_KINDS };

  hearth_stream_encoder_hello (encoder, &hello);
  hearth_stream_encoder_thread (encoder, 7, 7, "main");
  hearth_stream_encoder_thread (encoder, 7, 8, "worker");
  for (guint i = 0; i < n_samples; i++)
    {
      guint n = g_rand_int_range (rand, 0, G_N_ELEMENTS (frames));

      for (guint d = 0; d < n; d++)
        frames[d] = pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (pool))];
      hearth_stream_encoder_sample (encoder, 7 + i % 3, i * 1000000, i % 4, i % 7 ? 1 : 3, frames, n);
      if (i % 50 == 0)
        hearth_stream_encoder_marker (encoder, i, i + 10, "m", "marker");
      if (i % 70 == 0)
        hearth_stream_encoder_error (encoder, i % 140 == 0, "warn");
    }
  hearth_stream_encoder_end (encoder, &stats);

  bytes = hearth_stream_encoder_take_bytes (encoder);
  g_byte_array_append (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return out;
}

static void
decode_fuzzed (GRand        *rand,
               const guint8 *data,
               gsize         len)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (profile);
  g_autoptr(GError) error = NULL;
  gsize pos = 0;
  gboolean ok = TRUE;

  while (ok && pos < len)
    {
      gsize n = g_rand_int_range (rand, 1, 2000);

      n = MIN (n, len - pos);

      ok = hearth_stream_decoder_feed (decoder, data + pos, n, &error);
      pos += n;
    }
  if (!ok)
    {
      g_assert_true (error->domain == HEARTH_STREAM_ERROR);
      g_clear_error (&error);
    }
  if (!hearth_stream_decoder_finish (decoder, &error))
    g_assert_true (error->domain == HEARTH_STREAM_ERROR);
  util_assert_profile_sane (profile);
}

static void
test_stream_mutations (void)
{
  GRand *rand = fuzz_rand ();
  GByteArray *valid = valid_stream (rand, 300);

  for (guint iter = 0; iter < 3000; iter++)
    {
      GByteArray *buf = g_byte_array_new ();

      g_byte_array_append (buf, valid->data, valid->len);
      if (iter % 7 == 0)
        g_byte_array_set_size (buf, g_rand_int_range (rand, 0, valid->len));
      else
        mutate (rand, buf, iter % 2 ? 8 : 0);
      decode_fuzzed (rand, buf->data, buf->len);
      g_byte_array_unref (buf);
    }

  g_byte_array_unref (valid);
  g_rand_free (rand);
}

/* A valid start, then random records of known types with small varints:
 * exercises every semantic check of the decoder. */
static void
test_stream_random_records (void)
{
  GRand *rand = fuzz_rand ();
  GByteArray *start = valid_stream (rand, 5);

  /* drop the END record: 2 header bytes + 6 one-byte fields here */
  g_byte_array_set_size (start, start->len - 8);

  for (guint iter = 0; iter < 3000; iter++)
    {
      GByteArray *buf = g_byte_array_new ();
      guint n_records = g_rand_int_range (rand, 1, 60);

      g_byte_array_append (buf, start->data, start->len);
      for (guint r = 0; r < n_records; r++)
        {
          guint8 payload[64];
          guint8 *p = payload;
          guint n_fields = g_rand_int_range (rand, 0, 8);
          guint8 header[2];

          for (guint f = 0; f < n_fields && p < payload + 40; f++)
            {
              guint64 v = small_number (rand);

              while (v >= 0x80)
                {
                  *p++ = (guint8) (v | 0x80);
                  v >>= 7;
                }
              *p++ = (guint8) v;
            }
          header[0] = g_rand_int_range (rand, 0, 14);
          header[1] = p - payload;
          g_byte_array_append (buf, header, 2);
          g_byte_array_append (buf, payload, p - payload);
        }
      decode_fuzzed (rand, buf->data, buf->len);
      g_byte_array_unref (buf);
    }

  g_byte_array_unref (start);
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/fuzz/session-bytes", test_session_bytes);
  g_test_add_func ("/hearth/fuzz/session-values", test_session_values);
  g_test_add_func ("/hearth/fuzz/chunk-round-trip", test_chunk_round_trip);
  g_test_add_func ("/hearth/fuzz/chunk-hostile", test_chunk_hostile);
  g_test_add_func ("/hearth/fuzz/stream-mutations", test_stream_mutations);
  g_test_add_func ("/hearth/fuzz/stream-random-records", test_stream_random_records);

  return g_test_run ();
}
