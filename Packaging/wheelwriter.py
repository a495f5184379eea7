"""Writes a wheel (PEP 427) with Python's standard library: the files, then METADATA, WHEEL and a
RECORD with sha256 hashes. Shared by make_wheel.py (the self-contained `mlicense` wheel) and
hook_backend.py (the pre-commit framework's `language: python` hook)."""

import base64
import hashlib
import os
import re
import zipfile

# Fixed timestamps make the same input give the same wheel (SOURCE_DATE_EPOCH overrides).
_EPOCH = 315532800  # 1980-01-01, the earliest date a zip file can hold


def version(root):
    """The tool's version, from Sources/MLicenseCLI/CLI.swift (`static let version = "…"`)."""
    with open(os.path.join(root, "Sources", "MLicenseCLI", "CLI.swift"), encoding="utf-8") as f:
        m = re.search(r'static let version = "([^"]+)"', f.read())
    if not m:
        raise SystemExit("cannot find the version in Sources/MLicenseCLI/CLI.swift")
    return m.group(1)


def _date():
    t = int(os.environ.get("SOURCE_DATE_EPOCH", _EPOCH))
    import time
    g = time.gmtime(max(t, _EPOCH))
    return (g.tm_year, g.tm_mon, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec)


def _hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def write_wheel(path, name, ver, tag, files, metadata_extra="", purelib=False):
    """Writes the wheel `path`.

    files: (archive name, bytes, executable) in order; the dist-info files are added after them.
    tag: the compatibility tag, e.g. `py3-none-manylinux_2_36_x86_64`.
    metadata_extra: more METADATA header lines (each ending in a line break), then an optional
    blank line and a description.
    """
    dist = name.replace("-", "_")
    info = f"{dist}-{ver}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {ver}\n" + metadata_extra
    wheel = (f"Wheel-Version: 1.0\nGenerator: mlicense Packaging/wheelwriter.py\n"
             f"Root-Is-Purelib: {'true' if purelib else 'false'}\nTag: {tag}\n")
    entries = list(files) + [
        (f"{info}/METADATA", metadata.encode("utf-8"), False),
        (f"{info}/WHEEL", wheel.encode("utf-8"), False),
    ]
    record = []
    date = _date()
    tmp = path + ".part"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for arcname, data, executable in entries:
            zi = zipfile.ZipInfo(arcname, date_time=date)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = ((0o100755 if executable else 0o100644) << 16)
            z.writestr(zi, data)
            record.append(f"{arcname},{_hash(data)},{len(data)}")
        record.append(f"{info}/RECORD,,")
        zi = zipfile.ZipInfo(f"{info}/RECORD", date_time=date)
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.external_attr = 0o100644 << 16
        z.writestr(zi, "\n".join(record) + "\n")
    os.replace(tmp, path)
    return path
