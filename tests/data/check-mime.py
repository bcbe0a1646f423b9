#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compiles the MIME package with update-mime-database in a temporary
directory and checks what the desktop will see: globs, parent types,
icon, translated comment, and no magic (Flatpak may drop it).

usage: check-mime.py MIME_XML APP_ID
"""
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

NS = '{http://www.freedesktop.org/standards/shared-mime-info}'
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'


def main():
    source, app_id = Path(sys.argv[1]), sys.argv[2]
    problems = []
    root = ET.parse(source).getroot()
    if root.find(f'.//{NS}magic') is not None:
        problems.append('the package has <magic> rules, which Flatpak may strip; rely on globs')
    for mt in root.iter(NS + 'mime-type'):
        langs = {c.get(XML_LANG) for c in mt.iter(NS + 'comment')}
        if None not in langs or 'de' not in langs:
            problems.append(f'{mt.get("type")}: needs an English and a German comment')

    with tempfile.TemporaryDirectory(prefix='hearth-mime-') as tmp:
        mime = Path(tmp) / 'mime'
        (mime / 'packages').mkdir(parents=True)
        shutil.copy(source, mime / 'packages' / source.name)
        # With the directory on the XDG path, anything update-mime-database
        # prints is a complaint about the package.
        env = dict(os.environ, XDG_DATA_HOME=tmp, XDG_DATA_DIRS=tmp)
        proc = subprocess.run(['update-mime-database', str(mime)], capture_output=True, text=True, env=env)
        if proc.returncode != 0 or proc.stderr.strip():
            problems.append(f'update-mime-database complains:\n{proc.stderr}')
        else:
            globs = (mime / 'globs2').read_text()
            subclasses = (mime / 'subclasses').read_text()
            icons = (mime / 'generic-icons').read_text()
            for text, line in [(globs, ':application/x-profsession:*.profsession'),
                               (globs, ':text/x-folded-stacks:*.folded'),
                               (subclasses, 'application/x-profsession application/vnd.sqlite3'),
                               (subclasses, 'text/x-folded-stacks text/plain'),
                               (icons, f'application/x-profsession:{app_id}')]:
                if line not in text:
                    problems.append(f'compiled database lacks "{line}"')

    for p in problems:
        print(p)
    print(f'{source.name}: {len(list(root.iter(NS + "mime-type")))} types')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
