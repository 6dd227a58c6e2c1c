# SPDX-License-Identifier: MIT
"""Reads `udmaview --help` into its parts, so the man page and the bash completion are made
from the text the binary prints and cannot disagree with it.

The layout it reads (options.cpp's help_text()):

    Usage: udmaview [OPTIONS]            usage line
    One paragraph of description.        until the first blank line
                                         blank lines separate blocks
    Section title:                       a block may start with a title ending in ':'
      --name ARG          description    option lines: two spaces, names, an optional
                          continued      argument, two or more spaces, the description
                            term   text  deeper lines: a nested list (term, 2+ spaces, text)
    Label: text                          an unindented block that is not a title: a trailer
"""

import re
import subprocess
import sys
from dataclasses import dataclass, field

OPTION_LINE = re.compile(r'^  (-[\w-]+(?:, -[\w-]+)*)(?: (\S+))?(?: {2,}(.*))?$')


class HelpFormatError(Exception):
    """The help text has a line this reader does not understand; the message quotes it."""


@dataclass
class Option:
    names: list          # e.g. ['-h', '--help']
    arg: str             # e.g. 'FILE', '' for a flag
    text: list = field(default_factory=list)    # description lines, joined later
    items: list = field(default_factory=list)   # (term, text) of a nested list

    @property
    def long_name(self) -> str:
        return next((n for n in self.names if n.startswith('--')), self.names[0])

    def description(self) -> str:
        return ' '.join(self.text)


@dataclass
class Section:
    title: str           # '' for a block without a title
    options: list = field(default_factory=list)


@dataclass
class Help:
    usage: str
    description: list
    sections: list
    trailers: list       # (label, text), e.g. ('Exit status', '0 done, ...')

    def options(self):
        return [o for s in self.sections for o in s.options]


def blocks(lines):
    block = []
    for line in lines:
        if line.strip():
            block.append(line.rstrip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def parse(text: str) -> Help:
    all_blocks = list(blocks(text.splitlines()))
    if not all_blocks or not all_blocks[0][0].startswith('Usage: '):
        raise HelpFormatError('the help text does not start with "Usage: "')
    head = all_blocks[0]
    help_ = Help(usage=head[0][len('Usage: '):], description=head[1:], sections=[],
                 trailers=[])
    for block in all_blocks[1:]:
        first = block[0]
        if not first.startswith(' '):
            if first.endswith(':') and len(block) > 1:
                section = Section(first[:-1])
                body = block[1:]
            else:
                label, sep, rest = ' '.join(block).partition(': ')
                if not sep:
                    raise HelpFormatError(f'unindented line is neither a title nor '
                                          f'"Label: text": {first!r}')
                help_.trailers.append((label, rest))
                continue
        else:
            section = Section('')
            body = block
        read_options(section, body)
        help_.sections.append(section)
    return help_


def read_options(section: Section, body):
    option, text_column = None, None
    for line in body:
        match = OPTION_LINE.match(line)
        if match:
            names, arg, text = match.groups()
            option = Option(names.split(', '), arg or '', [text] if text else [])
            section.options.append(option)
            text_column = line.index(text) if text else None
            continue
        if option is None:
            raise HelpFormatError(f'text before the first option of "{section.title}": '
                                  f'{line!r}')
        indent = len(line) - len(line.lstrip())
        if text_column is None:
            text_column = indent
        if indent > text_column:
            term, _, item_text = line.strip().partition('  ')
            option.items.append((term, item_text.strip()))
        else:
            option.text.append(line.strip())


def from_binary(path: str) -> Help:
    """The help of the binary at path (its --help output)."""
    out = subprocess.run([path, '--help'], check=True, capture_output=True, text=True,
                         timeout=30).stdout
    return parse(out)


if __name__ == '__main__':
    # Prints the parsed options, one per line: a quick look at what the generators see.
    for opt in from_binary(sys.argv[1]).options():
        print(', '.join(opt.names), opt.arg, '|', opt.description(), opt.items or '')
