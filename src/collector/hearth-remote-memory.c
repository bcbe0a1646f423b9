/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "hearth-remote-memory.h"

#define PAGE_SIZE_BYTES 4096
#define PAGE_MASK_BITS  (~(guint64) (PAGE_SIZE_BYTES - 1))
/* 16 MiB of immutable pages is far more than the unwind tables of a big
 * process; past it the cache starts over rather than grow */
#define MAX_PAGES 4096

struct _HearthRemoteMemory
{
  /* borrowed */
  HearthModuleMap *map;

  /* owned */
  GHashTable      *pages;     /* page address (guint64*) → guint8[4096] */

  /* state */
  guint64          last_page;     /* one-entry cache in front of pages */
  const guint8    *last_data;
  guint            generation;
  guint64          direct_reads;
  guint64          page_fills;
};

gssize
hearth_remote_read (pid_t    pid,
                    guint64  addr,
                    void    *buf,
                    gsize    len)
{
  struct iovec local = { .iov_base = buf, .iov_len = len };
  struct iovec remote = { .iov_base = (void *) (guintptr) addr, .iov_len = len };
  gssize n;

  do
    n = process_vm_readv (pid, &local, 1, &remote, 1, 0);
  while (n < 0 && errno == EINTR);
  return n;
}

HearthRemoteMemory *
hearth_remote_memory_new (HearthModuleMap *map)
{
  HearthRemoteMemory *self = g_new0 (HearthRemoteMemory, 1);

  self->map = map;
  self->pages = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->generation = hearth_module_map_get_generation (map);
  return self;
}

void
hearth_remote_memory_free (HearthRemoteMemory *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->pages);
  g_free (self);
}

void
hearth_remote_memory_flush (HearthRemoteMemory *self)
{
  g_hash_table_remove_all (self->pages);
  self->last_data = NULL;
  self->generation = hearth_module_map_get_generation (self->map);
}

static const guint8 *
get_page (HearthRemoteMemory *self,
          guint64             page)
{
  guint8 *data;
  guint64 *key;

  if (g_hash_table_size (self->pages) >= MAX_PAGES)
    {
      g_hash_table_remove_all (self->pages);
      self->last_data = NULL;
    }

  data = g_malloc (PAGE_SIZE_BYTES);
  if (hearth_remote_read (hearth_module_map_get_pid (self->map), page, data, PAGE_SIZE_BYTES) != PAGE_SIZE_BYTES)
    {
      g_free (data);
      return NULL;
    }
  self->page_fills++;
  key = g_new (guint64, 1);
  *key = page;
  g_hash_table_insert (self->pages, key, data);
  return data;
}

gboolean
hearth_remote_memory_read_word (HearthRemoteMemory *self,
                                guint64             addr,
                                guint64            *out)
{
  guint64 page = addr & PAGE_MASK_BITS;
  guint64 offset = addr & ~PAGE_MASK_BITS;
  const HearthMapping *mapping;
  const guint8 *data;

  if (self->generation != hearth_module_map_get_generation (self->map))
    hearth_remote_memory_flush (self);

  if (offset <= PAGE_SIZE_BYTES - sizeof *out)
    {
      /* unwinding reads the same few pages over and over */
      if (self->last_data != NULL && self->last_page == page)
        {
          memcpy (out, self->last_data + offset, sizeof *out);
          return TRUE;
        }
      /* only pages of read-only file mappings are ever cached */
      data = g_hash_table_lookup (self->pages, &page);
      if (data == NULL)
        {
          mapping = hearth_module_map_lookup (self->map, addr);
          if (mapping != NULL && mapping->module != NULL && (mapping->prot & HEARTH_PROT_WRITE) == 0)
            data = get_page (self, page);
        }
      if (data != NULL)
        {
          self->last_page = page;
          self->last_data = data;
          memcpy (out, data + offset, sizeof *out);
          return TRUE;
        }
    }

  self->direct_reads++;
  return hearth_remote_read (hearth_module_map_get_pid (self->map), addr, out, sizeof *out) == sizeof *out;
}

void
hearth_remote_memory_get_stats (HearthRemoteMemory *self,
                                guint64            *direct_reads,
                                guint64            *page_fills)
{
  if (direct_reads)
    *direct_reads = self->direct_reads;
  if (page_fills)
    *page_fills = self->page_fills;
}
