"""Which ratings an export shows: the team consensus or one analyst's layer."""

from __future__ import annotations

from workbench.core.analysis import CONSENSUS, LayerKey
from workbench.core.model import Project
from workbench.exchange.output_file import ExportError


def layer_description(project: Project, layer: LayerKey) -> tuple[str, str | None]:
    """(note for readers, analyst name or None); refuses a layer the project lacks."""
    if layer == CONSENSUS:
        count = len(project.analysts)
        if count == 1:
            return f"Ratings of {project.analysts[0].name}", None
        return f"Team consensus of {count} analysts", None
    analyst = None
    if isinstance(layer, int) or str(layer).isdigit():
        analyst = next((a for a in project.analysts if a.id == int(layer)), None)
    if analyst is None:
        raise ExportError(f"There is no analyst {layer!r} in this project to export")
    return f"Ratings of {analyst.name}", analyst.name
