/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <glib/gi18n.h>
#include <lzma.h>
#include <string.h>
#include <unistd.h>

#include "hearth-elf.h"
#include "hearth-sampler-error.h"

#define DW_EH_PE_omit    0xff
#define DW_EH_PE_udata4  0x03
#define DW_EH_PE_sdata4  0x0b
#define DW_EH_PE_udata8  0x04
#define DW_EH_PE_sdata8  0x0c
#define DW_EH_PE_datarel 0x30

/* MiniDebugInfo is small; a larger blob is not what it claims to be */
#define MAX_DEBUGDATA_SIZE (256 * 1024 * 1024)

struct _HearthElf
{
  /* owned */
  char     *name;
  Elf      *elf;
  GBytes   *bytes;         /* backing memory, or NULL for a file */
  int       fd;            /* -1 when from memory */
  GArray   *loads;         /* HearthElfLoad */
  char     *build_id;
  char     *debuglink;

  /* state */
  guint32   debuglink_crc;
  gboolean  has_symtab;
  gboolean  have_eh_hdr;
  HearthEhFrameHdr eh_hdr;
};

static void
ensure_libelf (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      elf_version (EV_CURRENT);
      g_once_init_leave (&initialized, 1);
    }
}

static const char *
section_name (HearthElf  *self,
              GElf_Shdr  *shdr,
              size_t      shstrndx)
{
  const char *name = elf_strptr (self->elf, shstrndx, shdr->sh_name);

  return name ? name : "";
}

static void
read_build_id_note (HearthElf *self,
                    Elf_Data  *data)
{
  size_t offset = 0;
  size_t name_off, desc_off;
  GElf_Nhdr nhdr;

  while (data != NULL && offset < data->d_size &&
         (offset = gelf_getnote (data, offset, &nhdr, &name_off, &desc_off)) > 0)
    {
      if (nhdr.n_type == NT_GNU_BUILD_ID && nhdr.n_namesz == 4 &&
          name_off + 4 <= data->d_size &&
          memcmp ((const char *) data->d_buf + name_off, "GNU", 4) == 0 &&
          nhdr.n_descsz > 0 && nhdr.n_descsz <= 64 &&
          desc_off + nhdr.n_descsz <= data->d_size)
        {
          const guint8 *desc = (const guint8 *) data->d_buf + desc_off;
          GString *hex = g_string_sized_new (nhdr.n_descsz * 2);

          for (guint i = 0; i < nhdr.n_descsz; i++)
            g_string_append_printf (hex, "%02x", desc[i]);
          g_free (self->build_id);
          self->build_id = g_string_free (hex, FALSE);
          return;
        }
    }
}

static void
read_debuglink (HearthElf *self,
                Elf_Data  *data)
{
  const char *buf = data ? data->d_buf : NULL;
  gsize len, crc_off;

  if (buf == NULL || data->d_size < 6)
    return;
  len = strnlen (buf, data->d_size);
  crc_off = (len + 1 + 3) & ~(gsize) 3;
  if (len == 0 || len >= data->d_size || crc_off + 4 > data->d_size)
    return;
  self->debuglink = g_strndup (buf, len);
  memcpy (&self->debuglink_crc, buf + crc_off, 4);
}

/* Size in bytes of a DW_EH_PE-encoded value we accept, or 0. */
static guint
encoded_size (guint8 enc)
{
  switch (enc & 0x0f)
    {
    case DW_EH_PE_udata4:
    case DW_EH_PE_sdata4:
      return 4;
    case DW_EH_PE_udata8:
    case DW_EH_PE_sdata8:
      return 8;
    default:
      return 0;
    }
}

static void
read_eh_frame_hdr (HearthElf       *self,
                   const GElf_Phdr *phdr)
{
  Elf_Data *data;
  const guint8 *p;
  guint ptr_size, count_size;
  guint64 fde_count = 0;

  if (phdr->p_filesz < 8)
    return;
  data = elf_getdata_rawchunk (self->elf, phdr->p_offset, phdr->p_filesz, ELF_T_BYTE);
  if (data == NULL || data->d_buf == NULL || data->d_size < 8)
    return;
  p = data->d_buf;

  /* version, eh_frame_ptr_enc, fde_count_enc, table_enc */
  if (p[0] != 1 || p[3] != (DW_EH_PE_datarel | DW_EH_PE_sdata4) || p[2] == DW_EH_PE_omit)
    return;
  ptr_size = encoded_size (p[1]);
  count_size = encoded_size (p[2]);
  if (ptr_size == 0 || count_size == 0 || (p[2] & 0x70) != 0)
    return;
  if (4 + ptr_size + count_size > data->d_size)
    return;
  if (count_size == 4)
    {
      guint32 v;
      memcpy (&v, p + 4 + ptr_size, 4);
      fde_count = v;
    }
  else
    memcpy (&fde_count, p + 4 + ptr_size, 8);

  self->eh_hdr.vaddr = phdr->p_vaddr;
  self->eh_hdr.table_offset = 4 + ptr_size + count_size;
  /* each entry is two sdata4: initial location and FDE address */
  if (fde_count == 0 || fde_count > (data->d_size - self->eh_hdr.table_offset) / 8)
    return;
  self->eh_hdr.fde_count = fde_count;
  self->have_eh_hdr = TRUE;
}

