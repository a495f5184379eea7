"""mlicense, the model license linter, as a self-contained binary.

The wheel installs the `mlicense` executable into the scripts folder (on PATH in a virtual
environment); `find_mlicense_bin()` says where it is, as ruff's `find_ruff_bin()` does.
"""

import os
import sys
import sysconfig


def find_mlicense_bin():
    """The path of the installed `mlicense` executable."""
    name = "mlicense"
    candidates = [sysconfig.get_path("scripts")]
    user = sysconfig.get_path("scripts", scheme=f"{os.name}_user") if f"{os.name}_user" in sysconfig.get_scheme_names() else None
    if user:
        candidates.append(user)
    candidates.append(os.path.join(os.path.dirname(sys.executable)))
    for folder in candidates:
        path = os.path.join(folder, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise FileNotFoundError(f"the mlicense executable is not in {', '.join(candidates)}")
