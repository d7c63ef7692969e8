"""Finds Curio 1.6 for the comparison scripts: --curio PATH or the CURIO_PATH environment
variable names the source tree that holds the ``curio`` package (it is never part of this repo)."""
import argparse
import json
import os
import sys


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--curio", default=os.environ.get("CURIO_PATH"),
                   help="directory holding the curio package (default: $CURIO_PATH)")
    return p


def import_curio(path):
    if not path:
        sys.exit("give the Curio source tree with --curio PATH or CURIO_PATH")
    if not os.path.isdir(os.path.join(path, "curio")):
        sys.exit(f"no curio package under {path!r}")
    sys.path.insert(0, path)
    import curio
    return curio


def result(**fields):
    """One machine-readable line for run-kernel-bench.sh."""
    print("RESULT " + json.dumps(dict(impl="python", **fields)), flush=True)
