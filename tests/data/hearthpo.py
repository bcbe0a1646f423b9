# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers of the tests/data scripts: PO parsing and xgettext.

Kept free of third-party modules so the tests run on a bare Debian 12
with only python3 and gettext installed.
"""
import ast
import subprocess
from pathlib import Path

# The same arguments as meson's i18n.gettext(preset: 'glib') passes to
# xgettext (mesonbuild/modules/i18n.py, PRESET_ARGS['glib']), so that the
# template made here equals the one `meson compile hearth-pot` writes.
GLIB_PRESET = [
    '--from-code=UTF-8', '--add-comments',
    '-k_', '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]


class Entry:
    def __init__(self):
        self.msgctxt = None
        self.msgid = None
        self.msgid_plural = None
        self.msgstr = {}        # index (0 for singular) -> text
        self.flags = set()
        self.obsolete = False

    @property
    def translated(self):
        return bool(self.msgstr) and all(self.msgstr.values()) and 'fuzzy' not in self.flags


def _unquote(s):
    # PO strings use C escapes; a Python string literal reads them the same
    # way for everything gettext writes (\n, \t, \", \\).
    return ast.literal_eval(s)


def parse_po(path):
    """Returns the entries of a PO or POT file, header included (msgid "")."""
    entries = []
    cur = None
    field = None
    pending_flags = set()
    for raw in Path(path).read_text(encoding='utf-8').splitlines():
        line = raw.strip()
        obsolete = line.startswith('#~')
        if obsolete:
            line = line[2:].strip()
        elif line.startswith('#,'):
            pending_flags.update(f.strip() for f in line[2:].split(','))
            continue
        elif line.startswith('#') or not line:
            continue
        if line.startswith('"'):
            text = _unquote(line)
            if field in ('msgctxt', 'msgid', 'msgid_plural'):
                setattr(cur, field, getattr(cur, field) + text)
            else:
                cur.msgstr[field] += text
            continue
        key, _, rest = line.partition(' ')
        if key == 'msgctxt' or (key == 'msgid' and (cur is None or cur.msgid is not None)):
            cur = Entry()
            cur.flags, pending_flags = pending_flags, set()
            entries.append(cur)
        cur.obsolete = obsolete
        if key in ('msgctxt', 'msgid', 'msgid_plural'):
            setattr(cur, key, _unquote(rest))
            field = key
        elif key.startswith('msgstr'):
            field = int(key[7:-1]) if key.startswith('msgstr[') else 0
            cur.msgstr[field] = _unquote(rest)
        else:
            raise ValueError(f'{path}: cannot parse line: {raw}')
    return entries


def make_pot(source_root, out_path):
    """Extracts a fresh template from po/POTFILES.in with xgettext."""
    source_root = Path(source_root)
    subprocess.run(
        ['xgettext', '--package-name=hearth', '-D', str(source_root),
         '-f', str(source_root / 'po' / 'POTFILES.in'), '-o', str(out_path)] + GLIB_PRESET,
        check=True)
    return out_path
