#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Lints a manual page with groff and checks it against the program.

Every long option the program's --help (and each COMMAND --help) prints
must be documented in the page's SYNOPSIS, OPTIONS or COMMANDS sections,
and every option documented there must exist, so the page cannot drift
from the code.

usage: check-man.py PAGE PROGRAM [COMMAND...]
"""
import os
import re
import subprocess
import sys
from pathlib import Path

DOCUMENTED_SECTIONS = {'SYNOPSIS', 'OPTIONS', 'COMMANDS'}
# Options every GLib program has, documented by GLib rather than by us.
IGNORED = re.compile(r'^(help(-.*)?|gapplication-service)$')


def documented_options(page):
    options = set()
    section = None
    for line in page.read_text(encoding='utf-8').splitlines():
        if line.startswith('.SH '):
            section = line[4:].strip().strip('"')
            continue
        if section in DOCUMENTED_SECTIONS:
            for m in re.finditer(r'\\-\\-((?:[a-z0-9]|\\-)+)', line):
                options.add(m.group(1).replace('\\-', '-'))
    return options


def help_options(argv):
    env = {k: v for k, v in os.environ.items() if k not in ('DISPLAY', 'WAYLAND_DISPLAY')}
    env.update(LC_ALL='C.UTF-8', LANGUAGE='en')
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=30, env=env)
    if proc.returncode != 0:
        return None, proc.stderr
    return set(re.findall(r'(?<![\w-])--([a-z0-9][a-z0-9-]*)', proc.stdout)), proc.stdout


def main():
    page, program, commands = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    problems = []

    lint = subprocess.run(['groff', '-man', '-ww', '-z', '-Tutf8', str(page)],
                          capture_output=True, text=True)
    if lint.returncode != 0 or lint.stderr.strip():
        problems.append(f'groff warns about {page.name}:\n{lint.stderr}')

    documented = documented_options(page)
    offered = set()
    for argv in [[program, '--help']] + [[program, c, '--help'] for c in commands]:
        options, output = help_options(argv)
        if options is None:
            problems.append(f'{" ".join(argv)} failed: {output.strip()}')
            continue
        offered |= options
    offered = {o for o in offered if not IGNORED.match(o)}
    documented = {o for o in documented if not IGNORED.match(o)}

    for o in sorted(offered - documented):
        problems.append(f'--{o} is offered by {Path(program).name} but not documented in {page.name}')
    for o in sorted(documented - offered):
        problems.append(f'--{o} is documented in {page.name} but {Path(program).name} does not offer it')

    for p in problems:
        print(p)
    print(f'{page.name}: {len(documented)} options documented, {len(offered)} offered')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
