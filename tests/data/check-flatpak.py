#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Static checks of the Flatpak manifest (Flatpak builds cannot run in CI).

- valid JSON with id = the app id, file named after it;
- the current stable GNOME runtime, never "master"/"nightly";
- only the permissions a profiler needs: the ones Flathub's linter
  refuses (session/system bus, host filesystem, flatpak-spawn) are absent,
  --allow=devel and --share=network are present, wayland comes with
  fallback-x11;
- every local file a source references exists; archive and file sources
  fetched from the network carry a sha256; git sources are pinned.

usage: check-flatpak.py SOURCE_ROOT APP_ID
"""
import json
import re
import sys
from pathlib import Path

REQUIRED_ARGS = {'--share=ipc', '--socket=wayland', '--socket=fallback-x11', '--device=dri',
                 '--allow=devel', '--share=network'}
FORBIDDEN = [
    (re.compile(r'^--socket=(session|system)-bus$'), 'whole session/system bus'),
    (re.compile(r'^--filesystem=(host|host-os|host-etc|home)(:.*)?$'), 'host filesystem'),
    (re.compile(r'^--talk-name=org\.freedesktop\.Flatpak$'), 'flatpak-spawn --host (Flathub linter error)'),
    (re.compile(r'^--device=all$'), 'all devices'),
]
STABLE_GNOME = 50


def main():
    root, app_id = Path(sys.argv[1]), sys.argv[2]
    manifest_path = root / 'flatpak' / f'{app_id}.json'
    problems = []
    try:
        manifest = json.loads(manifest_path.read_text(encoding='utf-8'))
    except (OSError, json.JSONDecodeError) as e:
        print(f'{manifest_path}: {e}')
        return 1

    if manifest.get('id', manifest.get('app-id')) != app_id:
        problems.append(f'id is {manifest.get("id")!r}, expected {app_id!r}')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        problems.append('runtime/sdk must be org.gnome.Platform/org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    if not version.isdigit() or int(version) < STABLE_GNOME:
        problems.append(f'runtime-version {version!r} is not a stable GNOME runtime >= {STABLE_GNOME}')
    if manifest.get('command') != 'hearth':
        problems.append('command must be hearth')

    args = manifest.get('finish-args', [])
    for arg in sorted(REQUIRED_ARGS - set(args)):
        problems.append(f'finish-args lacks {arg}')
    for arg in args:
        for pattern, what in FORBIDDEN:
            if pattern.match(arg):
                problems.append(f'finish-args grants {arg} ({what})')
    extra = set(args) - REQUIRED_ARGS
    if extra:
        problems.append(f'finish-args has unreviewed permissions: {sorted(extra)} '
                        '(add them to this test with a reason in docs/flatpak.md)')

    modules = manifest.get('modules', [])
    if not modules or modules[-1].get('name') != 'hearth':
        problems.append('the last module must build hearth')
    elif modules[-1].get('buildsystem') != 'meson':
        problems.append('hearth must be built with meson')

    def walk(mods):
        for m in mods:
            if isinstance(m, str):      # a path to a module file
                yield None, m
                continue
            for src in m.get('sources', []):
                yield m.get('name'), src
            yield from walk(m.get('modules', []))

    referenced = 0
    for name, src in walk(modules):
        if isinstance(src, str) or src is None:
            path = manifest_path.parent / (src or name)
            referenced += 1
            if not path.exists():
                problems.append(f'module file {path} does not exist')
            continue
        kind = src.get('type')
        if 'path' in src:
            referenced += 1
            path = (manifest_path.parent / src['path']).resolve()
            if not path.exists():
                problems.append(f'module {name}: {kind} source {src["path"]} does not exist ({path})')
            if kind == 'dir' and not (path / 'meson.build').is_file():
                problems.append(f'module {name}: dir source {path} has no meson.build')
        for p in src.get('paths', []):
            referenced += 1
            if not (manifest_path.parent / p).exists():
                problems.append(f'module {name}: {p} does not exist')
        if kind in ('archive', 'file') and 'url' in src and not re.fullmatch(r'[0-9a-f]{64}', src.get('sha256', '')):
            problems.append(f'module {name}: {src["url"]} has no sha256')
        if kind == 'git' and not (src.get('commit') or src.get('tag')):
            problems.append(f'module {name}: git source is not pinned to a tag or commit')

    if referenced == 0:
        problems.append('no local source: the manifest cannot build this checkout')
    for p in problems:
        print(p)
    print(f'{manifest_path.name}: {len(modules)} modules, {referenced} local paths checked')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
