/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libunwind.h>
#include <libunwind-ptrace.h>
#include <string.h>

#include "hearth-unwinder.h"

/* Exported by libunwind-x86_64.so but not declared in its headers; perf
 * declares it the same way (tools/perf/util/unwind-libunwind-local.c). */
extern int _Ux86_64_dwarf_search_unwind_table (unw_addr_space_t  as,
                                               unw_word_t        ip,
                                               unw_dyn_info_t   *di,
                                               unw_proc_info_t  *pi,
                                               int               need_unwind_info,
                                               void             *arg);

#define FRAME_CHAIN_LINKS 3
#define GUESS_SCAN_BYTES  4096

struct _HearthUnwinder
{
  /* borrowed */
  HearthModuleMap           *map;
  HearthRemoteMemory        *memory;

  /* owned */
  unw_addr_space_t           as;
  void                      *upt;       /* _UPT_find_proc_info fallback */

  /* state */
  const HearthStackSnapshot *snapshot;  /* during unwind() only */
  guint                      generation;
  guint                      stepping;      /* index of the frame being stepped */
  gint                       rbp_wanted_at; /* frame whose step needed an unknown RBP, or -1 */
};

typedef struct
{
  guint64 ip;
  guint64 sp;
} WalkFrame;

/* The accessors find their unwinder here rather than through arg: the
 * _UPT_find_proc_info fallback passes its own handle as arg to them. Only
 * the sampler thread unwinds. */
static __thread HearthUnwinder *active_unwinder;

static int
read_word (HearthUnwinder *self,
           guint64         addr,
           guint64        *out)
{
  const HearthStackSnapshot *snap = self->snapshot;

  if (snap != NULL && addr >= snap->stack_addr &&
      addr - snap->stack_addr + sizeof *out <= snap->stack_len)
    {
      memcpy (out, snap->stack + (addr - snap->stack_addr), sizeof *out);
      return 0;
    }
  return hearth_remote_memory_read_word (self->memory, addr, out) ? 0 : -UNW_EINVAL;
}

static int
find_proc_info_cb (unw_addr_space_t  as,
                   unw_word_t        ip,
                   unw_proc_info_t  *pi,
                   int               need_unwind_info,
                   void             *arg)
{
  HearthUnwinder *self = active_unwinder;
  const HearthMapping *mapping = hearth_module_map_lookup (self->map, ip);
  HearthModule *module;
  unw_dyn_info_t di;

  if (mapping == NULL || (module = mapping->module) == NULL)
    return -UNW_ENOINFO;  /* anonymous code: libunwind falls back to frame pointers */

  if (!hearth_module_map_load_module (self->map, module))
    {
      HearthEhFrameHdr hdr;

      /* We can read the file but not place it (a segment layout we do not
       * understand): libunwind's own loader may. Only for tables it will
       * not abort() on. */
      if (module->elf != NULL && hearth_elf_get_eh_frame_hdr (module->elf, &hdr) && self->upt != NULL)
        return _UPT_find_proc_info (as, ip, pi, need_unwind_info, self->upt);
      return -UNW_ENOINFO;
    }
  if (!module->has_eh_table || ip < module->text_start || ip >= module->text_end)
    return -UNW_ENOINFO;

  memset (&di, 0, sizeof di);
  di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
  di.start_ip = module->text_start;
  di.end_ip = module->text_end;
  di.u.rti.segbase = module->eh_hdr_addr;
  di.u.rti.table_data = module->eh_table_addr;
  di.u.rti.table_len = module->eh_fde_count * 8 / sizeof (unw_word_t);
  return _Ux86_64_dwarf_search_unwind_table (as, ip, &di, pi, need_unwind_info, arg);
}

static void
put_unwind_info_cb (unw_addr_space_t  as,
                    unw_proc_info_t  *pi,
                    void             *arg)
{
  /* table-format info is freed by libunwind's DWARF layer itself */
}

static int
get_dyn_info_list_addr_cb (unw_addr_space_t  as,
                           unw_word_t       *dilap,
                           void             *arg)
{
  return -UNW_ENOINFO;
}

static int
access_mem_cb (unw_addr_space_t  as,
               unw_word_t        addr,
               unw_word_t       *val,
               int               write,
               void             *arg)
{
  guint64 word;
  int ret;

  if (write)
    return -UNW_EINVAL;
  ret = read_word (active_unwinder, addr, &word);
  if (ret == 0)
    *val = word;
  return ret;
}

