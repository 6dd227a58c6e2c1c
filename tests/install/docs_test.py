#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The man page and the bash completion against the binary's own --help: every option the
help lists is an entry of the man page (with its text) and is completed by bash; the page
formats without groff warnings.

The option names are read from the help here with a plain pattern, not with the generators'
reader (data/help_text.py), so an option that reader drops is caught.

udmaview-timing's page is its argparse help: it must format cleanly and have each command.

The README's options block is the help itself, line for line (tools/readme-help rewrites it).

usage: docs_test.py UDMAVIEW MAN_PAGE BASH_COMPLETION UDMAVIEW_TIMING TIMING_MAN_PAGE README
"""
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'lib'))

from udmaview_test import procs, tap  # noqa: E402

UDMAVIEW, MAN_PAGE, COMPLETION, TIMING, TIMING_MAN_PAGE, README = sys.argv[1:7]


def help_options(help_text: str):
    """{option name: first words of its description} from lines such as
    '  -h, --help          show this text'."""
    options = {}
    for line in help_text.splitlines():
        match = re.match(r'^  (-\S.*?)(?: {2,}(.*))?$', line)
        if not match:
            continue
        names = re.findall(r'(?:^|, )(--?[A-Za-z][\w-]*)', match.group(1))
        for name in names:
            options[name] = ' '.join((match.group(2) or '').split()[:4])
    return options


def render_man(tmp: Path, page: str):
    """The page as man shows it, on one long line width (no hyphenation at line ends)."""
    name = Path(page).name
    rc, out, err = procs.run(f'groff-{name}', ['groff', '-man', '-Tutf8', '-P-cbou',
                                               '-rLL=250n', '-ww', page], 60, out_dir=tmp)
    if rc != 0:
        tap.log(err)
    tap.check(rc == 0, f'groff formats {name}')
    tap.expect(err.strip() == '', f'groff -ww: no warnings for {name}', err)
    return out


def check_man(tmp: Path, options):
    text = render_man(tmp, MAN_PAGE)
    flat = ' '.join(text.split())
    entries = set()
    for line in text.splitlines():
        # an option entry: the tag line, indented, starting with the option name(s)
        match = re.match(r'^\s+(-[\w-]+(?:, -[\w-]+)*)', line)
        if match:
            entries.update(match.group(1).split(', '))
    missing = sorted(set(options) - entries)
    tap.expect(not missing, f'every one of the {len(options)} options of --help has a man '
               f'page entry', f'missing: {missing}')
    without_text = sorted(o for o, words in options.items() if words and words not in flat)
    tap.expect(not without_text, 'every option\'s description is in the man page',
               f'description missing for: {without_text}')
    for section in ('NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'EXIT STATUS', 'FILES'):
        tap.expect(re.search(rf'^{section}$', text, re.M), f'man page has {section}')
    tap.expect(not re.search(r'@[A-Z_]+@', text), 'no template placeholder is left')


def check_timing_man(tmp: Path):
    rc, top, _ = procs.run('timing-help', [TIMING, '--help'], 60, out_dir=tmp)
    tap.check(rc == 0, 'udmaview-timing --help exits 0')
    commands = re.findall(r'^ {4}(\w+) {2,}\S', top, re.M)
    text = render_man(tmp, TIMING_MAN_PAGE)
    for command in commands:
        tap.expect(re.search(rf'^\s+usage: udmaview-timing {command} ', text, re.M),
                   f'udmaview-timing.1 has the help of "{command}"')
    tap.expect(len(commands) >= 3, f'udmaview-timing lists its commands ({commands})')


def complete(tmp: Path, words, name):
    """The words bash offers for the last of words (COMP_WORDS as bash splits them)."""
    script = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _udmaview; '
              'printf "%s\\n" "${COMPREPLY[@]}"')
    rc, out, err = procs.run(name, ['bash', '--norc', '--noprofile', '-c', script, 'bash',
                                    COMPLETION, 'udmaview', *words], 30, out_dir=tmp)
    if rc != 0 or err:
        tap.log(err)
    tap.check(rc == 0 and not err, f'completion script runs for {words}')
    return set(out.split())


def check_completion(tmp: Path, options):
    offered = complete(tmp, ['-'], 'complete-options')
    tap.expect(offered == set(options), 'bash completes exactly the options of --help',
               f'only in --help: {sorted(set(options) - offered)}, '
               f'only completed: {sorted(offered - set(options))}')
    for words, expected in [(['--output', ''], {'headless', 'kms', 'sdl'}),
                            (['--output', '=', 'k'], {'kms'}),
                            (['--vsync', ''], {'on', 'off'}),
                            (['--scale', 'i'], {'integer'}),
                            (['--source', 'qemu'], {'qemu', 'qemu:', 'qemu-p2p:'}),
                            (['--frames', ''], set())]:
        got = complete(tmp, words, f'complete-{len(words)}-{words[0][2:]}')
        tap.expect(got == expected, f'bash completes {" ".join(words)!r} to {sorted(expected)}',
                   f'got {sorted(got)}')
    (tmp / 'report.json').write_text('{}')
    got = complete(tmp, ['--timing', str(tmp / 'rep')], 'complete-file')
    tap.expect(got == {str(tmp / 'report.json')}, '--timing completes file names', str(got))


def readme_options_block(readme: str):
    """The lines of the first fenced block after the README's '## Options' heading."""
    lines = readme.splitlines()
    start = lines.index('## Options')
    opening = next(i for i in range(start, len(lines)) if lines[i].startswith('```'))
    closing = next(i for i in range(opening + 1, len(lines)) if lines[i].startswith('```'))
    return lines[opening + 1:closing]


def check_readme(help_text: str):
    block = readme_options_block(Path(README).read_text())
    help_lines = help_text.rstrip('\n').splitlines()
    diff = [f'README: {a!r} / --help: {b!r}' for a, b in zip(block, help_lines) if a != b]
    if len(block) != len(help_lines):
        diff.append(f'README block has {len(block)} lines, --help {len(help_lines)}')
    tap.expect(not diff, 'the README\'s options block is --help line for line '
               '(run tools/readme-help to update it)', '\n'.join(diff[:10]))


def main():
    procs.install_signal_handlers()
    if not shutil.which('groff') or not shutil.which('bash'):
        raise tap.Skipped('groff (groff-base) and bash are needed')
    with tempfile.TemporaryDirectory(prefix='udmaview-docs-') as tmp:
        rc, help_text, _ = procs.run('help', [UDMAVIEW, '--help'], 30, out_dir=tmp)
        tap.check(rc == 0, 'udmaview --help exits 0')
        options = help_options(help_text)
        tap.check(len(options) >= 20 and '--source' in options and '-h' in options,
                  f'--help lists the options ({len(options)})')
        check_readme(help_text)
        check_man(Path(tmp), options)
        check_completion(Path(tmp), options)
        check_timing_man(Path(tmp))


if __name__ == '__main__':
    tap.set_name('docs')
    sys.exit(tap.main(main))
