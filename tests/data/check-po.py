#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that a translation is complete and well-formed.

Extracts a fresh template from the sources listed in po/POTFILES.in with
the same xgettext arguments as meson's glib preset, merges the PO file
into it in a temporary directory (the source tree is not touched) and
fails when any message is untranslated or fuzzy, or when msgfmt --check
rejects the file (format strings that do not match, bad headers, desktop
Keywords missing their trailing semicolon, ...).

usage: check-po.py SOURCE_ROOT LANG
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import hearthpo


def main():
    root, lang = Path(sys.argv[1]), sys.argv[2]
    po = root / 'po' / f'{lang}.po'
    problems = []

    check = subprocess.run(['msgfmt', '--check', '--check-accelerators=_', '-o', '/dev/null', str(po)],
                           capture_output=True, text=True)
    if check.returncode != 0:
        problems.append(f'msgfmt --check rejects {po}:\n{check.stderr}')

    with tempfile.TemporaryDirectory(prefix='hearth-po-') as tmp:
        pot = hearthpo.make_pot(root, Path(tmp) / 'hearth.pot')
        merged = Path(tmp) / f'{lang}.po'
        subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', str(merged), str(po), str(pot)],
                       check=True)
        entries = [e for e in hearthpo.parse_po(merged) if e.msgid and not e.obsolete]

    if not entries:
        problems.append('the template has no messages: is po/POTFILES.in empty?')
    untranslated = [e for e in entries if not e.translated]
    for e in untranslated:
        state = 'fuzzy' if 'fuzzy' in e.flags else 'untranslated'
        problems.append(f'{state}: {e.msgid!r}')

    # A German desktop Keywords entry must keep the trailing ';'.
    for e in entries:
        if e.msgid.endswith(';') and e.translated and not e.msgstr[0].endswith(';'):
            problems.append(f'translation of {e.msgid!r} lost its trailing semicolon')

    for p in problems:
        print(p)
    print(f'{lang}: {len(entries) - len(untranslated)} of {len(entries)} messages translated')
    if untranslated:
        print('Refresh with: meson compile -C BUILD hearth-pot hearth-update-po, then translate '
              f'the new entries of po/{lang}.po')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
