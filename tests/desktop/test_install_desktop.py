"""`workbench install-desktop`: the menu entry, icons and file type, checked with
the desktop's own tools (desktop-file-validate, update-mime-database, xdg-mime)
in a throwaway HOME."""

from __future__ import annotations

import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from ci_tools import require

from workbench import desktop
from workbench.cli import main
from workbench.core.errors import WorkbenchError

TOOLS = ("desktop-file-validate", "update-mime-database", "update-desktop-database", "xdg-mime")


def tool(name: str) -> str:
    import shutil

    found = shutil.which(name)
    require(found, f"{name} is not on PATH (Debian: desktop-file-utils xdg-utils shared-mime-info)")
    return str(found)


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    """A throwaway HOME; XDG_DATA_HOME unset, so the default ~/.local/share is used."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_DATA_DIRS", "XDG_CURRENT_DESKTOP"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def environment(home: Path, desktop_name: str = "") -> dict[str, str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    if desktop_name:
        env["XDG_CURRENT_DESKTOP"] = desktop_name
    return env


def query(home: Path, *args: str, desktop_name: str = "") -> str:
    done = subprocess.run(
        [tool("xdg-mime"), "query", *args],
        env=environment(home, desktop_name),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout.strip()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return struct.unpack(">II", data[16:24])


def test_install_lays_out_the_freedesktop_files(home: Path, capsys):
    for name in TOOLS:
        tool(name)
    assert main(["install-desktop"]) == 0
    printed = capsys.readouterr().out
    share = home / ".local" / "share"
    entry = share / "applications" / "ach-workbench.desktop"
    assert f"under {share}" in printed and "update-mime-database" in printed
    valid = subprocess.run([tool("desktop-file-validate"), str(entry)], capture_output=True)
    assert valid.returncode == 0 and not valid.stdout, valid.stdout.decode()
    text = entry.read_text()
    assert f"MimeType={desktop.MIME_TYPE};" in text and "Icon=ach-workbench" in text
    assert " %f" in text
    sizes = sorted(p.parent.parent.name for p in share.glob("icons/hicolor/*/apps/*.png"))
    assert sizes == sorted(f"{n}x{n}" for n in (16, 22, 24, 32, 48, 64, 128, 256))
    for png in share.glob("icons/hicolor/*/apps/ach-workbench.png"):
        n = int(png.parent.parent.name.split("x")[0])
        assert png_size(png) == (n, n)
    assert (share / "icons/hicolor/scalable/apps/ach-workbench.svg").is_file()
    assert (share / "mime/packages/ach-workbench.xml").is_file()


@pytest.mark.parametrize("desktop_name", ["", "GNOME"])  # xdg-mime's generic path, and gio's
def test_the_desktop_knows_project_files_by_name_and_content(home: Path, desktop_name: str):
    require(desktop_name != "GNOME" or __import__("shutil").which("gio"), "gio is not on PATH")
    if not desktop_name:
        require(__import__("shutil").which("mimetype"), "mimetype (libfile-mimeinfo-perl) missing")
    assert main(["example", str(home / "belarus.achwb")]) == 0
    (home / "renamed.db").write_bytes((home / "belarus.achwb").read_bytes())
    other = sqlite3.connect(home / "other.db")  # an SQLite file that is not a project
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    assert main(["install-desktop"]) == 0

    assert query(home, "filetype", str(home / "belarus.achwb"), desktop_name=desktop_name) == (
        desktop.MIME_TYPE
    )
    # By content alone: the SQLite header and the application id at offset 68.
    assert query(home, "filetype", str(home / "renamed.db"), desktop_name=desktop_name) == (
        desktop.MIME_TYPE
    )
    assert query(home, "filetype", str(home / "other.db"), desktop_name=desktop_name) != (
        desktop.MIME_TYPE
    )
    assert query(home, "default", desktop.MIME_TYPE) == "ach-workbench.desktop"


def test_uninstall_removes_every_file_and_the_file_type(home: Path, capsys):
    assert main(["example", str(home / "belarus.achwb")]) == 0
    assert main(["install-desktop"]) == 0
    share = home / ".local" / "share"
    installed = {p for p in share.rglob("*ach-workbench*") if p.is_file()}
    # 11 installed, and update-mime-database's compiled copy of the type, if it ran.
    assert len(installed - set(share.glob("mime/application/*"))) == 11
    capsys.readouterr()
    assert main(["install-desktop", "--uninstall"]) == 0
    assert "removed 11 files" in capsys.readouterr().out
    assert not [p for p in share.rglob("*ach-workbench*") if p.is_file()]
    if __import__("shutil").which("xdg-mime"):
        assert query(home, "filetype", str(home / "belarus.achwb")) != desktop.MIME_TYPE
        assert query(home, "default", desktop.MIME_TYPE) == ""
    # Twice is no error: nothing left to remove.
    assert main(["install-desktop", "--uninstall"]) == 0
    assert "removed 0 files" in capsys.readouterr().out


def test_xdg_data_home_is_honoured_when_absolute(tmp_path: Path):
    assert desktop.data_home({"XDG_DATA_HOME": str(tmp_path), "HOME": "/h"}) == tmp_path
    assert desktop.data_home({"XDG_DATA_HOME": "relative", "HOME": "/h"}) == Path("/h/.local/share")
    changed = desktop.install({"XDG_DATA_HOME": str(tmp_path / "data")}, ["/opt/wb/workbench"])
    assert (tmp_path / "data" / "applications" / "ach-workbench.desktop").is_file()
    assert all(path.is_relative_to(tmp_path / "data") for path in changed.files)


@pytest.mark.parametrize(
    "program",
    ["/opt/ach workbench/workbench", '/home/a$b/wb`x`/work"bench', "/tmp/100%/workbench"],
)
def test_an_awkward_install_path_still_makes_a_valid_entry(tmp_path: Path, program: str):
    entry = tmp_path / "ach-workbench.desktop"
    entry.write_text(desktop.desktop_entry([program]))
    valid = subprocess.run([tool("desktop-file-validate"), str(entry)], capture_output=True)
    assert valid.returncode == 0 and not valid.stdout, valid.stdout.decode()
    # The Exec value, unescaped as a desktop reads it, gives back the path.
    line = next(l for l in entry.read_text().splitlines() if l.startswith("Exec="))
    value = line.removeprefix("Exec=").replace("\\\\", "\\").replace("%%", "%")
    assert value.endswith(" %f")
    quoted = value.removesuffix(" %f")
    if quoted.startswith('"'):
        inner = quoted[1:-1]
        for char in '"`$\\':
            inner = inner.replace("\\" + char, char)
        assert inner == program
    else:
        assert quoted == program


def test_the_entry_starts_whichever_workbench_runs_it(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "ach-workbench" / "workbench"))
    assert desktop.launcher_command() == [str(tmp_path / "ach-workbench" / "workbench")]
    monkeypatch.delattr(sys, "frozen")
    script = tmp_path / "venv" / "bin" / "workbench"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    monkeypatch.setattr(sys, "argv", [str(script), "install-desktop"])
    assert desktop.launcher_command() == [str(script)]
    monkeypatch.setattr(sys, "argv", ["/x/workbench/__main__.py"])
    assert desktop.launcher_command()[1:] == ["-m", "workbench"]


def test_a_data_home_that_cannot_be_written_is_one_error_line(tmp_path: Path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(WorkbenchError, match="could not write"):
        desktop.install({"XDG_DATA_HOME": str(blocker)}, ["/opt/wb/workbench"])


def test_the_window_carries_the_same_icon_and_desktop_name(qapp):
    from workbench.ui.app import DESKTOP_FILE_NAME, application_icon

    assert DESKTOP_FILE_NAME == desktop.APP_ID  # Wayland matches the window to the entry by it
    sizes = sorted(size.width() for size in application_icon().availableSizes())
    assert sizes == [16, 22, 24, 32, 48, 64, 128, 256]
