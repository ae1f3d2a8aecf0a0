"""Conversions between state codes (Python ints, bit i = node i) and boolean matrices."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def codes_to_matrix(codes: Sequence[int] | np.ndarray, n: int) -> np.ndarray:
    """Rows = states, columns = nodes (bool)."""
    if n == 0:
        return np.zeros((len(codes), 0), bool)
    if n <= 63:
        arr = np.asarray(codes, dtype=np.int64).reshape(-1, 1)
        return ((arr >> np.arange(n, dtype=np.int64)) & 1).astype(bool)
    nbytes = (n + 7) // 8
    buf = b"".join(int(c).to_bytes(nbytes, "little") for c in codes)
    bits = np.unpackbits(np.frombuffer(buf, np.uint8).reshape(-1, nbytes), axis=1, bitorder="little")
    return bits[:, :n].astype(bool)


def matrix_to_codes(mat: np.ndarray) -> list[int]:
    """Inverse of :func:`codes_to_matrix`."""
    rows, n = mat.shape
    if n == 0:
        return [0] * rows
    packed = np.packbits(mat.astype(np.uint8, copy=False), axis=1, bitorder="little")
    if n <= 64:
        buf = np.zeros((rows, 8), np.uint8)
        buf[:, :packed.shape[1]] = packed
        return buf.view("<u8").ravel().tolist()
    return [int.from_bytes(r.tobytes(), "little") for r in packed]


def matrix_to_strings(mat: np.ndarray) -> list[str]:
    """One '0'/'1' character per node, in node order."""
    chars = (mat.astype(np.uint8) + ord("0"))
    return [r.tobytes().decode("ascii") for r in chars]
