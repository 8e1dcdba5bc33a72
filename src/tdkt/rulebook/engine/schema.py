"""Pydantic models of a regime file: used only at load time, never in the evaluation path."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    id: str
    title: str
    url: str | None = None
    in_force: str | None = None


class Variant(_Model):
    since: date
    value: Any
    cite: str
    source: str | None = None
    note: str | None = None


class Setting(_Model):
    key: str
    default: Any
    cite: str
    description_vi: str
    source: str | None = None
    note: str | None = None
    confirmed: bool = True
    variants: list[Variant] = Field(default_factory=list)


class Transitional(_Model):
    id: str
    text_vi: str
    cite: str
    source: str | None = None


class CriterionVariant(_Model):
    """The criterion as it reads for proposals from `since` (a new decree or circular): its citation, and the
    parameters that change (the others are the criterion's own)."""

    since: date
    cite: str
    params: dict[str, Any] = Field(default_factory=dict)
    source: str | None = None
    note: str | None = None


class Criterion(_Model):
    id: str
    kind: str
    params: dict[str, Any] = Field(default_factory=dict)
    cite: str
    source: str | None = None
    note: str | None = None
    variants: list[CriterionVariant] = Field(default_factory=list)


class Route(_Model):
    id: str
    name: str
    subject: Literal["individual", "collective", "both"] = "both"
    cite: str | None = None
    criteria: list[Criterion]


class Pending(_Model):
    condition: str
    detail_vi: str
    cite: str
    source: str | None = None


class ValueWithCite(_Model):
    value: Any = None
    setting: str | None = None
    cite: str
    source: str | None = None
    note: str | None = None


class Component(_Model):
    """A paper of a proposal dossier. `code` identifies it across forms (the checklist merges the papers
    of every nomination's form by code); `per` says whether the dossier has one or each nomination has
    its own; `generated` papers are drafted by the system (editable as Word); `stage` says who provides
    it: the proposing unit, or the ministry when it sends the dossier on to the State."""

    name_vi: str
    code: str
    template: str | None = None
    cite: str
    source: str | None = None
    applies_to: Literal["individual", "collective", "both"] = "both"
    per: Literal["dossier", "nomination"] = "dossier"
    generated: bool = False
    stage: Literal["unit", "ministry"] = "unit"
    required: bool = True


class Deadline(_Model):
    step: str
    working_days: int | None = None
    cite: str
    source: str | None = None
    note: str | None = None


class Money(_Model):
    individual: float | None = None
    collective: float | None = None
    cite: str
    source: str | None = None
    note: str | None = None
    variants: list[Variant] = Field(default_factory=list)


class Forecast(_Model):
    assume: dict[str, Any] = Field(default_factory=dict)
    assumed_vi: str


class AwardDef(_Model):
    name_vi: str
    name_en: str
    kind: Literal["title", "form"]
    subject: Literal["individual", "collective", "both"]
    level: str
    decided_by: str
    cite: str
    source: str | None = None
    note: str | None = None
    prerequisites: list[str] = Field(default_factory=list)
    routes: list[Route]
    pending: list[Pending] = Field(default_factory=list)
    ratio_cap: ValueWithCite | None = None
    min_interval: ValueWithCite | None = None
    dossier_components: list[Component] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    money_coefficient: Money | None = None
    forecast: Forecast | None = None


class RegimeFile(_Model):
    code: str
    name: str
    effective_from: date
    effective_to: date | None = None
    sources: list[Source]
    transitional: list[Transitional] = Field(default_factory=list)
    settings: list[Setting] = Field(default_factory=list)
    # the papers of a dossier whose form names none of its own, and the time limits of each step of a
    # dossier's path (working days), where a form names none
    dossier_defaults: list[Component] = Field(default_factory=list)
    # the shorter dossier of the simplified procedure (thủ tục đơn giản), for any form
    dossier_simplified: list[Component] = Field(default_factory=list)
    dossier_steps: list[Deadline] = Field(default_factory=list)
    awards: dict[str, AwardDef]
