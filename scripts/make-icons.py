#!/usr/bin/env python3
"""Draws Tutti's app icon (RGBA PNGs, as Tauri requires) with the standard
library only: a rounded violet square with two white eighth notes."""
import math, os, struct, sys, zlib

def png(path, size, pixel):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row += bytes(pixel(x / size, y / size, 1.0 / size))
        rows.append(bytes(row))
    raw = b"".join(rows)
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)

def cover(d, px):
    return max(0.0, min(1.0, 0.5 - d / px))

def pixel(u, v, px):
    # rounded square, radius 0.22
    r = 0.22
    qx, qy = max(abs(u - 0.5) - (0.5 - r - 0.04), 0), max(abs(v - 0.5) - (0.5 - r - 0.04), 0)
    a = cover(math.hypot(qx, qy) - r, px)
    if a == 0:
        return (0, 0, 0, 0)
    t = v
    bg = (int(124 - 40 * t), int(77 + 20 * t), int(255 - 30 * t))
    # two note heads, stems and a beam
    heads = [(0.36, 0.68), (0.64, 0.62)]
    d = min(math.hypot((u - hx) / 1.25, v - hy) - 0.075 for hx, hy in heads)
    for hx, hy in heads:
        sx = hx + 0.085
        if abs(u - sx) < 0.022 and 0.27 + (hy - 0.68) <= v <= hy:
            d = min(d, -1)
    beam_y = 0.27 + (u - 0.445) * (-0.06 / 0.28)
    if 0.425 <= u <= 0.747 and abs(v - beam_y) < 0.045:
        d = min(d, -1)
    w = cover(d, px) if d > -1 else 1.0
    col = tuple(int(c * (1 - w) + 255 * w) for c in bg)
    return (*col, int(255 * a))

out = sys.argv[1] if len(sys.argv) > 1 else "src-tauri/icons"
os.makedirs(out, exist_ok=True)
# Every size the freedesktop hicolor theme looks up (the .deb installs each
# under /usr/share/icons/hicolor/<size>/apps/). No @2x file: Tauri's bundler
# would install a 256 px "128x128@2x" under 256x256@2, where 512 px belongs.
SIZES = [("16x16.png", 16), ("24x24.png", 24), ("32x32.png", 32), ("48x48.png", 48),
         ("64x64.png", 64), ("128x128.png", 128), ("256x256.png", 256), ("icon.png", 512)]
for name, size in SIZES:
    png(os.path.join(out, name), size, pixel)
