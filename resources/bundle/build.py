"""Build the standalone ACH Workbench: one folder, and a .tar.gz of it.

    .venv/bin/pip install '.[bundle]'               # PyInstaller, once
    .venv/bin/python resources/bundle/build.py      # about two minutes

writes ``dist/bundle/ach-workbench/`` (run ``ach-workbench/workbench``) and
``dist/bundle/ach-workbench-VERSION-linux-x86_64.tar.gz``, then checks the
size limits and reports the oldest glibc the bundle can run on. The spec is
``workbench.spec`` beside this file. A build of unchanged sources is reused
(``--force`` rebuilds); ``build-report.json`` beside the archive says what was
built from what.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SPEC = HERE / "workbench.spec"
NAME = "ach-workbench"

#: The issue's limits, in MB of 10^6 bytes (stricter than MiB).
MAX_FOLDER_MB = 160
MAX_ARCHIVE_MB = 70

#: What a bundle is built from: a change to any of these makes a new build.
SOURCES = ("workbench", "resources", "pyproject.toml")

GLIBC_VERSION = re.compile(rb"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?\x00")


def version() -> str:
    text = (ROOT / "workbench" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__ = "([^"]+)"', text)
    if match is None:
        raise SystemExit("error: no __version__ in workbench/__init__.py")
    return match.group(1)


def source_digest() -> str:
    """A digest of every source file and of the build tools' versions."""
    import PyInstaller

    digest = hashlib.sha256(f"{sys.version} {PyInstaller.__version__}".encode())
    for top in SOURCES:
        path = ROOT / top
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def run_pyinstaller(dist: Path, work: Path) -> None:
    log = work / "pyinstaller.log"
    work.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    with log.open("w") as handle:
        done = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT)
    if done.returncode != 0:
        sys.stderr.write(log.read_text()[-4000:])
        raise SystemExit(f"error: PyInstaller failed (exit {done.returncode}); log: {log}")


def strip_libraries(folder: Path) -> None:
    """Drop the symbol tables and debug sections of the bundled libraries.

    libpython alone goes from 23 to 6 MB, SQLAlchemy's compiled parts from 9 to
    1 MB. The dynamic symbols stay, so loading is unchanged; the tests run the
    stripped bundle. The launcher itself is left alone: its archive is appended.
    """
    strip = shutil.which("strip")
    if strip is None or not sys.platform.startswith("linux"):
        print("note: no strip on PATH, libraries left as they are (a larger bundle)")
        return
    libraries = []
    for path in (folder / "_internal").rglob("*.so*"):
        if not path.is_file() or path.is_symlink() or path.parent.name.endswith(".libs"):
            continue
        data = path.read_bytes()
        # auditwheel rewrote the wheels' libraries with patchelf (their search path
        # names $ORIGIN, the libraries they carry sit in NAME.libs/), and strip
        # breaks such a file: "ELF load command address/offset not page-aligned".
        if data[:4] == b"\x7fELF" and b"$ORIGIN" not in data:
            libraries.append(str(path))
    for start in range(0, len(libraries), 100):
        subprocess.run([strip, "--strip-unneeded", *libraries[start : start + 100]], check=True)


def slim_icu(folder: Path) -> None:
    """Leave out the ICU data Qt never reads (icu_data.py says which): 32 -> 12 MB."""
    if not sys.platform.startswith("linux"):
        return
    sys.path.insert(0, str(HERE))
    from icu_data import slim_icu_data

    for library in (folder / "_internal").rglob("libicudata.so.*"):
        if library.is_file() and not library.is_symlink():
            old, new = slim_icu_data(library)
            print(f"ICU data: {old / 1e6:.1f} -> {new / 1e6:.1f} MB")


def glibc_floor(folder: Path) -> str:
    """The newest glibc symbol version any file in the bundle asks for: the oldest
    glibc it runs on. Read from the version strings in each ELF file."""
    newest = (2, 0, 0)
    for path in folder.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
            data = handle.read()
        for match in GLIBC_VERSION.finditer(data):
            found = tuple(int(part or 0) for part in match.groups())
            newest = max(newest, found)
    return ".".join(str(part) for part in newest).removesuffix(".0")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def write_readme(folder: Path, floor: str) -> None:
    (folder / "README.txt").write_text(
        f"ACH Workbench {version()}, standalone (no Python needed)\n\n"
        "  ./workbench                  the window (the built-in example on first start)\n"
        "  ./workbench --help           the command line\n"
        "  ./workbench install-desktop  menu entry, icon and .achwb file type for this user\n"
        "                               (run it again after moving this folder;\n"
        "                               --uninstall removes them)\n\n"
        f"Runs on Linux x86_64 with glibc {floor} or newer. The window needs the X11 or\n"
        "Wayland libraries every desktop has; if one is missing, ./workbench names\n"
        "the package to install.\n",
        encoding="utf-8",
    )


def make_archive(folder: Path, archive: Path) -> None:
    partial = archive.with_name(archive.name + ".part")
    with tarfile.open(partial, "w:gz", compresslevel=9) as tar:
        tar.add(folder, arcname=NAME)
    partial.replace(archive)


def mb(size: int) -> float:
    return round(size / 1e6, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "bundle")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bundle")
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    parser.add_argument(
        "--require-glibc",
        metavar="X.Y",
        help="fail if the bundle needs a newer glibc than X.Y (build on an older system)",
    )
    args = parser.parse_args(argv)
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print("error: PyInstaller is not installed: pip install '.[bundle]'", file=sys.stderr)
        return 2

    dist, work = args.dist.resolve(), args.work.resolve()
    folder = dist / NAME
    archive = dist / f"{NAME}-{version()}-linux-{platform.machine()}.tar.gz"
    report_path = dist / "build-report.json"
    digest = source_digest()
    if not args.force and report_path.exists() and archive.exists() and folder.is_dir():
        report = json.loads(report_path.read_text())
        if report.get("sources") == digest:
            print(f"up to date: {folder} ({report['folder_mb']} MB), {archive}")
            return check(report, args.require_glibc)

    started = time.perf_counter()
    run_pyinstaller(dist, work)
    slim_icu(folder)
    strip_libraries(folder)
    floor = glibc_floor(folder)
    write_readme(folder, floor)
    make_archive(folder, archive)
    report = {
        "version": version(),
        "folder": str(folder),
        "archive": str(archive),
        "folder_mb": mb(folder_bytes(folder)),
        "archive_mb": mb(archive.stat().st_size),
        "glibc": floor,
        "built_on": platform.libc_ver()[1],
        "seconds": round(time.perf_counter() - started),
        "sources": digest,
    }
    report_path.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"built {folder}: {report['folder_mb']} MB; {archive.name}: {report['archive_mb']} MB; "
        f"needs glibc {floor}; {report['seconds']} s"
    )
    return check(report, args.require_glibc)


def check(report: dict, require_glibc: str | None) -> int:
    problems = []
    if report["folder_mb"] > MAX_FOLDER_MB:
        problems.append(f"the folder is {report['folder_mb']} MB, over {MAX_FOLDER_MB} MB")
    if report["archive_mb"] > MAX_ARCHIVE_MB:
        problems.append(f"the archive is {report['archive_mb']} MB, over {MAX_ARCHIVE_MB} MB")
    if require_glibc:
        need = tuple(int(p) for p in report["glibc"].split("."))
        if need > tuple(int(p) for p in require_glibc.split(".")):
            problems.append(
                f"it needs glibc {report['glibc']}, newer than {require_glibc}: build it on a "
                f"system with glibc {require_glibc} (the build takes the build machine's Python)"
            )
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
