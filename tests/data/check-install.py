#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Installs the build into a temporary DESTDIR and checks one aspect of it.

Each check is its own meson test so a failure names what is wrong:
  tree              every file Hearth must install is there, nothing lands
                    outside the prefix, programs are executable
  version           the installed programs run and print the project version
  validate          installed desktop file, metainfo and schema validate
  mime              the installed MIME package maps *.profsession and *.folded
  l10n              the installed German catalog translates the collector
  collector-lookup  the installed hearth finds the installed hearth-collector

usage: check-install.py [--meson MESON] CHECK
Needs HEARTH_BUILD_ROOT and HEARTH_SOURCE_ROOT (set by test_env).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BUILD = Path(os.environ['HEARTH_BUILD_ROOT'])
SOURCE = Path(os.environ['HEARTH_SOURCE_ROOT'])
MESON = 'meson'
BASE_ID = 'io.github.hearthprof.Hearth'


def fail(msg):
    print(msg)
    sys.exit(1)


def options():
    out = subprocess.run([MESON, 'introspect', '--buildoptions', str(BUILD)],
                         capture_output=True, text=True, check=True).stdout
    return {o['name']: o['value'] for o in json.loads(out)}


def install(destdir):
    proc = subprocess.run([MESON, 'install', '-C', str(BUILD), '--destdir', str(destdir),
                           '--no-rebuild', '--quiet'], capture_output=True, text=True)
    if proc.returncode != 0:
        fail(f'meson install failed:\n{proc.stdout}\n{proc.stderr}')


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ('DISPLAY', 'WAYLAND_DISPLAY', 'HEARTH_COLLECTOR', 'HEARTH_DEMO',
                        'HEARTH_LOCALEDIR', 'GSETTINGS_SCHEMA_DIR')}
    env.update(extra)
    return env


def run(argv, **kw):
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=60, **kw)


class Tree:
    def __init__(self, destdir, opts):
        self.destdir = destdir
        self.opts = opts
        self.prefix = destdir / Path(opts['prefix']).relative_to('/')
        self.app = opts['app']
        self.collector = opts['collector']
        self.app_id = BASE_ID + ('.Devel' if opts['development'] else '')

    def path(self, option, *parts):
        """Where meson puts files of directory option OPTION, inside DESTDIR."""
        d = Path(self.opts[option])
        if not d.is_absolute():
            d = Path(self.opts['prefix']) / d
        return self.destdir / d.relative_to('/') / Path(*parts)

    def bin(self, name):
        return self.path('bindir', name)

    def expected(self):
        files = []
        langs = [l for l in (SOURCE / 'po' / 'LINGUAS').read_text().split() if not l.startswith('#')]
        for lang in langs:
            files.append(self.path('localedir', lang, 'LC_MESSAGES', 'hearth.mo'))
        if self.collector:
            files += [self.bin('hearth-collector'), self.path('mandir', 'man1', 'hearth-collector.1')]
        if self.app:
            i = self.app_id
            files += [
                self.bin('hearth'),
                self.path('mandir', 'man1', 'hearth.1'),
                self.path('datadir', 'applications', f'{i}.desktop'),
                self.path('datadir', 'metainfo', f'{i}.metainfo.xml'),
                self.path('datadir', 'glib-2.0', 'schemas', f'{BASE_ID}.gschema.xml'),
                self.path('datadir', 'icons', 'hicolor', 'scalable', 'apps', f'{i}.svg'),
                self.path('datadir', 'icons', 'hicolor', 'symbolic', 'apps', f'{i}-symbolic.svg'),
                self.path('datadir', 'mime', 'packages', f'{i}-mime.xml'),
            ]
        return files


def check_tree(destdir, tree):
    problems = []
    for f in tree.expected():
        if not f.is_file():
            problems.append(f'missing: {f.relative_to(destdir)}')
    for name in ('hearth', 'hearth-collector'):
        f = tree.bin(name)
        if f.is_file() and not os.access(f, os.X_OK):
            problems.append(f'not executable: {f.relative_to(destdir)}')
    # The app's "Profile the Demo Workload" runs hearth-demo next to hearth.
    if tree.app and not tree.bin('hearth-demo').is_file():
        problems.append(f'missing: {tree.bin("hearth-demo").relative_to(destdir)} '
                        '(the installed app looks for it next to hearth)')
    for f in destdir.rglob('*'):
        if f.is_file() and tree.prefix not in f.parents:
            problems.append(f'installed outside the prefix: {f.relative_to(destdir)}')
    if problems:
        fail('\n'.join(problems))
    print(f'{len(tree.expected())} expected files installed under {tree.opts["prefix"]}')