static int
access_reg_cb (unw_addr_space_t  as,
               unw_regnum_t      reg,
               unw_word_t       *val,
               int               write,
               void             *arg)
{
  const HearthStackSnapshot *snap = active_unwinder->snapshot;

  if (write)
    return -UNW_EREADONLYREG;
  if (reg < 0 || reg >= HEARTH_N_REGS || snap == NULL)
    return -UNW_EBADREG;
  if (reg == HEARTH_REG_RBP && (snap->valid_regs & (1u << reg)) == 0 &&
      active_unwinder->rbp_wanted_at < 0)
    active_unwinder->rbp_wanted_at = (gint) active_unwinder->stepping;
  /* a register we could not read (a blocked thread's callee-saved ones)
   * reads as 0; CFI rarely needs them and a bad value only ends the walk */
  *val = (snap->valid_regs & (1u << reg)) ? snap->regs[reg] : 0;
  return 0;
}

static int
access_fpreg_cb (unw_addr_space_t  as,
                 unw_regnum_t      reg,
                 unw_fpreg_t      *val,
                 int               write,
                 void             *arg)
{
  return -UNW_EBADREG;
}

static int
resume_cb (unw_addr_space_t  as,
           unw_cursor_t     *cursor,
           void             *arg)
{
  return -UNW_EINVAL;
}

static int
get_proc_name_cb (unw_addr_space_t  as,
                  unw_word_t        addr,
                  char             *buf,
                  size_t            len,
                  unw_word_t       *offp,
                  void             *arg)
{
  /* names come from our own symbol tables, never from libunwind's
   * per-call ELF re-parse */
  return -UNW_ENOINFO;
}

static unw_accessors_t accessors = {
  .find_proc_info = find_proc_info_cb,
  .put_unwind_info = put_unwind_info_cb,
  .get_dyn_info_list_addr = get_dyn_info_list_addr_cb,
  .access_mem = access_mem_cb,
  .access_reg = access_reg_cb,
  .access_fpreg = access_fpreg_cb,
  .resume = resume_cb,
  .get_proc_name = get_proc_name_cb,
};

HearthUnwinder *
hearth_unwinder_new (HearthModuleMap    *map,
                     HearthRemoteMemory *memory)
{
  HearthUnwinder *self = g_new0 (HearthUnwinder, 1);

  self->map = map;
  self->memory = memory;
  self->as = unw_create_addr_space (&accessors, 0);
  unw_set_caching_policy (self->as, UNW_CACHE_GLOBAL);
  self->upt = _UPT_create (hearth_module_map_get_pid (map));
  self->generation = hearth_module_map_get_generation (map);
  return self;
}

void
hearth_unwinder_free (HearthUnwinder *self)
{
  if (self == NULL)
    return;
  if (self->upt != NULL)
    _UPT_destroy (self->upt);
  unw_destroy_addr_space (self->as);
  g_free (self);
}

/* One walk from the snapshot's registers. Returns the frame count. */
static guint
walk (HearthUnwinder            *self,
      const HearthStackSnapshot *snapshot,
      HearthUnwoundFrame        *frames,
      WalkFrame                 *where,
      guint                      max_frames,
      gboolean                  *complete)
{
  unw_cursor_t cursor;
  guint n = 0;
  gboolean exact = TRUE;
  int ret;

  *complete = FALSE;
  self->snapshot = snapshot;
  self->stepping = 0;
  self->rbp_wanted_at = -1;

  if (unw_init_remote (&cursor, self->as, self) < 0)
    {
      /* keep at least where the thread was */
      frames[0].ip = snapshot->regs[HEARTH_REG_RIP];
      frames[0].exact = TRUE;
      where[0].ip = frames[0].ip;
      where[0].sp = snapshot->regs[HEARTH_REG_RSP];
      self->snapshot = NULL;
      return 1;
    }

  do
    {
      unw_word_t ip = 0, sp = 0;

      if (unw_get_reg (&cursor, UNW_REG_IP, &ip) < 0 || ip == 0)
        break;
      unw_get_reg (&cursor, UNW_REG_SP, &sp);
      /* a frame that does not move the stack would repeat forever */
      if (n > 0 && sp == where[n - 1].sp && ip == where[n - 1].ip)
        break;
      frames[n].ip = ip;
      frames[n].exact = exact;
      where[n].ip = ip;
      where[n].sp = sp;
      self->stepping = n;
      n++;
      /* after a signal frame the next pc is an interrupted one, not a
       * return address */
      exact = unw_is_signal_frame (&cursor) > 0;
      ret = unw_step (&cursor);
      if (ret == 0)
        *complete = TRUE;
    }
  while (ret > 0 && n < max_frames);

  self->snapshot = NULL;
  return n;
}

