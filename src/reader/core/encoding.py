"""Turning file bytes into text: BOMs, UTF-8, UTF-16, then detection."""

from __future__ import annotations


def decode(data: bytes) -> str | None:
    """Decode bytes as UTF-8 (with or without BOM) or UTF-16 (with BOM); None if binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(data)


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency is declared
        return data.decode("cp1252", errors="replace")
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    return data.decode(best.encoding, errors="replace")
