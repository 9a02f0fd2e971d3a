"""One editor at a time: the lock sidecar, who holds it, stale locks, read-only viewers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from workbench.core.edits import UpdateProject
from workbench.core.errors import ProjectFileError
from workbench.store import FileInUse, ProjectFile, ReadOnlyFile

_HOLDER = """
import sys
from workbench.store import ProjectFile
from workbench.core.edits import UpdateProject
with ProjectFile.open(sys.argv[1]) as project_file:
    project_file.apply(UpdateProject({"title": "held elsewhere"}))
    print("ready", flush=True)
    sys.stdin.readline()
print("closed", flush=True)
"""


def _lock_file(path):
    return path.with_name(path.name + ".lock")


@pytest.fixture
def project_path(tmp_path, full_project):
    path = tmp_path / "p.achwb"
    ProjectFile.create(path, full_project()).close()
    return path


@pytest.fixture
def holder_process(project_path):
    """Another process with ``project_path`` open for editing."""
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(project_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()


def test_the_second_opener_is_told_who_has_the_file(project_path, holder_process):
    with pytest.raises(FileInUse) as caught:
        ProjectFile.open(project_path)
    holder = caught.value.holder
    assert holder.pid == holder_process.pid
    assert holder.host == socket.gethostname()
    assert str(caught.value).startswith(f"{project_path} is in use by ")
    assert f"(process {holder_process.pid}) since " in str(caught.value)
    assert "open it read-only to look at it without changing it" in str(caught.value)
    # A live process on this host may still be a reused id: the message says what then.
    assert str(caught.value).endswith(
        f"(if process {holder_process.pid} is not ACH Workbench, the lock is left over "
        "from before a restart: delete p.achwb.lock)"
    )
    with ProjectFile.open(project_path, read_only=True) as viewer:
        assert viewer.project.title == "held elsewhere"
        with pytest.raises(ReadOnlyFile):
            viewer.apply(UpdateProject({"title": "mine"}))
    assert _lock_file(project_path).exists()  # the viewer did not take or drop the lock


def test_the_file_is_free_once_the_holder_closes_it(project_path, holder_process):
    holder_process.stdin.write("\n")
    holder_process.stdin.flush()
    assert holder_process.stdout.readline().strip() == "closed"
    holder_process.wait()
    assert not _lock_file(project_path).exists()
    with ProjectFile.open(project_path) as project_file:
        assert project_file.project.title == "held elsewhere"


def test_a_lock_left_by_a_killed_process_is_taken_over(project_path, holder_process):
    os.kill(holder_process.pid, signal.SIGKILL)
    holder_process.wait()
    assert _lock_file(project_path).exists()
    with ProjectFile.open(project_path) as project_file:
        assert project_file.project.title == "held elsewhere"
        data = json.loads(_lock_file(project_path).read_text())
        assert data["pid"] == os.getpid()
    assert not _lock_file(project_path).exists()


def test_the_same_process_cannot_open_a_file_twice_for_editing(project_path):
    with ProjectFile.open(project_path) as first:
        with pytest.raises(FileInUse) as caught:
            ProjectFile.open(project_path)
        assert caught.value.holder.pid == os.getpid()
        first.apply(UpdateProject({"title": "still mine"}))  # the refusal did not steal it
    with ProjectFile.open(project_path) as again:
        assert again.project.title == "still mine"


def test_a_lock_from_another_computer_is_respected(project_path):
    lock = {"host": "elsewhere.example", "pid": 1, "user": "bo", "since": "2026-01-01T09:00:00Z"}
    _lock_file(project_path).write_text(json.dumps(lock))
    with pytest.raises(
        FileInUse, match=r"in use by bo on elsewhere\.example \(process 1\)"
    ) as caught:
        ProjectFile.open(project_path)
    assert str(caught.value).endswith("(if it is not open anywhere, delete p.achwb.lock)")
    assert json.loads(_lock_file(project_path).read_text()) == lock


def test_an_unreadable_lock_is_not_stolen(project_path):
    _lock_file(project_path).write_bytes(b"\x00garbage")
    with pytest.raises(FileInUse, match="in use by another program") as caught:
        ProjectFile.open(project_path)
    assert caught.value.holder is None
    assert _lock_file(project_path).read_bytes() == b"\x00garbage"


def test_create_holds_the_lock_until_closed(tmp_path, full_project):
    path = tmp_path / "new.achwb"
    project_file = ProjectFile.create(path, full_project())
    with pytest.raises(FileInUse):
        ProjectFile.open(path)
    project_file.close()
    project_file.close()  # closing twice is harmless
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.achwb"]


_READ_ONLY_FOLDER = """
import sys
import pytest
from workbench.core.errors import ProjectFileError
from workbench.store import ProjectFile
with pytest.raises(ProjectFileError, match="cannot be opened for editing.*read-only"):
    ProjectFile.open(sys.argv[1])
