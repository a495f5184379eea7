"""`python -m mlicense ARGS` runs the installed mlicense executable with ARGS."""

import os
import sys

from mlicense import find_mlicense_bin


def main():
    binary = find_mlicense_bin()
    os.execv(binary, [binary, *sys.argv[1:]])


if __name__ == "__main__":
    main()
