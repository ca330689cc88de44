"""Agenda files: the model, the duration forms, and a loader that reports every problem with its place.

The loader is made of four building blocks, one module each:

- :mod:`~atelier_timer.agenda.durations`: duration forms ("10m", "1h30", "7:30") and times of day;
- :mod:`~atelier_timer.agenda.sources`: the text of a file or a bundled agenda, refused when it is
  no readable UTF-8 text;
- :mod:`~atelier_timer.agenda.nodes`: the YAML composed into a node tree (which keeps line and
  column of every value), the agenda's refusals (tags, aliases, duplicate keys) and the generic shapes;
- :mod:`~atelier_timer.agenda.grammar`: the agenda itself (steps, turns, roles, alerts...) built from
  the nodes, every problem at its place;

and :mod:`~atelier_timer.agenda.model` holds what they build. ``parse_agenda`` is pure (text in,
agenda or ``AgendaError`` out): the journal stores the text of the agenda a session ran and parses
it again on resume. Import from here: the names below are the agenda's public API.
"""

from __future__ import annotations

from atelier_timer.agenda.durations import (
    DURATION_FORMS,
    TIME_OF_DAY_FORMS,
    format_duration,
    parse_duration,
    parse_time_of_day,
)
from atelier_timer.agenda.grammar import load_agenda, parse_agenda
from atelier_timer.agenda.model import (
    MAX_DEPTH,
    MAX_DURATION,
    MAX_FILE_BYTES,
    MAX_SHOWN_PROBLEMS,
    Agenda,
    AgendaError,
    Alerts,
    Participant,
    Problem,
    Role,
    Schedule,
    Step,
    Turn,
    slugify,
)
from atelier_timer.agenda.sources import bundled_agendas, read_agenda_source, schema_text
from atelier_timer.config import LANGUAGES

__all__ = [
    "DURATION_FORMS",
    "LANGUAGES",
    "MAX_DEPTH",
    "MAX_DURATION",
    "MAX_FILE_BYTES",
    "MAX_SHOWN_PROBLEMS",
    "TIME_OF_DAY_FORMS",
    "Agenda",
    "AgendaError",
    "Alerts",
    "Participant",
    "Problem",
    "Role",
    "Schedule",
    "Step",
    "Turn",
    "bundled_agendas",
    "format_duration",
    "load_agenda",
    "parse_agenda",
    "parse_duration",
    "parse_time_of_day",
    "read_agenda_source",
    "schema_text",
    "slugify",
]