with ProjectFile.open(sys.argv[1], read_only=True) as viewer:
    assert viewer.project.title
print("ok", flush=True)
"""

#: Root may write into a read-only folder, and CI runs as root. The check then runs
#: in a child process without the capabilities that let root ignore file modes
#: (so the folder's mode binds it as it binds any user), or, where a container
#: refuses to change capabilities, as the unprivileged user ``nobody``.
WITHOUT_OVERRIDE = ["--bounding-set", "-dac_override,-dac_read_search"]
AS_NOBODY = ["--reuid", "nobody", "--regid", "nogroup", "--clear-groups"]


def _unprivileged(command: list[str]) -> list[list[str]]:
    if os.geteuid() != 0:
        return [command]
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root: setpriv (util-linux) is needed to drop privileges"
    return [[setpriv, *WITHOUT_OVERRIDE, *command], [setpriv, *AS_NOBODY, *command]]


def test_a_project_in_a_read_only_folder_opens_read_only_only(full_project):
    # A folder anyone can reach (pytest's own tmp_path is private to its owner).
    folder = Path(tempfile.mkdtemp(prefix="workbench-read-only-"))
    path = folder / "p.achwb"
    ProjectFile.create(path, full_project()).close()
    path.chmod(0o644)
    folder.chmod(0o555)
    attempts = []
    try:
        for command in _unprivileged([sys.executable, "-c", _READ_ONLY_FOLDER, str(path)]):
            done = subprocess.run(command, capture_output=True, text=True, timeout=120)
            attempts.append(done.stderr)
            if "setpriv:" not in done.stderr:
                break
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)
    assert done.stdout.strip() == "ok", "\n".join(attempts)


def test_save_copy_will_not_replace_a_project_someone_has_open(project_path, holder_process):
    other = project_path.with_name("other.achwb")
    shutil.copy(project_path, other)
    with ProjectFile.open(other) as mine, pytest.raises(FileInUse):
        mine.save_copy(project_path)
    holder_process.kill()
    holder_process.wait()
    with ProjectFile.open(other) as mine:
        mine.apply(UpdateProject({"title": "from the copy"}))
        mine.save_copy(project_path)  # the lock left behind is stale: fine to replace
    with ProjectFile.open(project_path) as copied:
        assert copied.project.title == "from the copy"


def test_replacing_a_project_someone_has_open_is_refused(
    project_path, holder_process, full_project
):
    before = project_path.read_bytes()
    with pytest.raises(FileInUse):
        ProjectFile.create(project_path, full_project(), replace=True)
    assert project_path.read_bytes() == before
    holder_process.stdin.write("\n")
    holder_process.stdin.flush()
    assert holder_process.stdout.readline().strip() == "closed"
    with ProjectFile.open(project_path, read_only=True) as reopened:
        assert reopened.project.title == "held elsewhere"


def test_replace_leaves_no_journal_of_the_old_file_behind(tmp_path, full_project):
    path = tmp_path / "p.achwb"
    ProjectFile.create(path, full_project()).close()
    wal = path.with_name(path.name + "-wal")
    with ProjectFile.open(path) as editing:
        editing.apply(UpdateProject({"title": "the old one"}))
        crashed_log = wal.read_bytes()
    # A crashed editor's log: replayed into the new file, it would bring back old pages.
    wal.write_bytes(crashed_log)
    fresh = full_project()
    fresh.title = "the new one"
    ProjectFile.create(path, fresh, replace=True).close()
    with ProjectFile.open(path) as reopened:
        assert reopened.project.title == "the new one"
    folder = tmp_path / "folder.achwb"
    folder.mkdir()
    with pytest.raises(ProjectFileError, match="already exists"):
        ProjectFile.create(folder, full_project(), replace=True)


def test_a_symlink_and_its_target_share_one_lock(project_path):
    link = project_path.with_name("alias.achwb")
    link.symlink_to(project_path)
    with ProjectFile.open(link):
        assert project_path.with_name(project_path.name + ".lock").exists()
        with pytest.raises(FileInUse):
            ProjectFile.open(project_path)
    with ProjectFile.open(project_path), pytest.raises(FileInUse):
        ProjectFile.open(link)
