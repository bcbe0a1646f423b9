#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the built desktop file against the MIME package and the checklist
(desktop-file-validate checks the syntax; this checks the content).

usage: check-desktop.py DESKTOP_FILE MIME_XML APP_ID
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

MIME_NS = '{http://www.freedesktop.org/standards/shared-mime-info}'


def main():
    desktop, mime, app_id = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    entry = {}
    for line in desktop.read_text(encoding='utf-8').splitlines():
        if '=' in line and not line.startswith('#'):
            key, value = line.split('=', 1)
            entry[key] = value
    defined = {m.get('type') for m in ET.parse(mime).getroot().iter(MIME_NS + 'mime-type')}
    problems = []

    def need(cond, msg):
        if not cond:
            problems.append(msg)

    need(entry.get('Exec') == 'hearth %F', 'Exec must be "hearth %F" (files opened through GApplication)')
    need(entry.get('Icon') == app_id, f'Icon must be {app_id}')
    categories = entry.get('Categories', '').split(';')
    need('Development' in categories and 'Profiling' in categories, 'Categories must include Development;Profiling;')
    need(not {'GTK', 'GNOME'} & set(categories), 'Flathub filters out generic GTK/GNOME categories')
    types = [t for t in entry.get('MimeType', '').split(';') if t]
    need({'application/x-profsession', 'text/x-folded-stacks'} <= set(types),
         'MimeType must list application/x-profsession and text/x-folded-stacks')
    for t in types:
        need(t in defined, f'MimeType {t} is not defined in {mime.name}')
    need(entry.get('Keywords', '').endswith(';'), 'Keywords must end with ";"')
    for key in ('Name[de]', 'Comment[de]', 'Keywords[de]'):
        need(key in entry, f'no {key}: was po/de.po merged?')
    need(entry.get('Keywords[de]', ';').endswith(';'), 'Keywords[de] must end with ";"')

    for p in problems:
        print(p)
    print(f'{desktop.name}: {len(types)} MIME types, {sum(1 for k in entry if "[" in k)} translated keys')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
