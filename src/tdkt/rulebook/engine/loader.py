"""Load, validate and compile the regime files once; the engine only sees the compiled form."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .codes import AWARD_CODES, AWARD_SET
from .predicates import REGISTRY, Predicate
from .schema import AwardDef, RegimeFile, Setting

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SETTING_PREFIX = "setting:"


class RulebookError(Exception):
    """A regime file is wrong; the message names the file and the key path."""


@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    id: str
    rule: str
    kind: str
    fn: Predicate
    params: dict[str, Any]
    cite: str
    has_refs: bool
    # (since, params, cite, has_refs) of the dated versions, oldest first (`variants:` in the YAML)
    variants: tuple[tuple[date, dict[str, Any], str, bool], ...] = ()

    def at(self, day: date) -> tuple[dict[str, Any], str, bool]:
        """Params, citation and whether params refer to settings, as the criterion reads on `day`."""
        current = (self.params, self.cite, self.has_refs)
        for since, params, cite, has_refs in self.variants:
            if since <= day:
                current = (params, cite, has_refs)
        return current


@dataclass(frozen=True, slots=True)
class CompiledRoute:
    id: str
    name: str
    subject: str
    criteria: tuple[CompiledCriterion, ...]


@dataclass(frozen=True, slots=True)
class CompiledAward:
    code: str
    subject: str
    routes: tuple[CompiledRoute, ...]
    pending: tuple[dict[str, str], ...]
    forecast_assume: dict[str, Any]
    forecast_text: str
    definition: AwardDef


@dataclass(slots=True)
class Regime:
    code: str
    name: str
    file: str
    effective_from: date
    effective_to: date | None
    settings: dict[str, Setting]
    awards: dict[str, CompiledAward]
    model: RegimeFile
    epochs: tuple[date, ...] = ()
    _bound: dict[tuple, tuple] = field(default_factory=dict)

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def epoch(self, day: date) -> date | None:
        current = None
        for since in self.epochs:
            if since <= day:
                current = since
        return current

    def settings_at(self, day: date | None, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, s in self.settings.items():
            value = s.default
            for v in s.variants:
                if day is not None and v.since <= day:
                    value = v.value
            values[key] = value
        if overrides:
            for key, value in overrides.items():
                if key in values:
                    values[key] = value
        return values

    def bind(self, award_code: str, day: date, overrides: dict[str, Any] | None):
        """Criteria of one award with setting references resolved; cached per epoch and overrides."""
        okey = _overrides_key(overrides)
        key = (award_code, self.epoch(day), okey)
        bound = self._bound.get(key)
        if bound is None:
            award = self.awards[award_code]
            values = self.settings_at(day, overrides)
            routes = []
            for r in award.routes:
                crits = []
                for c in r.criteria:
                    params, cite, has_refs = c.at(day) if c.variants else (c.params, c.cite, c.has_refs)
                    crits.append(
                        (c.rule, c.fn, _resolve(params, values) if has_refs else params, cite, c.kind)
                    )
                routes.append((r.id, r.subject, tuple(crits)))
            pending = tuple(
                {k: (_fill(v, values) if k == "detail" else v) for k, v in p.items()} for p in award.pending
            )
            bound = (tuple(routes), pending, award)
            self._bound[key] = bound
        return bound


@dataclass(frozen=True, slots=True)
class Rulebooks:
    regimes: tuple[Regime, ...]

    def regime_for(self, day: date) -> Regime:
        for r in self.regimes:
            if r.covers(day):
                return r
        raise RulebookError(f"Không có chế độ pháp lý nào có hiệu lực vào ngày {day:%d/%m/%Y}")

    def regime(self, code: str) -> Regime:
        for r in self.regimes:
            if r.code == code:
                return r
        raise KeyError(code)


def _overrides_key(overrides: dict[str, Any] | None):
    if not overrides:
        return None
    return tuple(sorted((k, repr(v)) for k, v in overrides.items()))


def _resolve(value: Any, values: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith(SETTING_PREFIX):
        return values[value[len(SETTING_PREFIX) :]]
    if isinstance(value, dict):
        return {k: _resolve(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, values) for v in value]
    return value


def _fill(text: str, values: dict[str, Any]) -> str:
    if "{" not in text:
        return text
    for key, value in values.items():
        token = "{" + key + "}"
        if token in text:
            shown = f"{value:.0%}" if isinstance(value, float) and value <= 1 else str(value)
            text = text.replace(token, shown)
    return text


def _has_refs(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith(SETTING_PREFIX)
    if isinstance(value, dict):
        return any(_has_refs(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_refs(v) for v in value)
    return False


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _refs(value: Any, acc: list[str]) -> list[str]:
    if isinstance(value, str) and value.startswith(SETTING_PREFIX):
        acc.append(value[len(SETTING_PREFIX) :])
    elif isinstance(value, dict):
        for v in value.values():
            _refs(v, acc)
    elif isinstance(value, list):
        for v in value:
            _refs(v, acc)
    return acc


def _check_cites(name: str, data: Any, path: str) -> None:
    """Every criterion, route-free rule and setting needs a non-empty `cite`."""
    if isinstance(data, dict):
        if "cite" in data and not (isinstance(data["cite"], str) and data["cite"].strip()):
            raise RulebookError(f"{name}: {path}.cite: thiếu trích dẫn điều khoản")
        for k, v in data.items():
            _check_cites(name, v, f"{path}.{k}" if path else str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            _check_cites(name, v, f"{path}[{i}]")


def _parse_file(path: Path) -> RegimeFile:
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RulebookError(f"{name}: YAML không hợp lệ: {exc}") from exc
    if not isinstance(raw, dict):
        raise RulebookError(f"{name}: tệp phải là một ánh xạ (mapping)")
    _check_cites(name, raw, "")
    for code in raw.get("awards") or {}:
        if code not in AWARD_SET:
            raise RulebookError(f"{name}: awards.{code}: mã danh hiệu, hình thức khen thưởng không hợp lệ")
    try:
        return RegimeFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _loc(tuple(err["loc"]))
        if err["type"] == "missing" and err["loc"][-1] == "cite":
            raise RulebookError(f"{name}: {where}: thiếu trích dẫn điều khoản") from exc
        if err["type"] == "missing":
            raise RulebookError(f"{name}: {where}: thiếu trường bắt buộc") from exc
        raise RulebookError(f"{name}: {where}: {err['msg']}") from exc


def _compile(name: str, model: RegimeFile) -> Regime:
    settings = {s.key: s for s in model.settings}
    if len(settings) != len(model.settings):
        raise RulebookError(f"{name}: settings: khóa cài đặt bị trùng")
    missing = [c for c in AWARD_CODES if c not in model.awards]
    if missing:
        raise RulebookError(f"{name}: awards: thiếu mã {', '.join(missing)}")
    awards: dict[str, CompiledAward] = {}
    epochs = {v.since for s in model.settings for v in s.variants}
    for code, a in model.awards.items():
        base = f"awards.{code}"
        for i, pre in enumerate(a.prerequisites):
            if pre not in AWARD_SET:
                raise RulebookError(f"{name}: {base}.prerequisites[{i}]: mã không hợp lệ '{pre}'")
        routes = []
        for ri, r in enumerate(a.routes):
            crits = []
            for ci, c in enumerate(r.criteria):
                where = f"{base}.routes[{ri}].criteria[{ci}]"
                spec = REGISTRY.get(c.kind)
                if spec is None:
                    raise RulebookError(f"{name}: {where}.kind: loại tiêu chí không xác định '{c.kind}'")
                absent = spec.required - c.params.keys()
                if absent:
                    raise RulebookError(f"{name}: {where}.params: thiếu tham số {', '.join(sorted(absent))}")
                unknown = c.params.keys() - spec.required - spec.optional
                if unknown:
                    raise RulebookError(f"{name}: {where}.params: tham số lạ {', '.join(sorted(unknown))}")
                _check_options(name, where, c.kind, c.params)
                for ref in _refs(c.params, []):
                    if ref not in settings:
                        raise RulebookError(f"{name}: {where}.params: cài đặt không tồn tại '{ref}'")
                variants = []
                last = model.effective_from
                for vi, v in enumerate(c.variants):
                    vwhere = f"{where}.variants[{vi}]"
                    in_force = v.since >= model.effective_from and (
                        model.effective_to is None or v.since <= model.effective_to
                    )
                    if not in_force:
                        raise RulebookError(
                            f"{name}: {vwhere}.since: ngày {v.since:%d/%m/%Y} "
                            f"ngoài thời gian hiệu lực của {model.code}"
                        )
                    if v.since <= last:
                        raise RulebookError(
                            f"{name}: {vwhere}.since: các phiên bản theo ngày phải tăng dần, không chồng lấn"
                        )
                    last = v.since
                    vunknown = v.params.keys() - spec.required - spec.optional
                    if vunknown:
                        raise RulebookError(
                            f"{name}: {vwhere}.params: tham số lạ {', '.join(sorted(vunknown))}"
                        )
                    vparams = {**c.params, **v.params}
                    _check_options(name, vwhere, c.kind, vparams)
                    for ref in _refs(vparams, []):
                        if ref not in settings:
                            raise RulebookError(f"{name}: {vwhere}.params: cài đặt không tồn tại '{ref}'")
                    variants.append(
                        (v.since, _constant_judgment(spec, c.kind, vparams), v.cite, _has_refs(vparams))
                    )
                    epochs.add(v.since)
                crits.append(
                    CompiledCriterion(
                        id=c.id,
                        rule=f"{code}.{r.id}.{c.id}",
                        kind=c.kind,
                        fn=spec.fn,
                        params=_constant_judgment(spec, c.kind, dict(c.params)),
                        cite=c.cite,
                        has_refs=_has_refs(c.params),
                        variants=tuple(variants),
                    )
                )
            routes.append(CompiledRoute(r.id, r.name, r.subject, tuple(crits)))
        pending = tuple({"condition": p.condition, "detail": p.detail_vi, "cite": p.cite} for p in a.pending)
        fc = a.forecast
        awards[code] = CompiledAward(
            code=code,
            subject=a.subject,
            routes=tuple(routes),
            pending=pending,
            forecast_assume=dict(fc.assume) if fc else {"rating": "htt"},
            forecast_text=fc.assumed_vi if fc else "mỗi năm tới hoàn thành tốt nhiệm vụ trở lên",
            definition=a,
        )
    _check_cycles(name, model)
    return Regime(
        code=model.code,
        name=model.name,
        file=name,
        effective_from=model.effective_from,
        effective_to=model.effective_to,
        settings=settings,
        awards=awards,
        model=model,
        epochs=tuple(sorted(epochs)),
    )


def _check_options(name: str, where: str, kind: str, params: dict[str, Any]) -> None:
    for oi, opt in enumerate(params.get("options", ()) if kind == "any_of" else ()):
        ospec = REGISTRY.get(opt.get("kind", "")) if isinstance(opt, dict) else None
        owhere = f"{name}: {where}.params.options[{oi}]"
        if ospec is None:
            raise RulebookError(f"{owhere}.kind: loại tiêu chí không xác định")
        oabsent = ospec.required - (opt.get("params") or {}).keys()
        if oabsent:
            raise RulebookError(f"{owhere}.params: thiếu tham số {', '.join(sorted(oabsent))}")


def _constant_judgment(spec, kind: str, params: dict[str, Any]) -> dict[str, Any]:
    if kind == "judgment" and not _has_refs(params):
        params["_out"] = spec.fn(None, params)  # constant outcome, computed once
    return params


def _check_cycles(name: str, model: RegimeFile) -> None:
    graph = {code: list(a.prerequisites) for code, a in model.awards.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt]
                raise RulebookError(
                    f"{name}: awards.{node}.prerequisites: vòng lặp điều kiện tiên quyết {' → '.join(cycle)}"
                )
            if state.get(nxt) is None:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for code in graph:
        if state.get(code) is None:
            visit(code, [code])


def load_rulebooks(data_dir: str | Path | None = None) -> Rulebooks:
    return _load(str(data_dir or DATA_DIR))


@functools.lru_cache(maxsize=8)
def _load(data_dir: str) -> Rulebooks:
    files = sorted(Path(data_dir).glob("*.yaml"))
    if not files:
        raise RulebookError(f"{data_dir}: không có tệp quy tắc (*.yaml)")
    regimes = [_compile(f.name, _parse_file(f)) for f in files]
    regimes.sort(key=lambda r: r.effective_from)
    for a, b in zip(regimes, regimes[1:], strict=False):
        if a.effective_to is None or a.effective_to >= b.effective_from:
            raise RulebookError(
                f"{a.file}, {b.file}: effective_from/effective_to: thời gian hiệu lực của {a.code} "
                f"và {b.code} "
                "chồng lấn"
            )
    codes = [r.code for r in regimes]
    if len(set(codes)) != len(codes):
        raise RulebookError(f"{data_dir}: mã chế độ pháp lý bị trùng")
    return Rulebooks(tuple(regimes))
