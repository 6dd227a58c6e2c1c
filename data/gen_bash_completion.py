#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes the bash completion of udmaview from `udmaview --help`: every option name the help
shows is completed, the option's argument decides what its value completes to.

Value words come from the help too: an argument such as `on|off` lists them itself; for the
others VALUE_WORDS names them, and every word there must appear in that option's help text
(else the build fails), so the table cannot keep a value the help no longer mentions.

usage: gen_bash_completion.py UDMAVIEW OUTPUT
"""

import re
import shlex
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

import help_text  # noqa: E402

VALUE_WORDS = {
    '--source': ['demo', 'region:', 'qemu', 'qemu:', 'qemu-p2p:'],
    '--output': ['headless', 'kms', 'sdl'],
    '--pattern': ['rects', 'console', 'flip', 'all'],
    '--scale': ['fit', 'integer', 'none'],
    '--filter': ['nearest', 'linear'],
}
# Arguments naming a file or device node: complete file names.
FILE_ARGS = {'FILE', 'PATH'}

TEMPLATE = '''\
# SPDX-License-Identifier: MIT
# bash completion for udmaview, generated from `udmaview --help` by gen_bash_completion.py.
_udmaview()
{{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    # --option=value: bash splits at '=' (COMP_WORDBREAKS) or leaves one word
    if [[ $prev == = ]]; then
        prev=${{COMP_WORDS[COMP_CWORD-2]}}
    elif [[ $cur == = ]]; then
        cur=
    elif [[ $cur == --*=* ]]; then
        prev=${{cur%%=*}}
        cur=${{cur#*=}}
    fi
    case $prev in
{cases}
    esac
    COMPREPLY=($(compgen -W {options} -- "$cur"))
}}
complete -F _udmaview udmaview
'''


def value_case(opt, names: str, help_words) -> str:
    if opt.long_name in VALUE_WORDS:
        words = VALUE_WORDS[opt.long_name]
        missing = [w for w in words if w.rstrip(':') not in help_words]
        if missing:
            raise help_text.HelpFormatError(
                f'{opt.long_name}: value words {missing} are not in its help text: '
                f'update VALUE_WORDS in {Path(__file__).name}')
        reply = f'COMPREPLY=($(compgen -W {shlex.quote(" ".join(words))} -- "$cur"))'
    elif '|' in opt.arg:
        reply = f'COMPREPLY=($(compgen -W {shlex.quote(opt.arg.replace("|", " "))} -- "$cur"))'
    elif opt.arg in FILE_ARGS:
        reply = 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))'
    else:
        reply = 'COMPREPLY=()'  # a number, a size, a name: nothing to offer
    return f'        {names})\n            {reply}\n            return ;;'


def render(help_) -> str:
    cases = []
    for opt in help_.options():
        if not opt.arg:
            continue
        words = set(re.findall(r'[\w-]+', opt.description() + ' ' +
                               ' '.join(t for item in opt.items for t in item)))
        cases.append(value_case(opt, '|'.join(opt.names), words))
    stale = set(VALUE_WORDS) - {o.long_name for o in help_.options() if o.arg}
    if stale:
        raise help_text.HelpFormatError(f'VALUE_WORDS names options the help does not '
                                        f'have: {", ".join(sorted(stale))}')
    options = ' '.join(n for o in help_.options() for n in o.names)
    return TEMPLATE.format(cases='\n'.join(cases), options=shlex.quote(options))


def main(argv) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    binary, output = argv
    try:
        text = render(help_text.from_binary(binary))
    except help_text.HelpFormatError as exc:
        print(f'gen_bash_completion: cannot read the help text of {binary}: {exc}',
              file=sys.stderr)
        return 1
    Path(output).write_text(text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
