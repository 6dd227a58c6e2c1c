# SPDX-License-Identifier: MIT
"""The picture the zero-copy guests draw (zc_fbguest.c, zc_pvhguest.c) and the host-side
pixel checks of a run (its manifest.json)."""

import json
import zlib
from pathlib import Path

from udmaview_test import images, tap

# Keep in sync with zc_fbguest.c and zc_pvhguest.c.
RECT = (200, 300, 64, 48)          # x, y, w, h
RECT_RGB = (0xff, 0x00, 0xff)
TILE = (64, 16)                    # TileDamage's default tile (include/udmaview/tile_damage.h)


def pattern_rows(w, h, rect=False):
    """The expected picture as RGB rows (bytes of w*3)."""
    rows = []
    rx, ry, rw, rh = RECT
    for y in range(h):
        by, g = y // 64, y & 0xff
        row = b''.join(bytes(((by * 20 + bx * 3 + 40) & 0xff, g, (bx * 16 + 8) & 0xff))
                       * min(64, w - bx * 64) for bx in range((w + 63) // 64))
        if rect and ry <= y < ry + rh:
            row = row[:rx * 3] + bytes(RECT_RGB) * rw + row[(rx + rw) * 3:]
        rows.append(row)
    return rows


def bgrx_crc(rows):
    """CRC-32 of the rows as the guest's XRGB8888 memory (B, G, R, X bytes): what the guest
    reports for what it drew."""
    crc = 0
    for row in rows:
        bgrx = bytearray(len(row) // 3 * 4)
        bgrx[0::4], bgrx[1::4], bgrx[2::4] = row[2::3], row[1::3], row[0::3]
        crc = zlib.crc32(bgrx, crc)
    return crc


def write_manifest(out: Path, manifest):
    (out / 'manifest.json').write_text(json.dumps(manifest, indent=1))


def run_checks(out: Path, manifest, results):
    """Pixel checks: each item {'a': file, 'b': file | 'pattern' | 'pattern+rect'}; plus the
    guest's CRCs against the expected pattern. Returns the number of failures."""
    failures = 0
    w, h = manifest['size']
    rows = {'pattern': pattern_rows(w, h), 'pattern+rect': pattern_rows(w, h, rect=True)}
    for key, crc in manifest.get('guest_crcs', {}).items():
        want = bgrx_crc(rows[key])
        failures += not tap.expect(want == crc, f'guest CRC of {key}: {crc:#010x} '
                                   f'(expected {want:#010x})')
    expected = {key: images.from_rgb(w, h, b''.join(r)) for key, r in rows.items()}
    cache = {}

    def image(ref):
        if ref in expected:
            return expected[ref]
        if ref not in cache:
            cache[ref] = images.load(out / ref)
        return cache[ref]

    for item in manifest['compare']:
        diff = images.compare(image(item['a']), image(item['b']), 0, (item['a'], item['b']))
        results[f'mismatch {item["a"]} vs {item["b"]}'] = diff.differing
        failures += not tap.expect(diff.differing == 0, f'{diff.describe(item["a"], item["b"])} '
                                   f'({w * h} pixels)')
    return failures
