"""A PEP 517 build backend, standard library only, for the package the pre-commit framework's
`language: python` hooks install from this repository (`pip install .`): `mlicense-pre-commit-hook`,
which holds no code and depends on the self-contained `mlicense` wheel of the same version. So the
`mlicense-wheel` hook puts that wheel's `mlicense` on PATH and never builds Swift.

pip finds the `mlicense` wheel in its index or in a folder or page named by `PIP_FIND_LINKS`
(docs/HOOKS.md).
"""

import io
import os
import tarfile

import wheelwriter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME = "mlicense-pre-commit-hook"
DIST = NAME.replace("-", "_")
SOURCES = ["pyproject.toml", "Packaging/hook_backend.py", "Packaging/wheelwriter.py", "Sources/MLicenseCLI/CLI.swift",
           "LICENSE", "NOTICE"]


def _metadata(ver):
    return (f"Summary: pre-commit framework hook for mlicense: installs the mlicense wheel {ver}\n"
            f"License: Apache-2.0\nRequires-Dist: mlicense=={ver}\n")


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    ver = wheelwriter.version(ROOT)
    name = f"{DIST}-{ver}-py3-none-any.whl"
    wheelwriter.write_wheel(os.path.join(wheel_directory, name), NAME, ver, "py3-none-any", [],
                            metadata_extra=_metadata(ver), purelib=True)
    return name


def build_sdist(sdist_directory, config_settings=None):
    ver = wheelwriter.version(ROOT)
    base = f"{DIST}-{ver}"
    path = os.path.join(sdist_directory, base + ".tar.gz")
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        pkg_info = (f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {ver}\n" + _metadata(ver)).encode()
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size = len(pkg_info)
        tar.addfile(info, io.BytesIO(pkg_info))
        for rel in SOURCES:
            tar.add(os.path.join(ROOT, rel), arcname=f"{base}/{rel}")
    return os.path.basename(path)
