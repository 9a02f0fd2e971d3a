"""Checks made before Qt starts, so a missing system library is one clear line.

Without them Qt's X11 plugin fails with "Could not load the Qt platform plugin
xcb" and aborts the process. PySide6 wheels bundle Qt but not the X11 client
libraries, which on a fresh Debian 12 are partly absent (libxcb-icccm4,
libxcb-keysyms1 and libxcb-cursor0 most often).

This module must not import Qt: it runs before Qt is loaded.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping

#: Shared objects the xcb platform plugin and QtGui load (the NEEDED entries of
#: PySide6's plugins/platforms/libqxcb.so, libQt6XcbQpa.so.6, libQt6Gui.so.6 and
#: libQt6DBus.so.6, checked with objdump), with the Debian 12 package of each.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}

LibraryFinder = Callable[[str], bool]


@functools.cache
def _ldconfig_sonames() -> frozenset[str] | None:
    """Every soname in the dynamic linker's cache, or None when it cannot be read."""
    ldconfig = shutil.which("ldconfig") or next(
        (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(p)), None
    )
    if ldconfig is None:
        return None
    try:
        listing = subprocess.run(
            [ldconfig, "-p"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    # Lines look like: "\tlibxcb.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libxcb.so.1"
    return frozenset(line.split()[0] for line in listing.splitlines()[1:] if line.strip())


def library_present(soname: str) -> bool:
    """True if the dynamic linker would find ``soname`` (cache or LD_LIBRARY_PATH)."""
    for folder in os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep):
        if folder and os.path.exists(os.path.join(folder, soname)):
            return True
    cache = _ldconfig_sonames()
    if cache is None:
        # No way to tell (not glibc, no ldconfig): let Qt try rather than block the user.
        return True
    return soname in cache


def uses_xcb(environ: Mapping[str, str], platform: str) -> bool:
    """Whether Qt will start its X11 (xcb) plugin in this environment."""
    if not platform.startswith("linux"):
        return False
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        # "xcb", or "xcb:option=value"; a list such as "wayland;xcb" tries Wayland first.
        return requested.split(";")[0].split(":")[0] == "xcb"
    # Qt 6 prefers its Wayland plugin in a Wayland session.
    return environ.get("XDG_SESSION_TYPE", "").lower() != "wayland"


def missing_system_libraries(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    finder: LibraryFinder | None = None,
) -> str | None:
    """The one-line problem (with the apt-get command) if Qt's X11 plugin cannot load."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    finder = finder or library_present
    if not uses_xcb(environ, platform):
        return None
    missing = [soname for soname in XCB_LIBRARIES if not finder(soname)]
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES[s] for s in missing))
    return (
        f"the window cannot open: Qt's X11 plugin needs {', '.join(missing)}; "
        f"on Debian/Ubuntu install them with: sudo apt-get install -y {packages}"
    )


def missing_display(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """The problem if there is no display to open a window on (Qt would abort)."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not uses_xcb(environ, platform) or environ.get("DISPLAY"):
        return None
    return (
        "the window cannot open: no X display (DISPLAY is not set); run it on a desktop, "
        "or use `workbench score` / `workbench screenshot` without a display"
    )


def gui_start_problem(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    finder: LibraryFinder | None = None,
) -> str | None:
    """Why the window could not start here, or None: libraries first, then the display."""
    return missing_system_libraries(environ, platform, finder) or missing_display(environ, platform)
