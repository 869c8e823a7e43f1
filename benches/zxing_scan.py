"""Decodes PGM frames with zxing-cpp for the scan benchmark: one line per frame, tab-separated:
file, milliseconds, decoded text (empty when nothing was read). Usage: zxing_scan.py FILE..."""
import sys
import time

import numpy as np
import zxingcpp


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 2
    while len(fields) < 3:
        while data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while data[pos:pos + 1].isdigit():
            pos += 1
        fields.append(int(data[start:pos]))
    w, h, _ = fields
    return np.frombuffer(data, dtype=np.uint8, count=w * h, offset=pos + 1).reshape(h, w)


FORMATS = zxingcpp.BarcodeFormat.QRCode | zxingcpp.BarcodeFormat.Code39 | zxingcpp.BarcodeFormat.Code128

for path in sys.argv[1:]:
    img = read_pgm(path)
    best = None
    for _ in range(3):
        t = time.perf_counter()
        found = zxingcpp.read_barcodes(img, formats=FORMATS)
        ms = (time.perf_counter() - t) * 1000
        best = ms if best is None else min(best, ms)
    text = found[0].text if found else ""
    print(f"{path}\t{best:.3f}\t{text}")
