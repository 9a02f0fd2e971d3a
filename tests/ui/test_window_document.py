"""The window's Document: undo steps, merged key presses, layers, read-only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.analysis import CONSENSUS, score_project
from workbench.core.edits import AddAnalyst, SetOverride, SetRating, UpdateHypothesis
from workbench.core.errors import WorkbenchError
from workbench.core.model import Analyst, ConsensusOverride
from workbench.core.ratings import Rating
from workbench.store import ProjectFile
from workbench.ui.base.document import Document


@pytest.fixture
def document(qtbot, example_file: Path):  # noqa: ANN001
    doc = Document(ProjectFile.open(example_file))
    yield doc
    doc.close()


def rating(doc: Document, row: int, column: int) -> Rating:
    return Rating(int(doc.project.layer(doc.analyst_id)[row, column]))


def test_label_is_taken_before_the_edit_and_undo_redo_round_trip(document):  # noqa: ANN001
    before = rating(document, 0, 1)
    target = Rating.II if before != Rating.II else Rating.CC
    document.do(document.rating_edit(0, 1, target))
    code_e, code_h = document.project.evidence[0].code, document.project.hypotheses[1].code
    label = f"Rate {code_e} x {code_h}: {before.code or 'blank'} -> {target.code}"
    assert document.undo_stack.undoText() == label
    document.undo_stack.undo()
    assert rating(document, 0, 1) == before
    document.undo_stack.redo()
    assert rating(document, 0, 1) == target


def test_merged_key_presses_are_one_step_and_a_round_trip_disappears(document):  # noqa: ANN001
    document.do(document.rating_edit(3, 0, Rating.CC))
    steps = document.undo_stack.count()
    # c then c on a cell that was CC: C, then back to CC -> nothing happened at all.
    document.do(document.rating_edit(3, 0, Rating.C))
    document.do(document.rating_edit(3, 0, Rating.CC), merge=True)
    assert document.undo_stack.count() == steps
    assert rating(document, 3, 0) == Rating.CC
    # A second key on ANOTHER cell is its own step.
    document.do(document.rating_edit(3, 1, Rating.I))
    document.do(document.rating_edit(4, 1, Rating.II), merge=True)
    assert document.undo_stack.count() == steps + 2


def test_signals_say_what_changed(document, qtbot):  # noqa: ANN001
    with qtbot.waitSignal(document.cellsChanged) as cells:
        document.do(document.rating_edit(7, 2, Rating.NA))
    assert cells.args == [7, 7]
    hypothesis = document.project.hypotheses[0]
    with qtbot.waitSignal(document.detailsChanged):
        document.do(UpdateHypothesis(hypothesis.id, {"title": "Vassal state"}))
    # Switching from the consensus to one analyst's layer: other ratings, same rows
    # and columns (no structure change, so nothing rebuilds its rows).
    with (
        qtbot.assertNotEmitted(document.structureChanged),
        qtbot.waitSignals([document.layerChanged, document.scoresChanged]),
    ):
        document.set_layer(document.analyst_id)


def test_cached_scores_follow_every_change(document):  # noqa: ANN001
    for row in range(0, 20, 3):
        document.do(document.rating_edit(row, row % 4, Rating.II))
        expected = score_project(document.project, document.layer)
        np.testing.assert_allclose(
            document.scores.weighted_inconsistency, expected.weighted_inconsistency, atol=1e-9
        )
        np.testing.assert_allclose(document.scores.posterior, expected.posterior, atol=1e-9)


def test_on_a_team_consensus_a_typed_rating_is_the_facilitators_override(document):  # noqa: ANN001
    project = document.project
    document.do(AddAnalyst(Analyst(project.new_id(), "Second analyst")))
    assert document.layer == CONSENSUS
    edit = document.rating_edit(1, 1, Rating.I)
    assert isinstance(edit, SetOverride) and edit.override.rating == Rating.I
    document.do(edit)
    assert Rating(int(document.codes[1, 1])) == Rating.I
    # On one analyst's layer the same key changes that analyst's rating.
    first = project.analysts[0].id
    document.set_layer(first)
    edit = document.rating_edit(1, 1, Rating.C)
    assert isinstance(edit, SetRating) and edit.analyst_id == first


def test_a_read_only_project_refuses_edits_before_anything_changes(qtbot, example_file):  # noqa: ANN001
    document = Document(ProjectFile.open(example_file, read_only=True))
    try:
        before = document.project.layer(document.analyst_id).copy()
        with pytest.raises(WorkbenchError, match="read-only"):
            document.do(document.rating_edit(0, 0, Rating.II))
        assert np.array_equal(document.project.layer(document.analyst_id), before)
        assert document.undo_stack.count() == 0
    finally:
        document.close()


def _incremental_matches_full(doc: Document) -> None:
    from workbench.core.analysis import layer_codes

    project = doc.project
    assert np.array_equal(doc.codes, layer_codes(project, doc.layer))
    full = score_project(project, doc.layer)
    assert np.array_equal(doc.scores.rank, full.rank)
    assert np.array_equal(doc.scores.inconsistency, full.inconsistency)
    for name in ("weighted_inconsistency", "consistency", "normalized", "posterior"):
        assert np.allclose(getattr(doc.scores, name), getattr(full, name), atol=1e-9), name
    assert np.allclose(doc.scores.weighted_diagnosticity, full.weighted_diagnosticity)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_key_press_recomputes_only_its_rows_and_equals_a_full_recompute(
    qtbot,
    tmp_path_factory,
    full_project,
    seed,  # noqa: ANN001
):
    """Rating edits, undos, redos, overrides and layer switches in any order: the
    row-by-row consensus and score deltas always equal scoring from scratch."""
    rng = np.random.default_rng(seed)
    path = tmp_path_factory.mktemp("incremental") / "p.achwb"
    ProjectFile.create(path, full_project(n_evidence=7, n_hypotheses=4, n_analysts=3)).close()
    doc = Document(ProjectFile.open(path))
    try:
        project = doc.project
        layers = [CONSENSUS, *(a.id for a in project.analysts)]
        for _ in range(25):
            step = rng.integers(0, 10)
            row, col = int(rng.integers(0, 7)), int(rng.integers(0, 4))
            e, h = project.evidence[row].id, project.hypotheses[col].id
            rating = Rating(int(rng.integers(0, len(Rating))))
            if step < 5:
                analyst = project.analysts[int(rng.integers(0, 3))].id
                doc.do(SetRating(analyst, e, h, rating))
            elif step == 5:
                doc.do(
                    SetOverride(e, h, ConsensusOverride(rating, "") if rng.random() < 0.7 else None)
                )
            elif step == 6 and doc.undo_stack.canUndo():
                doc.undo_stack.undo()
            elif step == 7 and doc.undo_stack.canRedo():
                doc.undo_stack.redo()
            else:
                doc.set_layer(layers[int(rng.integers(0, len(layers)))])
            _incremental_matches_full(doc)
    finally:
        doc.close()
