#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the built AppStream metainfo against Hearth's checklist
(docs: ../shared/design/gnome-conventions.md), beyond what appstreamcli
validates: ids, required elements, screenshots pinned to the release tag,
release dates, and that the German translation was merged.

usage: check-metainfo.py METAINFO APP_ID VERSION [SCREENSHOTS_DIR]
With SCREENSHOTS_DIR, only checks that every screenshot named in the
metainfo exists there (so the store pages do not show broken images).
"""
import datetime
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

SCREENSHOTS = ['live-icicle', 'start-page', 'picker', 'flame-search', 'functions-table',
               'timeline-brush', 'heatmap', 'diff', 'side-by-side', 'sunburst']
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'


def untranslated(elements):
    return [e for e in elements if e.get(XML_LANG) is None]


def main():
    path, app_id, version = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    root = ET.parse(path).getroot()
    url_base = f'https://raw.githubusercontent.com/hearthprof/hearth/v{version}/screenshots/'
    images = [i.text.strip() for i in root.iterfind('screenshots/screenshot/image')]

    if len(sys.argv) > 4:
        shots = Path(sys.argv[4])
        missing = [u[len(url_base):] for u in images if not (shots / u[len(url_base):]).is_file()]
        for m in missing:
            print(f'screenshots/{m} is named in the metainfo but does not exist')
        print(f'{len(images) - len(missing)} of {len(images)} screenshots exist')
        return 1 if missing or not images else 0

    problems = []

    def need(cond, msg):
        if not cond:
            problems.append(msg)

    need(root.get('type') == 'desktop-application', 'component type is not desktop-application')
    need(root.findtext('id') == app_id, f'id is not {app_id}')
    need(root.findtext('metadata_license') == 'CC0-1.0', 'metadata_license is not CC0-1.0')
    need(root.findtext('project_license') == 'GPL-3.0-or-later', 'project_license is not GPL-3.0-or-later')
    need(root.findtext('launchable[@type="desktop-id"]') == f'{app_id}.desktop', 'launchable is not the desktop file')
    need(root.findtext('translation[@type="gettext"]') == 'hearth', 'translation is not gettext domain hearth')
    need(root.find('developer/name') is not None, 'no <developer><name>')
    need(root.find('content_rating[@type="oars-1.1"]') is not None, 'no OARS 1.1 content rating')
    for kind in ('homepage', 'bugtracker', 'vcs-browser'):
        need(root.find(f'url[@type="{kind}"]') is not None, f'no {kind} url')
    schemes = {c.get('scheme_preference') for c in root.iterfind('branding/color[@type="primary"]')}
    need(schemes == {'light', 'dark'}, 'branding needs primary colours for light and dark')
    controls = {c.text for c in root.iterfind('supports/control')}
    need({'keyboard', 'pointing'} <= controls, 'supports must list keyboard and pointing')
    need(root.find('requires/display_length') is not None, 'no display_length requirement')

    paragraphs = untranslated(root.findall('description/p'))
    first = ' '.join(paragraphs[0].text.split()) if paragraphs else ''
    need(len(first) >= 80, f'first description paragraph has {len(first)} characters, needs 80')

    names = []
    for shot in root.iterfind('screenshots/screenshot'):
        url = shot.findtext('image', '').strip()
        need(url.startswith(url_base) and url.endswith('.png'),
             f'screenshot {url} is not served from the v{version} tag of screenshots/')
        names.append(url[len(url_base):-len('.png')])
        need(bool(untranslated(shot.findall('caption'))), f'screenshot {url} has no caption')
    need(names == SCREENSHOTS, f'screenshots are {names}, expected {SCREENSHOTS}')
    defaults = root.findall('screenshots/screenshot[@type="default"]')
    need(len(defaults) == 1, 'exactly one screenshot must be the default')

    releases = root.findall('releases/release')
    need(bool(releases), 'no releases')
    dates = []
    for r in releases:
        d = datetime.date.fromisoformat(r.get('date', '1970-01-01'))
        need(d <= datetime.date.today(), f'release {r.get("version")} is dated in the future ({d})')
        need(r.find('description') is not None, f'release {r.get("version")} has no description')
        dates.append(d)
    need(dates == sorted(dates, reverse=True), 'releases are not ordered newest first')
    if releases:
        need(releases[0].get('version') == version,
             f'newest release is {releases[0].get("version")}, the project is {version}: add a <release>')

    german = [e for e in root.iter() if e.get(XML_LANG) == 'de']
    need(any(e.tag == 'summary' for e in german), 'no German summary: were translations merged?')
    need(len(german) >= 10, f'only {len(german)} German elements merged')

    for p in problems:
        print(p)
    print(f'{path.name}: {len(names)} screenshots, {len(releases)} releases, {len(german)} German elements')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
