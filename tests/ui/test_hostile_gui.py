"""Hostile files through the window's own File menu: a dialog, and nothing else changes.

A real project is open in the real window (the Belarus example, as the ui
conftest's ``main_window`` opens it, with one rating changed so there is
history); then each file of the hostile corpus is opened (projects) or
imported, both into this project and as a new one, by triggering the real
menu actions with the file dialogs answered. Every attempt must end in exactly
one error dialog (never the "bug" dialog) naming the file, while the open
project keeps its file, its layers, its change log and its undo history.

Since every test here proves it leaves the window as it found it, the tests
share one window (building it is most of a test's cost); a test that leaves it
changed, failing, has it replaced, so the next test starts from a fresh one.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import bad_corpus
import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from workbench.core.edits import SetRating
from workbench.core.ratings import Rating
from workbench.ui.main_window import MainWindow


@pytest.fixture
def answer_file_dialogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Make the Open dialog pick a given file; Save dialogs pick a fresh path in out/."""
    chosen: dict[str, Path] = {}
    outbox = tmp_path / "out"
    outbox.mkdir()

    def open_name(*_args: object, **_kwargs: object) -> tuple[str, str]:
        return str(chosen["path"]), ""

    def save_name(*_args: object, **_kwargs: object) -> tuple[str, str]:
        return str(outbox / "saved.achwb"), ""

    def open_names(*_args: object, **_kwargs: object) -> tuple[list[str], str]:
        return [str(chosen["path"])], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_name))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(open_names))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))

    def choose(path: Path) -> Path:
        chosen["path"] = path
        return outbox

    return choose


def _change_one_rating(window: MainWindow) -> None:
    document = window.document
    project = document.project
    analyst = project.analysts[0].id
    evidence, hypothesis = project.evidence[0], project.hypotheses[0]
    current = Rating(int(project.layer(analyst)[0, 0]))
    new = Rating.I if current != Rating.I else Rating.C
    document.do(SetRating(analyst, evidence.id, hypothesis.id, new))


@pytest.fixture(scope="module")
def _shared_window(qapp, tmp_path_factory: pytest.TempPathFactory, _example_master: Path):  # noqa: ANN001
    """``{"window": MainWindow | None}``: the module's window, made on first use as
    the ui conftest's ``main_window`` makes it, and closed at the end."""
    shared: dict[str, MainWindow | None] = {"window": None}
    yield shared
    if shared["window"] is not None:
        shared["window"].close()
        shared["window"].deleteLater()


def _new_window(tmp_path_factory: pytest.TempPathFactory, example: Path) -> MainWindow:
    folder = tmp_path_factory.mktemp("hostile-window")
    path = folder / "belarus.achwb"
    shutil.copyfile(example, path)
    window = MainWindow(
        settings=QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    )
    window.resize(1600, 1000)
    window.show()
    assert QTest.qWaitForWindowExposed(window)
    assert window.files.open_path(path)
    _change_one_rating(window)
    return window


@pytest.fixture
def window(
    _shared_window: dict,
    tmp_path_factory: pytest.TempPathFactory,
    _example_master: Path,
    message_boxes: list,
) -> Iterator[MainWindow]:
    """The example open in the real window, with one rating changed (so there is history)."""
    main = _shared_window["window"]
    if main is None:
        main = _shared_window["window"] = _new_window(tmp_path_factory, _example_master)
    before = snapshot(main)
    message_boxes.clear()
    yield main
    try:
        assert_untouched(before, main)
    except AssertionError:  # the test failed; the next one gets a fresh window
        main.close()
        main.deleteLater()
        _shared_window["window"] = None


@dataclass
class Snapshot:
    path: Path
    layers: dict[int, np.ndarray]
    evidence: list[str]
    hypotheses: list[str]
    change_log: int
    undo_steps: int
    file_digest: str


def snapshot(main: MainWindow) -> Snapshot:
    document = main.document
    project = document.project
    return Snapshot(
        path=document.file.path,
        layers={key: layer.copy() for key, layer in project.layers.items()},
        evidence=[e.code for e in project.evidence],
        hypotheses=[h.code for h in project.hypotheses],
        change_log=len(document.file.change_log(limit=1_000_000)),
        undo_steps=document.undo_stack.count(),
        file_digest=_digest(document.file.path),
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_untouched(before: Snapshot, main: MainWindow) -> None:
    after = snapshot(main)
    assert after.path == before.path, "another file replaced the open project"
    assert after.layers.keys() == before.layers.keys()
    for key, layer in before.layers.items():
        assert np.array_equal(after.layers[key], layer), f"layer {key} changed"
    assert (after.evidence, after.hypotheses) == (before.evidence, before.hypotheses)
    assert after.change_log == before.change_log, "the change log grew"
    assert after.undo_steps == before.undo_steps, "the undo history changed"
    assert after.file_digest == before.file_digest, "the open project file changed"


def _cases() -> list:
    cases = []
    for bad in bad_corpus.CORPUS:
        if bad.make_for is not None:
            actions = ["actionCollectSheets"]
        elif bad.is_project:
            actions = ["actionOpen"]
        else:
            actions = ["actionImportInto", "actionImportNew"]
        for action in actions:
            cases.append(pytest.param(bad, action, id=f"{action}-{bad.name}"))
    return cases


@pytest.mark.parametrize(("bad", "action_name"), _cases())
def test_hostile_file_shows_a_dialog_and_changes_nothing(
    bad: bad_corpus.BadFile,
    action_name: str,
    window: MainWindow,
    message_boxes: list,
    answer_file_dialogs,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    # A rating sheet is written for the project open in the window.
    source = bad_corpus.build_one(bad.name, inbox, window.document.file.path)
    before_source = bad_corpus.fingerprint(source)
    outbox = answer_file_dialogs(source)
    before = snapshot(window)
    message_boxes.clear()

    action = window.findChild(QAction, action_name)
    assert action is not None, f"the File menu has no {action_name}"
    action.trigger()

    shown = [(box.name, box.text) for box in message_boxes]
    assert [name for name, _ in shown] == ["errorDialog"], shown
    message = message_boxes[0].text
    assert bad.name in message, f"the dialog does not name the file: {message}"
    if bad.where:
        assert bad.where in message, f"the dialog does not say where ({bad.where}): {message}"
    assert "Traceback" not in message
    assert_untouched(before, window)
    assert bad_corpus.fingerprint(source) == before_source, "the bad file was changed"
    assert list(outbox.iterdir()) == [], "an output file was left behind"


@pytest.mark.parametrize(
    ("action_name", "name"),
    [
        ("actionExportXlsx", "alias.xlsx"),
        ("actionExportCsv", "alias.csv"),
        ("actionReport", "alias.pdf"),
    ],
)
def test_exporting_over_the_open_project_is_refused(
    action_name: str,
    name: str,
    window: MainWindow,
    message_boxes: list,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The output is the project itself under another name (a hard link): a dialog, no harm."""
    import os

    project_path = window.document.file.path
    alias = project_path.with_name(name)
    os.link(project_path, alias)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(alias), ""))
    )
    before = snapshot(window)
    message_boxes.clear()
    window.findChild(QAction, action_name).trigger()
    assert [box.name for box in message_boxes] == ["errorDialog"]
    assert "this is the input file itself" in message_boxes[0].text
    assert_untouched(before, window)
    alias.unlink()  # the window is shared with the next test
