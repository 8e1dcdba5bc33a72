"""The eligibility engine: facts in, verdict with reasons, citations and forecast out. Pure Python."""

from .casefile import Ask, CaseError, parse_case
from .evaluate import EngineError, Reason, Verdict, evaluate, evaluate_many
from .facts import Award, Discipline, Initiative, Leave, Members, SubjectFacts, Title, YearFacts
from .loader import Regime, RulebookError, Rulebooks, load_rulebooks

__all__ = [
    "Ask",
    "Award",
    "CaseError",
    "Discipline",
    "EngineError",
    "Initiative",
    "Leave",
    "Members",
    "Reason",
    "Regime",
    "RulebookError",
    "Rulebooks",
    "SubjectFacts",
    "Title",
    "Verdict",
    "YearFacts",
    "evaluate",
    "evaluate_many",
    "load_rulebooks",
    "parse_case",
]
