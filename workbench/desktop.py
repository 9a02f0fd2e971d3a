"""The workbench on a Linux desktop: a menu entry, its icon and the ``.achwb``
file type, for the current user (``workbench install-desktop``).

Following the freedesktop.org specifications, under ``$XDG_DATA_HOME``
(``~/.local/share`` when unset):

- ``applications/ach-workbench.desktop``, whose ``Exec`` is this very program
  (the bundle's ``workbench``, or the venv's), so it is run again after moving;
- ``icons/hicolor/NxN/apps/ach-workbench.png`` in every size shipped, and the
  SVG under ``scalable``;
- ``mime/packages/ach-workbench.xml``: the project file type, recognised by
  name and by content (SQLite header plus the workbench's application id);

then ``update-mime-database`` and ``update-desktop-database`` refresh the
user's caches when they are installed, and the icon folder's time is touched
so icon caches see the change.
Every file comes from the package's resources, so a venv and the standalone
bundle install the same ones. Standard library only: no Qt, no display.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path

from workbench.core.errors import WorkbenchError

APP_ID = "ach-workbench"
MIME_TYPE = "application/vnd.ach-workbench.project"
DESKTOP_FILE = f"{APP_ID}.desktop"
MIME_PACKAGE = f"{APP_ID}.xml"
ICON_FILE = f"{APP_ID}.png"

#: Arguments needing no quotes in an Exec line (the Desktop Entry spec's reserved
#: characters, and anything else unusual, get them).
_PLAIN_ARGUMENT = re.compile(r"[A-Za-z0-9_./+,:@=-]+")


@dataclass
class DesktopChange:
    """What an install or uninstall did, to tell the user."""

    action: str
    data_home: Path
    files: list[Path] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    missing_tools: list[str] = field(default_factory=list)

    def describe(self) -> list[str]:
        lines = [f"{self.action} {len(self.files)} files under {self.data_home}:"]
        lines += [f"  {path.relative_to(self.data_home)}" for path in self.files]
        if self.refreshed:
            lines.append(f"refreshed with: {', '.join(self.refreshed)}")
        if self.missing_tools:
            lines.append(
                f"not found: {', '.join(self.missing_tools)}; the desktop picks the change up "
                "at the next login (Debian/Ubuntu: apt-get install shared-mime-info "
                "desktop-file-utils)"
            )
        return lines


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME, or ~/.local/share (the spec ignores a relative value)."""
    environ = os.environ if environ is None else environ
    value = environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    home = environ.get("HOME") or os.path.expanduser("~")
    return Path(home) / ".local" / "share"


def launcher_command() -> list[str]:
    """The command that starts this workbench: the bundle, the venv's script, or -m."""
    if getattr(sys, "frozen", False):
        return [os.path.abspath(sys.executable)]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "workbench" and script.is_file():
        return [str(script.resolve())]
    return [os.path.abspath(sys.executable), "-m", "workbench"]


def exec_argument(argument: str) -> str:
    """One argument of an Exec line: quoted and escaped as the Desktop Entry spec asks."""
    if _PLAIN_ARGUMENT.fullmatch(argument):
        quoted = argument
    else:
        escaped = re.sub(r'(["`$\\])', r"\\\1", argument)
        quoted = f'"{escaped}"'
    # The value is also a key-file string, where a backslash is escaped once more,
    # and a literal % is %% (field codes such as %f begin with %).
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def desktop_entry(command: list[str]) -> str:
    """The .desktop file for ``command`` (valid under desktop-file-validate)."""
    exec_line = " ".join(exec_argument(part) for part in command)
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=ACH Workbench",
        "GenericName=Analysis of Competing Hypotheses",
        "Comment=Weigh the evidence against competing hypotheses (Heuer's ACH)",
        f"Exec={exec_line} %f",
        "Icon=" + APP_ID,
        "Terminal=false",
        "Categories=Office;",
        "Keywords=ACH;hypotheses;evidence;intelligence;analysis;matrix;",
        f"MimeType={MIME_TYPE};",
        "StartupNotify=true",
        # The window's WM_CLASS class (Qt: the application name); its
        # _GTK_APPLICATION_ID and _KDE_NET_WM_DESKTOP_FILE are "ach-workbench".
        "StartupWMClass=ACH Workbench",
    ]
    if os.path.isabs(command[0]):
        # Hidden from menus once the program is gone (a deleted bundle folder).
        lines.insert(lines.index("Terminal=false"), "TryExec=" + exec_argument(command[0]))
    return "\n".join(lines) + "\n"