static guint64 guess_frame_pointer (HearthUnwinder            *self,
                                    const HearthStackSnapshot *snap,
                                    guint64                    from_sp,
                                    guint64                    ip);

guint
hearth_unwinder_unwind (HearthUnwinder            *self,
                        const HearthStackSnapshot *snapshot,
                        HearthUnwoundFrame        *frames,
                        guint                      max_frames,
                        gboolean                  *complete)
{
  g_autofree WalkFrame *where = NULL;
  HearthStackSnapshot with_fp;
  guint n;

  g_return_val_if_fail (max_frames > 0, 0);

  if (self->generation != hearth_module_map_get_generation (self->map))
    {
      /* cached register rules are keyed by address: a module that went
       * away may have been replaced by another at the same place */
      unw_flush_cache (self->as, 0, 0);
      self->generation = hearth_module_map_get_generation (self->map);
    }

  where = g_new (WalkFrame, max_frames);
  active_unwinder = self;
  n = walk (self, snapshot, frames, where, max_frames, complete);

  /* A blocked thread was not stopped: beyond SP and PC its registers are
   * unknown. The system call wrappers unwind from SP alone; the first
   * frame-pointer function above them needs RBP. Find its frame record
   * in the stack window and walk again. */
  if (self->rbp_wanted_at >= 0 && (guint) self->rbp_wanted_at < n)
    {
      guint k = (guint) self->rbp_wanted_at;
      guint64 ip = frames[k].exact ? where[k].ip : where[k].ip - 1;
      guint64 fp = guess_frame_pointer (self, snapshot, where[k].sp, ip);

      if (fp != 0)
        {
          g_autofree HearthUnwoundFrame *again = g_new (HearthUnwoundFrame, max_frames);
          gboolean again_complete = FALSE;
          guint m;

          with_fp = *snapshot;
          with_fp.regs[HEARTH_REG_RBP] = fp;
          with_fp.valid_regs |= 1u << HEARTH_REG_RBP;
          m = walk (self, &with_fp, again, where, max_frames, &again_complete);
          if (m > n || (again_complete && !*complete))
            {
              memcpy (frames, again, m * sizeof *frames);
              n = m;
              *complete = again_complete;
            }
        }
    }

  active_unwinder = NULL;
  return n;
}

typedef enum
{
  CALL_NONE,
  CALL_DIRECT,
  CALL_INDIRECT,
} CallKind;

/* What kind of call instruction ends right before ret? */
static CallKind
call_before (HearthUnwinder *self,
             guint64         ret,
             guint64        *target)
{
  const HearthMapping *mapping;
  guint64 before;
  guint8 bytes[8];
  gint32 rel;

  if (ret < 8)
    return CALL_NONE;
  mapping = hearth_module_map_lookup (self->map, ret);
  if (mapping == NULL || (mapping->prot & HEARTH_PROT_EXEC) == 0)
    return CALL_NONE;
  if (!hearth_remote_memory_read_word (self->memory, ret - 8, &before))
    return CALL_NONE;
  memcpy (bytes, &before, 8);
  /* e8 rel32 */
  if (bytes[3] == 0xe8)
    {
      memcpy (&rel, bytes + 4, 4);
      *target = ret + (gint64) rel;
      return CALL_DIRECT;
    }
  /* ff /2 with a 0 to 5 byte operand */
  for (guint len = 2; len <= 7; len++)
    if (bytes[8 - len] == 0xff && ((bytes[8 - len + 1] >> 3) & 7) == 2)
      return CALL_INDIRECT;
  return CALL_NONE;
}

/* Where a PLT entry jumps: jmp *x(%rip), possibly after endbr64 and a
 * bnd prefix, through its GOT slot. 0 if target is not a PLT entry or
 * its slot cannot be read. */