def check_version(destdir, tree):
    version = subprocess.run([MESON, 'introspect', '--projectinfo', str(BUILD)], capture_output=True,
                             text=True, check=True).stdout
    version = json.loads(version)['version']
    programs = [n for n, on in (('hearth-collector', tree.collector), ('hearth', tree.app)) if on]
    if not programs:
        fail('nothing to run: both app and collector are disabled')
    for name in programs:
        proc = run([tree.bin(name), '--version'], env=clean_env())
        if proc.returncode != 0 or version not in proc.stdout:
            fail(f'{name} --version (installed, no display) gave exit {proc.returncode}, '
                 f'stdout {proc.stdout!r}, stderr {proc.stderr!r}; expected {version}')
        print(f'{name} --version: {proc.stdout.strip()}')


def check_validate(destdir, tree):
    if not tree.app:
        fail('the app is disabled (-Dapp=false): no desktop files to validate')
    i = tree.app_id
    checks = [
        ['desktop-file-validate', tree.path('datadir', 'applications', f'{i}.desktop')],
        ['appstreamcli', 'validate', '--no-net', '--explain', tree.path('datadir', 'metainfo', f'{i}.metainfo.xml')],
        ['glib-compile-schemas', '--strict', '--dry-run', tree.path('datadir', 'glib-2.0', 'schemas')],
        ['xmllint', '--noout', tree.path('datadir', 'mime', 'packages', f'{i}-mime.xml')],
    ]
    for argv in checks:
        proc = run(argv)
        if proc.returncode != 0:
            fail(f'{argv[0]} rejects the installed file:\n{proc.stdout}{proc.stderr}')
        print(f'{argv[0]}: ok')
    # The metainfo must point at the installed desktop file and icon.
    meta = tree.path('datadir', 'metainfo', f'{i}.metainfo.xml').read_text()
    if f'<launchable type="desktop-id">{i}.desktop</launchable>' not in meta:
        fail(f'metainfo launchable does not name {i}.desktop')
    desktop = tree.path('datadir', 'applications', f'{i}.desktop').read_text()
    if f'\nIcon={i}\n' not in desktop:
        fail(f'desktop file Icon is not {i}')


def check_mime(destdir, tree):
    if not tree.app:
        fail('the app is disabled (-Dapp=false): no MIME package')
    with tempfile.TemporaryDirectory(prefix='hearth-mime-') as tmp:
        mime = Path(tmp) / 'mime'
        shutil.copytree(tree.path('datadir', 'mime'), mime)
        proc = run(['update-mime-database', mime])
        if proc.returncode != 0:
            fail(f'update-mime-database failed:\n{proc.stderr}')
        globs = (mime / 'globs2').read_text()
        subclasses = (mime / 'subclasses').read_text()
        icons = (mime / 'generic-icons').read_text()
    wanted = [
        (globs, ':application/x-profsession:*.profsession'),
        (globs, ':text/x-folded-stacks:*.folded'),
        (subclasses, 'application/x-profsession application/vnd.sqlite3'),
        (subclasses, 'text/x-folded-stacks text/plain'),
        (icons, f'application/x-profsession:{tree.app_id}'),
    ]
    for text, line in wanted:
        if line not in text:
            fail(f'the compiled MIME database lacks "{line}"')
    print('MIME database: *.profsession and *.folded registered')


def check_l10n(destdir, tree):
    if not tree.collector:
        fail('the collector is disabled (-Dcollector=false)')
    script = Path(__file__).with_name('check-l10n.py')
    proc = run([sys.executable, script, SOURCE, tree.path('localedir'), tree.bin('hearth-collector'), '--help'],
               env=clean_env())
    print(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        sys.exit(1)


def check_collector_lookup(destdir, tree):
    if not (tree.app and tree.collector):
        fail('needs both the app and the collector')
    proc = run([tree.bin('hearth'), '--print-collector-path'], env=clean_env())
    if proc.returncode != 0:
        fail(f'hearth --print-collector-path failed ({proc.returncode}): {proc.stderr.strip()}\n'
             'The test needs this option to see which collector the installed app would run.')
    got = Path(proc.stdout.strip())
    if got.resolve() != tree.bin('hearth-collector').resolve():
        fail(f'installed hearth would run {got}, not the installed {tree.bin("hearth-collector")}')
    print(f'installed hearth runs {got}')


CHECKS = {
    'tree': check_tree,
    'version': check_version,
    'validate': check_validate,
    'mime': check_mime,
    'l10n': check_l10n,
    'collector-lookup': check_collector_lookup,
}


def main():
    global MESON
    args = sys.argv[1:]
    if args[0] == '--meson':
        MESON = args[1]
        args = args[2:]
    check = CHECKS[args[0]]
    opts = options()
    # Outside the build tree: the app treats a binary under BUILD_ROOT as
    # uninstalled and would then use the build tree's files.
    with tempfile.TemporaryDirectory(prefix='hearth-destdir-', dir='/tmp') as tmp:
        destdir = Path(tmp)
        install(destdir)
        check(destdir, Tree(destdir, opts))
    return 0


if __name__ == '__main__':
    sys.exit(main())
