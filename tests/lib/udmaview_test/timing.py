# SPDX-License-Identifier: MIT
"""udmaview's --timing JSON: {"frames": [...], "summary": {...}}."""

import json
from pathlib import Path

from .tap import Failed

SOURCE_COUNTERS = ('scanout', 'update', 'bytes_copied', 'scanout_dmabuf', 'update_dmabuf',
                   'rejected', 'input_calls', 'key_calls', 'ui_info_calls', 'ui_info_width',
                   'ui_info_height', 'guest_size_changes', 'guest_width', 'guest_height',
                   'guest_size_ignored')


def load(path) -> dict:
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise Failed(f'udmaview wrote no timing file {path} (did it start? see its log)') \
            from None
    except ValueError as exc:
        raise Failed(f'the timing file {path} is not JSON: {exc}') from None
    for key in ('frames', 'summary'):
        if key not in data:
            raise Failed(f'the timing file {path} has no "{key}"')
    return data


def source_counters(timing: dict, path='the timing file') -> dict:
    """summary.source_counters: what the QEMU source received and copied (integer keys
    SOURCE_COUNTERS); Failed naming the missing keys when this udmaview does not report them."""
    counters = timing['summary'].get('source_counters')
    if counters is None:
        raise Failed(f'{path}: summary has no "source_counters" (this udmaview does not report '
                     'the QEMU source\'s message counts in --timing; rebuild it from a tree '
                     'that does)')
    missing = [k for k in SOURCE_COUNTERS if not isinstance(counters.get(k), int)]
    if missing:
        raise Failed(f'{path}: summary.source_counters lacks integer {", ".join(missing)} '
                     f'(got {counters})')
    return counters


def latency_ms(frame: dict):
    """udmaview's own produced → presented time of a frame (change seen → flip/done)."""
    if not frame.get('presented_ns') or not frame.get('produced_ns'):
        return None
    return round((frame['presented_ns'] - frame['produced_ns']) / 1e6, 2)