static guint64
plt_destination (HearthUnwinder *self,
                 guint64         stub)
{
  guint64 word, dest;
  guint8 b[8];
  guint skip;
  gint32 rel;
  guint64 rel_word;

  if (!hearth_remote_memory_read_word (self->memory, stub, &word))
    return 0;
  memcpy (b, &word, 8);
  if (b[0] == 0xff && b[1] == 0x25)
    skip = 2;
  else if (b[0] == 0xf3 && b[1] == 0x0f && b[2] == 0x1e && b[3] == 0xfa && b[4] == 0xff && b[5] == 0x25)
    skip = 6;
  else if (b[0] == 0xf3 && b[1] == 0x0f && b[2] == 0x1e && b[3] == 0xfa && b[4] == 0xf2 && b[5] == 0xff && b[6] == 0x25)
    skip = 7;
  else
    return 0;
  if (!hearth_remote_memory_read_word (self->memory, stub + skip, &rel_word))
    return 0;
  memcpy (&rel, &rel_word, 4);
  if (!hearth_remote_memory_read_word (self->memory, stub + skip + 4 + (gint64) rel, &dest))
    return 0;
  return dest;
}

/* Is there a frame record at fp? Sets *ret_addr and *next_fp. */
static gboolean
frame_record_at (HearthUnwinder            *self,
                 const HearthStackSnapshot *snap,
                 guint64                    fp,
                 guint64                   *ret_addr,
                 guint64                   *next_fp)
{
  guint64 saved_fp, target;

  if (fp < snap->stack_addr || fp - snap->stack_addr + 16 > snap->stack_len)
    return FALSE;
  memcpy (&saved_fp, snap->stack + (fp - snap->stack_addr), 8);
  memcpy (ret_addr, snap->stack + (fp - snap->stack_addr) + 8, 8);
  /* stacks grow down: the caller's record is higher, or 0 at the root */
  if (saved_fp != 0 && (saved_fp <= fp || (saved_fp & 7) != 0))
    return FALSE;
  if (call_before (self, *ret_addr, &target) == CALL_NONE)
    return FALSE;
  *next_fp = saved_fp;
  return TRUE;
}

/*
 * The frame record of the function containing ip, searched upwards from
 * from_sp. Its locals may hold stale records of calls it made earlier, so
 * a candidate must return through a call to that very function (direct or
 * through its PLT entry). One behind an indirect call cannot be checked:
 * it is taken, if its chain holds for a few links, only when no checked
 * one is found. Returns 0 if none fits.
 */
static guint64
guess_frame_pointer (HearthUnwinder            *self,
                     const HearthStackSnapshot *snap,
                     guint64                    from_sp,
                     guint64                    ip)
{
  guint64 end = snap->stack_addr + snap->stack_len;
  guint64 limit = MIN (end, from_sp + GUESS_SCAN_BYTES);
  guint64 func_start = 0;
  guint64 unverified = 0;
  unw_proc_info_t pi;

  memset (&pi, 0, sizeof pi);
  if (find_proc_info_cb (self->as, ip, &pi, 0, NULL) == 0)
    func_start = pi.start_ip;

  for (guint64 addr = MAX (from_sp, snap->stack_addr) & ~(guint64) 7; addr + 16 <= limit; addr += 8)
    {
      guint64 ret = 0, next = 0, target = 0;
      guint64 fp;
      guint links = 1;

      if (!frame_record_at (self, snap, addr, &ret, &next))
        continue;
      if (func_start != 0 && call_before (self, ret, &target) == CALL_DIRECT)
        {
          /* the call that made this frame went to our function (maybe
           * through the PLT): this is its record. Its caller may well
           * be code without frame pointers, so no chain is needed. */
          if (target == func_start || plt_destination (self, target) == func_start)
            return addr;
          continue;  /* a stale record of an earlier call elsewhere */
        }

      if (unverified != 0)
        continue;
      for (fp = next; links < FRAME_CHAIN_LINKS; links++)
        {
          /* the root record, or a chain leaving the window, ends the check */
          if (fp == 0 || fp + 16 > end)
            {
              links = FRAME_CHAIN_LINKS;
              break;
            }
          if (!frame_record_at (self, snap, fp, &ret, &next))
            break;
          fp = next;
        }
      if (links >= FRAME_CHAIN_LINKS)
        unverified = addr;
    }
  /* an indirect call cannot be checked: take a record with a plausible
   * chain only when no checked one was found */
  return unverified;
}