def _resources() -> Traversable:
    return importlib.resources.files("workbench.resources").joinpath("desktop")


def _icon_sizes() -> list[str]:
    """The hicolor size folders shipped, e.g. ``48x48``."""
    folder = _resources().joinpath("icons")
    return sorted((entry.name for entry in folder.iterdir() if entry.is_dir()), key=len)


def _targets(home: Path) -> dict[Path, Traversable | str]:
    """Every file the install writes, and where its content comes from."""
    desktop = _resources()
    targets: dict[Path, Traversable | str] = {
        home / "mime" / "packages" / MIME_PACKAGE: desktop.joinpath("ach-workbench-mime.xml"),
        home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg": desktop.joinpath(
            f"{APP_ID}.svg"
        ),
    }
    for size in _icon_sizes():
        targets[home / "icons" / "hicolor" / size / "apps" / ICON_FILE] = desktop.joinpath(
            "icons", size, ICON_FILE
        )
    return targets


def _write(path: Path, content: bytes) -> None:
    """Write a file whole (a half-written .desktop file would break the menu)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content)
    os.replace(partial, path)


def _refresh(home: Path, change: DesktopChange) -> None:
    """Rebuild the user's MIME and desktop-entry caches with the tools present."""
    icons = home / "icons" / "hicolor"
    if icons.is_dir():
        # GTK and Qt trust an icon cache only while it is newer than its folder.
        os.utime(icons)
    tools = [
        ("update-mime-database", [str(home / "mime")]),
        ("update-desktop-database", ["-q", str(home / "applications")]),
    ]
    for name, arguments in tools:
        program = shutil.which(name)
        if program is None:
            change.missing_tools.append(name)
            continue
        if not Path(arguments[-1]).is_dir():
            continue
        try:
            done = subprocess.run(
                [program, *arguments], capture_output=True, text=True, timeout=120
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise WorkbenchError(f"{name} failed: {error}") from None
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise WorkbenchError(
                f"{name} failed (exit {done.returncode}): {detail[-1] if detail else ''}"
            )
        change.refreshed.append(name)


def install(
    environ: Mapping[str, str] | None = None, command: list[str] | None = None
) -> DesktopChange:
    """Install the menu entry, icons and file type for the current user."""
    if not sys.platform.startswith("linux"):
        raise WorkbenchError(
            "install-desktop is for Linux desktops; on Windows and macOS the installer "
            "registers the file type (see the README)"
        )
    home = data_home(environ)
    change = DesktopChange("installed", home)
    try:
        for target, source in _targets(home).items():
            content = source.encode() if isinstance(source, str) else source.read_bytes()
            _write(target, content)
            change.files.append(target)
        entry = home / "applications" / DESKTOP_FILE
        _write(entry, desktop_entry(command or launcher_command()).encode())
        change.files.append(entry)
    except OSError as error:
        raise WorkbenchError(f"could not write {error.filename}: {error.strerror}") from None
    _refresh(home, change)
    return change


def uninstall(environ: Mapping[str, str] | None = None) -> DesktopChange:
    """Remove what :func:`install` wrote; files already gone are no error."""
    home = data_home(environ)
    change = DesktopChange("removed", home)
    for target in [*_targets(home), home / "applications" / DESKTOP_FILE]:
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise WorkbenchError(f"could not remove {target}: {error.strerror}") from None
        change.files.append(target)
    _refresh(home, change)
    return change
