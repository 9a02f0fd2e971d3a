"""Helpers of the packaging tests: running the bundle with an empty environment
(on this machine, or inside an older system's root: see ``Bundle.root``), and
reading back the screen of an Xvfb started with -fbdir (an XWD file)."""

from __future__ import annotations

import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "resources" / "bundle" / "build.py"
PORTABLE_SCRIPT = ROOT / "resources" / "bundle" / "build_portable.sh"

#: Runs "$@" chrooted into $1, in a mount namespace of its own that has /proc,
#: /dev and this machine's temporary folder at the same paths (the unpacked
#: bundle, the test's HOME and files, and the X server's socket live there).
#: The working folder is kept (chroot alone would start in /), and the environment
#: passes through unchanged: the bundle sees only HOME and PATH.
IN_ROOT = """
root=$1; shift
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mkdir -p "$root$TEMP"
mount --bind "$TEMP" "$root$TEMP"
exec /usr/sbin/chroot "$root" /bin/sh -c 'cd "$0" && exec "$@"' "$(pwd)" "$@"
"""


@dataclass
class Bundle:
    folder: Path  # the unpacked copy: folder / "workbench" is the program
    report: dict  # build-report.json: sizes, glibc, version
    root: Path | None = None  # run inside this system root (chroot), not on this machine

    @property
    def program(self) -> Path:
        return self.folder / "workbench"

    def command(self, *args: str) -> list[str]:
        """The command line that runs the bundled workbench with ``args``."""
        if self.root is None:
            return [str(self.program), *args]
        temp = tempfile.gettempdir()
        script = IN_ROOT.replace("$TEMP", temp)
        return [
            "/usr/bin/unshare", "--mount", "--propagation", "private", "--",
            "/bin/sh", "-ec", script, "in-root", str(self.root), str(self.program), *args,
        ]  # fmt: skip


@dataclass
class Screen:
    display: str
    framebuffer: Path  # Xvfb's screen as an XWD file, kept up to date as it is drawn


def empty_environment(home: Path, **extra: str) -> dict[str, str]:
    """`env -i HOME=... PATH=/usr/bin:/bin`, plus what a test adds (DISPLAY)."""
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", **extra}


def run_bundle(
    bundle: Bundle, *args: str, home: Path, timeout: float = 180, **extra: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        bundle.command(*args),
        env=empty_environment(home, **extra),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def x_screen_image(framebuffer: Path) -> QImage:
    """Xvfb's screen (24-bit depth, 32 bits a pixel) as a QImage.

    The XWD header is 25 big-endian 32-bit fields, then the window name up to
    header_size, then ncolors colour entries of 12 bytes, then the pixels.
    """
    data = framebuffer.read_bytes()
    fields = struct.unpack(">25I", data[:100])
    header_size, width, height = fields[0], fields[4], fields[5]
    byte_order, bits_per_pixel = fields[7], fields[11]
    bytes_per_line, ncolors = fields[12], fields[19]
    assert bits_per_pixel == 32 and byte_order == 0, (bits_per_pixel, byte_order)
    start = header_size + 12 * ncolors
    pixels = data[start : start + bytes_per_line * height]
    image = QImage(pixels, width, height, bytes_per_line, QImage.Format.Format_RGB32)
    return image.copy()  # own the pixels: `pixels` goes away with this frame
