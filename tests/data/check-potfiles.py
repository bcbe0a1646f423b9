#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when po/POTFILES.in misses a file with translatable strings.

A file needs listing when it is C/header source containing _(), N_(), C_()
or NC_(), a GtkBuilder file with translatable="yes", or a data template
whose strings gettext extracts (desktop, metainfo, gschema, MIME XML).
Also fails when POTFILES.in names a file that does not exist (xgettext
would stop with an error) or is not sorted.

usage: check-potfiles.py [--update] SOURCE_ROOT
  --update  rewrite po/POTFILES.in with exactly the files found (keeps the
            leading comment lines), for maintainers after adding sources.
"""
import re
import sys
from pathlib import Path

SCANNED_DIRS = ['src', 'data', 'demo']
C_MARKER = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_)\(')
UI_MARKER = re.compile(r'translatable\s*=\s*["\'](?:yes|true)["\']')
DATA_SUFFIXES = ('.desktop.in', '.desktop.in.in', '.metainfo.xml.in', '.metainfo.xml.in.in',
                 '.gschema.xml', '-mime.xml.in')


def needs_listing(path):
    name = path.name
    if name.endswith(('.c', '.h')):
        text = path.read_text(encoding='utf-8', errors='replace')
        # Comments may show _() in prose; strip them before looking.
        text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        return C_MARKER.search(text) is not None
    if name.endswith(('.ui', '.blp')):
        return UI_MARKER.search(path.read_text(encoding='utf-8', errors='replace')) is not None
    return name.endswith(DATA_SUFFIXES)


def find_translatable(root):
    found = []
    for top in SCANNED_DIRS:
        for path in sorted((root / top).rglob('*')):
            if path.is_file() and needs_listing(path):
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def update(root, potfiles):
    header = [l for l in potfiles.read_text(encoding='utf-8').splitlines() if l.startswith('#')]
    potfiles.write_text('\n'.join(header + find_translatable(root)) + '\n', encoding='utf-8')


def main():
    args = sys.argv[1:]
    do_update = '--update' in args
    root = Path([a for a in args if a != '--update'][0])
    potfiles = root / 'po' / 'POTFILES.in'
    if do_update:
        update(root, potfiles)
    listed = [l.strip() for l in potfiles.read_text(encoding='utf-8').splitlines()
              if l.strip() and not l.lstrip().startswith('#')]
    problems = []

    for entry in listed:
        if not (root / entry).is_file():
            problems.append(f'po/POTFILES.in lists {entry}, which does not exist')
    if listed != sorted(listed):
        problems.append('po/POTFILES.in is not sorted (sort it with LC_ALL=C sort)')
    if len(set(listed)) != len(listed):
        problems.append('po/POTFILES.in lists a file twice')

    listed_set = set(listed)
    found = find_translatable(root)
    for rel in found:
        if rel not in listed_set:
            problems.append(f'{rel} has translatable strings but is missing from po/POTFILES.in')

    if not found:
        problems.append('no file with translatable strings found: is SOURCE_ROOT right?')
    for p in problems:
        print(p)
    print(f'{len(found)} files with translatable strings, {len(listed)} listed')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
