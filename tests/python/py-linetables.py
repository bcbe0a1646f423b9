# SPDX-License-Identifier: GPL-3.0-or-later
"""Print the location tables of many code objects with the lines CPython
itself derives from them (co_lines), for the decoder test:

    code FIRSTLINENO HEX_LINETABLE
    range START END LINE        (LINE is -1 for "no line")
"""
import sys
import types


def walk(code, seen):
    if id(code) in seen:
        return
    seen.add(id(code))
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from walk(const, seen)


def main():
    seen = set()
    count = 0
    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as f:
            source = f.read()
        for code in walk(compile(source, name, "exec"), seen):
            print("code %d %s" % (code.co_firstlineno, code.co_linetable.hex()))
            for start, end, line in code.co_lines():
                print("range %d %d %d" % (start, end, -1 if line is None else line))
            count += 1
    print("ready %d" % count, flush=True)


if __name__ == "__main__":
    main()
