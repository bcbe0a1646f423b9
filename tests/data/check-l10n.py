#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a program's help in English and in German and compares them.

Every German translation (from po/de.po) of a message that the English
output shows must appear in the German output, and there must be at least
one such message: so the test fails when the program ignores the
translation, when the catalog is not built or installed, or when its
help has no translated text at all.

LANGUAGE=de with LC_ALL=C.UTF-8 is used because it works without a
generated de_DE locale: glibc honours LANGUAGE for any locale but C/POSIX,
and C.UTF-8 is built in (checked on Debian 12, glibc 2.36).

usage: check-l10n.py SOURCE_ROOT LOCALEDIR PROGRAM [ARG...]
LOCALEDIR is passed to the program as HEARTH_LOCALEDIR; it must hold
de/LC_MESSAGES/hearth.mo.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import hearthpo


def run(argv, env):
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        print(f'{" ".join(argv)} exited with {proc.returncode}:\n{proc.stderr}')
        sys.exit(1)
    return proc.stdout + proc.stderr


def main():
    root, localedir, argv = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    mo = Path(localedir) / 'de' / 'LC_MESSAGES' / 'hearth.mo'
    if not mo.is_file():
        print(f'{mo} does not exist: the German catalog was not built or installed')
        return 1

    env = {k: v for k, v in os.environ.items()
           if not k.startswith('LC_') and k not in ('LANG', 'LANGUAGE', 'DISPLAY', 'WAYLAND_DISPLAY')}
    env['HEARTH_LOCALEDIR'] = localedir
    english = run(argv, dict(env, LC_ALL='C.UTF-8', LANGUAGE='en'))
    german = run(argv, dict(env, LC_ALL='C.UTF-8', LANGUAGE='de'))

    # A message counts as shown when it is a whole line of the output or a
    # whole column of one (GOption puts option and description on one line,
    # separated by runs of spaces): a word that merely occurs inside a longer
    # English line proves nothing.
    def segments(text):
        found = set()
        for line in text.splitlines():
            line = line.strip()
            if line:
                found.add(line)
                found.update(part for part in re.split(r'\s{2,}', line) if part)
        return found

    english_segments = segments(english)
    german_segments = segments(german)
    shown = 0
    missing = []
    for e in hearthpo.parse_po(root / 'po' / 'de.po'):
        if e.obsolete or not e.translated or e.msgid_plural or e.msgstr[0] == e.msgid:
            continue
        msgid, msgstr = e.msgid.strip(), e.msgstr[0].strip()
        if '%' in msgid or '\n' in msgid or msgid not in english_segments:
            continue
        shown += 1
        if msgstr not in german_segments:
            missing.append(e)

    for e in missing:
        print(f'German output lacks {e.msgstr[0]!r} (for {e.msgid!r})')
    if shown == 0:
        print('The English output shows no message of po/de.po; is its help text marked with _() '
              'and the file listed in po/POTFILES.in?\n--- English output ---\n' + english)
        return 1
    if missing:
        print('--- German output ---\n' + german)
        print(f'Does main() call bindtextdomain (GETTEXT_PACKAGE, HEARTH_LOCALEDIR or LOCALEDIR)?')
        return 1
    print(f'{shown} translated messages shown in German')
    return 0


if __name__ == '__main__':
    sys.exit(main())
