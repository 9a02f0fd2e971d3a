"""Run in a fresh interpreter: peak RSS after the imports, then after open + score.

``python peak_memory.py PROJECT`` prints ``{"imports_mb": ..., "peak_mb": ...}``.
Both are high-water marks, so the second covers every transient array made
while loading and scoring, not just what remains. On Linux the mark is VmHWM
from /proc/self/status: ``ru_maxrss`` survives fork + exec there, so a child
of a big benchmark process would report its parent's size.
"""

from __future__ import annotations

import json
import resource
import sys


def _peak_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(path: str) -> None:
    from workbench.core.analysis import CONSENSUS, score_project
    from workbench.store import ProjectFile

    imports = _peak_mb()
    with ProjectFile.open(path) as project_file:
        score_project(project_file.project, CONSENSUS)
    print(json.dumps({"imports_mb": imports, "peak_mb": _peak_mb()}))


if __name__ == "__main__":
    main(sys.argv[1])