static void
read_program_headers (HearthElf *self)
{
  size_t n = 0;

  if (elf_getphdrnum (self->elf, &n) != 0)
    return;
  for (size_t i = 0; i < n; i++)
    {
      GElf_Phdr phdr;

      if (gelf_getphdr (self->elf, (int) i, &phdr) == NULL)
        continue;
      if (phdr.p_type == PT_LOAD)
        {
          HearthElfLoad load = {
            .vaddr = phdr.p_vaddr, .offset = phdr.p_offset,
            .filesz = phdr.p_filesz, .memsz = phdr.p_memsz, .flags = phdr.p_flags,
          };
          g_array_append_val (self->loads, load);
        }
      else if (phdr.p_type == PT_GNU_EH_FRAME)
        read_eh_frame_hdr (self, &phdr);
      else if (phdr.p_type == PT_NOTE && self->build_id == NULL)
        read_build_id_note (self, elf_getdata_rawchunk (self->elf, phdr.p_offset,
                                                        phdr.p_filesz, ELF_T_NHDR));
    }
}

static void
read_sections (HearthElf *self)
{
  size_t shstrndx;
  Elf_Scn *scn = NULL;

  if (elf_getshdrstrndx (self->elf, &shstrndx) != 0)
    return;
  while ((scn = elf_nextscn (self->elf, scn)) != NULL)
    {
      GElf_Shdr shdr;
      const char *name;

      if (gelf_getshdr (scn, &shdr) == NULL)
        continue;
      name = section_name (self, &shdr, shstrndx);
      if (shdr.sh_type == SHT_SYMTAB)
        self->has_symtab = TRUE;
      else if (shdr.sh_type == SHT_NOTE && self->build_id == NULL)
        read_build_id_note (self, elf_getdata (scn, NULL));
      else if (strcmp (name, ".gnu_debuglink") == 0)
        read_debuglink (self, elf_getdata (scn, NULL));
    }
}

static HearthElf *
hearth_elf_init (HearthElf  *self,
                 GError    **error)
{
  GElf_Ehdr ehdr;

  if (self->elf == NULL || elf_kind (self->elf) != ELF_K_ELF ||
      gelf_getehdr (self->elf, &ehdr) == NULL)
    {
      g_set_error (error, HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_FAILED,
                   _("%s is not an ELF file: %s"), self->name, elf_errmsg (-1));
      hearth_elf_free (self);
      return NULL;
    }
  read_program_headers (self);
  read_sections (self);
  return self;
}

HearthElf *
hearth_elf_open (const char  *path,
                 GError     **error)
{
  HearthElf *self;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  ensure_libelf ();
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      int errsv = errno;

      g_set_error (error, HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_FAILED,
                   _("Cannot open %s: %s"), path, g_strerror (errsv));
      return NULL;
    }
  self = g_new0 (HearthElf, 1);
  self->name = g_strdup (path);
  self->fd = fd;
  self->loads = g_array_new (FALSE, FALSE, sizeof (HearthElfLoad));
  self->elf = elf_begin (fd, ELF_C_READ_MMAP, NULL);
  return hearth_elf_init (self, error);
}

HearthElf *
hearth_elf_new_from_bytes (GBytes      *bytes,
                           const char  *name,
                           GError     **error)
{
  HearthElf *self;
  gsize size = 0;
  gconstpointer data;

  g_return_val_if_fail (bytes != NULL, NULL);

  ensure_libelf ();
  self = g_new0 (HearthElf, 1);
  self->name = g_strdup (name);
  self->fd = -1;
  self->bytes = g_bytes_ref (bytes);
  self->loads = g_array_new (FALSE, FALSE, sizeof (HearthElfLoad));
  data = g_bytes_get_data (bytes, &size);
  /* libelf only reads the image in ELF_C_READ mode */
  self->elf = elf_memory ((char *) data, size);
  return hearth_elf_init (self, error);
}

void
hearth_elf_free (HearthElf *self)
{
  if (self == NULL)
    return;
  if (self->elf != NULL)
    elf_end (self->elf);
  if (self->fd >= 0)
    close (self->fd);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->loads, g_array_unref);
  g_free (self->name);
  g_free (self->build_id);
  g_free (self->debuglink);
  g_free (self);
}

const char *
hearth_elf_get_name (HearthElf *self)
{
  return self->name;
}

const char *
hearth_elf_get_build_id (HearthElf *self)
{
  return self->build_id;
}

const char *
hearth_elf_get_debuglink (HearthElf *self,
                          guint32   *crc)
{
  if (crc != NULL)
    *crc = self->debuglink_crc;
  return self->debuglink;
}

