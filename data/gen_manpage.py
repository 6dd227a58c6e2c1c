#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes the udmaview(1) man page: the template's hand-written sections (ENVIRONMENT,
FILES, EXAMPLES, ...) around what `udmaview --help` says (synopsis, description, every
option, exit status). Every option therefore reaches the man page the moment it is in the
help text; nothing here lists options.

usage: gen_manpage.py UDMAVIEW TEMPLATE VERSION OUTPUT
"""

import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

import help_text  # noqa: E402


def escape(text: str) -> str:
    """Roff text: backslashes kept literal, a '-' that starts a word (an option such as
    --output or QEMU's -display) set as a minus sign so it can be searched and copied."""
    text = text.replace('\\', '\\e')
    text = re.sub(r'(?<![\w.])-', r'\\-', text)
    text = re.sub(r'(?<=\\-)-', r'\\-', text)
    if text.startswith(('.', "'")):
        text = '\\&' + text
    return text


def option_tag(opt) -> str:
    names = ', '.join(f'\\fB{escape(n)}\\fR' for n in opt.names)
    return names + (f' \\fI{escape(opt.arg)}\\fR' if opt.arg else '')


def options_roff(help_) -> str:
    out = []
    for section in help_.sections:
        # The help text leaves -h/--version without a title; the man page needs one.
        out.append(f'.SS "{section.title or "Help"}"')
        for opt in section.options:
            out += ['.TP', option_tag(opt), escape(opt.description())]
            if opt.items:
                out.append('.RS')
                for term, text in opt.items:
                    out += ['.TP', f'\\fB{escape(term)}\\fR', escape(text)]
                out.append('.RE')
    return '\n'.join(out)


def render(help_, template: str, version: str) -> str:
    program, _, args = help_.usage.partition(' ')
    trailers = dict(help_.trailers)
    fields = {
        '@VERSION@': version,
        '@SYNOPSIS@': f'.B {escape(program)}\n{escape(args)}',
        '@DESCRIPTION@': escape(' '.join(help_.description)),
        '@OPTIONS@': options_roff(help_),
        '@EXIT_STATUS@': escape(trailers.pop('Exit status', '')),
    }
    if trailers:
        raise help_text.HelpFormatError(f'help trailers without a man page section: '
                                        f'{", ".join(trailers)}')
    page = template
    for key, value in fields.items():
        if key not in page:
            raise help_text.HelpFormatError(f'the man page template lacks {key}')
        page = page.replace(key, value)
    return page


def main(argv) -> int:
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    binary, template, version, output = argv
    try:
        page = render(help_text.from_binary(binary), Path(template).read_text(), version)
    except help_text.HelpFormatError as exc:
        print(f'gen_manpage: cannot read the help text of {binary}: {exc}', file=sys.stderr)
        return 1
    Path(output).write_text(page)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