guint
hearth_elf_get_n_loads (HearthElf *self)
{
  return self->loads->len;
}

const HearthElfLoad *
hearth_elf_get_load (HearthElf *self,
                     guint      i)
{
  g_return_val_if_fail (i < self->loads->len, NULL);
  return &g_array_index (self->loads, HearthElfLoad, i);
}

gboolean
hearth_elf_get_eh_frame_hdr (HearthElf        *self,
                             HearthEhFrameHdr *out)
{
  if (!self->have_eh_hdr)
    return FALSE;
  *out = self->eh_hdr;
  return TRUE;
}

gboolean
hearth_elf_has_symtab (HearthElf *self)
{
  return self->has_symtab;
}

static void
collect_from_section (HearthElf    *self,
                      Elf_Scn      *scn,
                      GElf_Shdr    *shdr,
                      GArray       *symbols,
                      GStringChunk *names)
{
  Elf_Data *data = elf_getdata (scn, NULL);
  size_t n;

  if (data == NULL || shdr->sh_entsize == 0)
    return;
  n = MIN (shdr->sh_size / shdr->sh_entsize, data->d_size / sizeof (Elf64_Sym));
  for (size_t i = 0; i < n; i++)
    {
      GElf_Sym sym;
      HearthElfSymbol out;
      const char *name;
      const char *at;
      int type;

      if (gelf_getsym (data, (int) i, &sym) == NULL)
        continue;
      type = GELF_ST_TYPE (sym.st_info);
      if ((type != STT_FUNC && type != STT_GNU_IFUNC) ||
          sym.st_shndx == SHN_UNDEF || sym.st_value == 0)
        continue;
      name = elf_strptr (self->elf, shdr->sh_link, sym.st_name);
      if (name == NULL || name[0] == '\0')
        continue;

      out.start = sym.st_value;
      out.size = sym.st_size;
      out.binding = GELF_ST_BIND (sym.st_info);
      /* "memcpy@GLIBC_2.14" and "memcpy@@GLIBC_2.14" name memcpy */
      if ((at = strchr (name, '@')) != NULL)
        out.name = g_string_chunk_insert_len (names, name, at - name);
      else
        out.name = g_string_chunk_insert_const (names, name);
      g_array_append_val (symbols, out);
    }
}

void
hearth_elf_collect_symbols (HearthElf    *self,
                            GArray       *symbols,
                            GStringChunk *names)
{
  Elf_Scn *scn = NULL;

  while ((scn = elf_nextscn (self->elf, scn)) != NULL)
    {
      GElf_Shdr shdr;

      if (gelf_getshdr (scn, &shdr) == NULL)
        continue;
      if (shdr.sh_type == SHT_SYMTAB || shdr.sh_type == SHT_DYNSYM)
        collect_from_section (self, scn, &shdr, symbols, names);
    }
}

static GBytes *
xz_decompress (const guint8 *in,
               gsize         in_len)
{
  lzma_stream strm = LZMA_STREAM_INIT;
  GByteArray *out;
  lzma_ret ret;

  if (lzma_stream_decoder (&strm, 64 * 1024 * 1024, 0) != LZMA_OK)
    return NULL;
  out = g_byte_array_sized_new (in_len * 4);
  strm.next_in = in;
  strm.avail_in = in_len;
  do
    {
      guint old = out->len;

      if (out->len >= MAX_DEBUGDATA_SIZE)
        {
          ret = LZMA_MEMLIMIT_ERROR;
          break;
        }
      g_byte_array_set_size (out, old + 64 * 1024);
      strm.next_out = out->data + old;
      strm.avail_out = 64 * 1024;
      ret = lzma_code (&strm, LZMA_FINISH);
      g_byte_array_set_size (out, out->len - strm.avail_out);
    }
  while (ret == LZMA_OK);
  lzma_end (&strm);

  if (ret != LZMA_STREAM_END)
    {
      g_byte_array_unref (out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

HearthElf *
hearth_elf_open_debugdata (HearthElf *self)
{
  size_t shstrndx;
  Elf_Scn *scn = NULL;

  if (elf_getshdrstrndx (self->elf, &shstrndx) != 0)
    return NULL;
  while ((scn = elf_nextscn (self->elf, scn)) != NULL)
    {
      GElf_Shdr shdr;
      Elf_Data *data;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *name = NULL;

      if (gelf_getshdr (scn, &shdr) == NULL ||
          strcmp (section_name (self, &shdr, shstrndx), ".gnu_debugdata") != 0)
        continue;
      data = elf_rawdata (scn, NULL);
      if (data == NULL || data->d_buf == NULL || data->d_size == 0)
        return NULL;
      if ((bytes = xz_decompress (data->d_buf, data->d_size)) == NULL)
        return NULL;
      name = g_strdup_printf ("%s[.gnu_debugdata]", self->name);
      return hearth_elf_new_from_bytes (bytes, name, NULL);
    }
  return NULL;
}
