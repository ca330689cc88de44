"""The agenda grammar: title, roles, participants, alerts, schedule, steps, turns and repeated blocks,
read from the YAML nodes (:mod:`atelier_timer.agenda.nodes`) with every problem at its place."""

from __future__ import annotations

import re
from typing import NamedTuple, overload

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from atelier_timer.agenda.durations import TIME_OF_DAY_FORMS, format_duration, parse_time_of_day
from atelier_timer.agenda.model import MAX_DURATION, Agenda, AgendaError, Alerts, Participant, Problem, Role, Schedule, Step, Turn
from atelier_timer.agenda.nodes import _INT, _TEXT_TAGS, NodeReader, _kind, _names, compose_nodes
from atelier_timer.agenda.sources import read_agenda_source
from atelier_timer.config import LANGUAGES, SOUND_MODES, volume_of
from atelier_timer.measures import DEFAULT_POINTS, parse_hypotheses, parse_vote
from atelier_timer.safetext import quoted

TOP_KEYS = (
    "version", "title", "language", "roles", "alerts", "auto_advance", "turns_share", "schedule", "participants",
    "hypotheses", "vote", "messages", "steps",
)  # fmt: skip
STEP_KEYS = (
    "title", "duration", "speaker", "prompt", "reminders", "warn", "danger", "protected", "auto_advance", "turns", "repeat",
    "display", "turns_share", "roti",
)  # fmt: skip
SCHEDULE_KEYS = ("start", "end")
TURN_KEYS = ("name", "duration", "role")
TURNS_BY_ROLE_KEYS = ("role", "each")
BLOCK_KEYS = ("times", "steps", "rotate")
MAX_REPEAT = 50
MAX_TURNS = 200
TURNS_FORMS = "'participants', {role: ROLE, each: DURATION} or a list of {name: NAME, duration: DURATION}"
ALERT_KEYS = ("warn", "danger", "sound", "volume", "bell")
DISPLAYS = ("countdown", "countup", "hidden")
TURNS_SHARES = ("strict", "shared")
# Without a word from the step or the agenda, turns that each have a length of their own (a list with
# durations, {role, each}) keep it strictly: that length was promised to the person (7 minutes per
# testimony); turns that divide the step's duration between them share it: the step's end was promised.
PARTICIPANT_KEYS = ("name", "role")


def parse_agenda(text: str, source: str) -> Agenda:
    """Validate the YAML text of an agenda; raise ``AgendaError`` listing every problem found."""
    checker = _Checker(source)
    root = compose_nodes(text, source)
    if root is None:
        raise AgendaError([Problem(source, 1, 1, "the file is empty: an agenda needs at least a title and steps")])
    agenda = checker.agenda(root)
    if checker.problems or agenda is None:
        # A repeated block is read once per round: the same problem is told once.
        raise AgendaError(sorted(dict.fromkeys(checker.problems), key=lambda p: (p.line, p.col)))
    return agenda


def load_agenda(name_or_path: str) -> Agenda:
    """Read and validate an agenda file or bundled agenda."""
    return parse_agenda(*read_agenda_source(name_or_path))


class _Checker(NodeReader):
    """Walks the node tree, building the agenda and collecting a problem for everything wrong."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.declared: tuple[tuple[Role, ...], frozenset[str], dict[str, int]] | None = None  # see role_keys
        self.turns_share: str | None = None  # the agenda's turns_share, the default of its steps with turns

    def undeclared(self, key: str, declared: frozenset[str]) -> str:
        """Why a role key is refused, with the role it is probably a typo of."""
        if not declared:
            return f"role {quoted(key)} is not declared (the agenda has no 'roles')"
        close = self.close(key, declared)
        hint = f"did you mean {quoted(close)}?" if close else f"declared roles: {_names(declared)}"
        return f"role {quoted(key)} is not declared in 'roles' ({hint})"

        # -- the agenda --------------------------------------------------------------------------------

    def agenda(self, root: Node) -> Agenda | None:
        if not self.tag_ok(root):
            return None
        top = self.mapping(root, "", TOP_KEYS, required=("title", "steps"))
        if top is None:
            return None
        value = {key: pair[1] for key, pair in top.items()}

        if "version" in value:
            node = value["version"]
            if not (isinstance(node, ScalarNode) and node.tag == _INT and node.value.strip() == "1"):
                self.error(node, f"version must be 1 (the only agenda format so far), not {_kind(node)}")
        title = self.text(value["title"], "title") if "title" in value else None
        language = "fr"
        if "language" in value:
            node = value["language"]
            language = self.text(node, "language") or "fr"
            if language not in LANGUAGES:
                self.error(node, f"language must be 'fr' or 'en', not {quoted(language)}")
        roles = self.roles(value["roles"]) if "roles" in value else ()
        declared = frozenset(role.key for role in roles)
        alerts = self.alerts(value["alerts"]) if "alerts" in value else Alerts()
        auto_advance = bool(self.boolean(value["auto_advance"], "auto_advance")) if "auto_advance" in value else False
        self.turns_share = self.sharing(value["turns_share"], "turns_share") if "turns_share" in value else None
        schedule = self.schedule(value["schedule"]) if "schedule" in value else Schedule()
        participants = self.participants(value["participants"], declared) if "participants" in value else ()
        hypotheses = parse_hypotheses(self, value["hypotheses"]) if "hypotheses" in value else ()
        vote_points = parse_vote(self, value["vote"]) if "vote" in value else DEFAULT_POINTS
        messages = self.texts(value["messages"], "messages", "message") if "messages" in value else ()
        steps = self.steps(value["steps"], roles, participants) if "steps" in value else ()

        if title is None or not steps:
            return None
        return Agenda(
            title=title,
            steps=steps,
            language=language,
            roles=roles,
            alerts=alerts,
            auto_advance=auto_advance,
            participants=participants,
            hypotheses=hypotheses,
            vote_points=vote_points,
            schedule=schedule,
            messages=messages,
            turns_share=self.turns_share,
            source=self.source,
        )

    def schedule(self, node: Node) -> Schedule:
        """The booked slot: each time of day checked, and the end after the start (not across midnight)."""
        entries = self.mapping(node, "schedule", SCHEDULE_KEYS)
        if entries is None:
            return Schedule()
        times: dict[str, str | None] = {}
        for key in SCHEDULE_KEYS:
            if key not in entries:
                continue
            value_node = entries[key][1]
            text = self.text(value_node, f"schedule.{key}")
            parsed = parse_time_of_day(text) if text is not None else None
            if text is not None and parsed is None:
                self.error(value_node, f"schedule.{key} must be {TIME_OF_DAY_FORMS}, not {quoted(text)}")
            times[key] = f"{parsed[0]:02d}:{parsed[1]:02d}" if parsed else None
        start, end = times.get("start"), times.get("end")
        if start and end and end <= start:
            self.error(
                entries["end"][1],
                f"schedule.end {end} is not after schedule.start {start} (a slot across midnight is not supported)",
            )
            return Schedule()
        return Schedule(start, end)

    def roles(self, node: Node) -> tuple[Role, ...]:
        entries = self.mapping(node, "roles", ())
        if entries is None:
            return ()
        roles = []
        for key, (key_node, value_node) in entries.items():
            if not key.strip():
                self.error(key_node, "roles: a role key must not be empty")
                continue
            label = self.text(value_node, f"roles: the label of {quoted(key)}")
            roles.append(Role(key, label or key))
        return tuple(roles)

    def alerts(self, node: Node) -> Alerts:
        entries = self.mapping(node, "alerts", ALERT_KEYS)
        if entries is None:
            return Alerts()
        defaults = Alerts()
        warn = self.duration(entries["warn"][1], "alerts.warn", allow_zero=True) if "warn" in entries else None
        danger = self.duration(entries["danger"][1], "alerts.danger", allow_zero=True) if "danger" in entries else None
        sound = self.sound(entries["sound"][1]) if "sound" in entries else None
        if "bell" in entries:  # the older form: bell: false is sound: off
            bell = self.boolean(entries["bell"][1], "alerts.bell")
            if "sound" in entries:
                self.error(entries["bell"][0], "alerts: give sound or bell, not both (bell: false is sound: off)")
            elif bell is False:
                sound = "off"
        volume = self.volume(entries["volume"][1]) if "volume" in entries else None
        return Alerts(
            warn=defaults.warn if warn is None else warn,
            danger=defaults.danger if danger is None else danger,
            sound=sound,
            volume=volume,
        )

    def sound(self, node: Node) -> str | None:
        # YAML 1.1 reads a bare on/off as a boolean: take the word as written.
        word: str | None = node.value.strip().lower() if isinstance(node, ScalarNode) else None
        if word in ("true", "yes", "y"):
            word = "on"
        elif word in ("false", "no", "n"):
            word = "off"
        if word not in SOUND_MODES:
            self.error(node, f"alerts.sound must be on, bell or off, not {_kind(node)}")
            return None
        return word

    def volume(self, node: Node) -> int | None:
        volume = volume_of(node.value) if isinstance(node, ScalarNode) and node.tag == _INT else None
        if volume is None:
            self.error(node, f"alerts.volume must be a whole number from 0 to 100 (percent), not {_kind(node)}")
            return None
        return volume

    def participants(self, node: Node, declared: frozenset[str]) -> tuple[Participant, ...]:
        items = self.sequence(node, "participants")
        participants = []
        for number, item in enumerate(items or (), start=1):
            where = f"participant {number}"
            entries = self.mapping(item, where, PARTICIPANT_KEYS, required=("name", "role"))
            if entries is None:
                continue
            name = self.text(entries["name"][1], f"{where}: name") if "name" in entries else None
            role = self.role_key(entries["role"][1], where, declared) if "role" in entries else None
            if name is not None and role is not None:
                participants.append(Participant(name, role))
        return tuple(participants)

    def role_key(self, node: Node, where: str, declared: frozenset[str]) -> str | None:
        key = self.text(node, f"{where}: role")
        if key is not None and key not in declared:
            self.error(node, f"{where}: {self.undeclared(key, declared)}")
            return None
        return key

    def texts(self, node: Node, where: str, each: str) -> tuple[str, ...]:
        """A list of lines of text (``where``), each named ``each N`` in a problem."""
        items = self.sequence(node, where)
        texts = (self.text(item, f"{each} {number}") for number, item in enumerate(items or (), start=1))
        return tuple(text for text in texts if text is not None)

    def steps(self, node: Node, roles: tuple[Role, ...], participants: tuple[Participant, ...]) -> tuple[Step, ...]:
        items = self.sequence(node, "steps")
        if items is None:
            return ()
        if not items:
            self.error(node, "steps: the agenda needs at least one step")
            return ()
        whole = _Round(participants)
        steps = [step for number, item in enumerate(items, start=1) for step in self.item(item, f"step {number}", roles, whole)]
        return tuple(steps)

    def item(self, node: Node, where: str, roles: tuple[Role, ...], round_: _Round) -> list[Step]:
        """The steps one item of a list of steps stands for: a step (maybe repeated) or a repeated block."""
        block = _block_node(node)
        if block is None:
            return self.step(node, where, roles, round_)
        if len(node.value) > 1:
            self.error(
                block,
                f"{where}: repeat: a repeated block ({{times, steps}}) stands alone in the list of steps; "
                "to repeat this one step, write repeat: 3",
            )
            return []
        if round_.label:
            self.error(block, f"{where}: repeat: a repeated block cannot hold another repeated block")
            return []
        where = f"{where}: repeat"
        entries = self.mapping(block, where, BLOCK_KEYS, required=("times", "steps"))
        if entries is None:
            return []
        times = self.times(entries["times"][1], f"{where}: times") if "times" in entries else None
        rotate = self.rotation(entries["rotate"][1], where, roles, round_.cast) if "rotate" in entries else None
        items = self.sequence(entries["steps"][1], f"{where}: steps") if "steps" in entries else None
        if items == []:
            self.error(entries["steps"][1], f"{where}: steps: the block needs at least one step")
        if not items:
            return []
        failed = not times or ("rotate" in entries and rotate is None)  # the steps are still checked, once
        steps = []
        for number in range(times or 1):
            cast = _rotated(round_.cast, rotate, number) if rotate else round_.cast
            rotation = _Round(cast, f" ({number + 1}/{times or 1})", fill=rotate is not None)
            for k, item in enumerate(items, start=1):
                steps += self.item(item, f"{where}: step {k}", roles, rotation)
        return [] if failed else steps

    def times(self, node: Node, where: str) -> int | None:
        """How many times a step or block is repeated: a whole number from 1 to MAX_REPEAT."""
        if isinstance(node, ScalarNode) and node.tag == _INT and re.fullmatch(r"\+?\d+", node.value.strip()):
            count = int(node.value)
            if 1 <= count <= MAX_REPEAT:
                return count
        self.error(node, f"{where} must be a whole number of times from 1 to {MAX_REPEAT}, not {_kind(node)}")
        return None

    def rotation(self, node: Node, where: str, roles: tuple[Role, ...], cast: tuple[Participant, ...]) -> str | None:
        """The role that passes from participant to participant, one round after another."""
        role = self.role_key(node, f"{where}: rotate", self.role_keys(roles)[0])
        if role is not None and not any(person.role == role for person in cast):
            self.error(node, f"{where}: rotate: no participant has the role '{role}' to pass on")
            return None
        return role

    def step(self, node: Node, where: str, roles: tuple[Role, ...], round_: _Round) -> list[Step]:
        with_turns = isinstance(node, MappingNode) and any(
            isinstance(key, ScalarNode) and key.value == "turns" for key, _ in node.value
        )
        entries = self.mapping(node, where, STEP_KEYS, required=("title",) if with_turns else ("title", "duration"))
        if entries is None:
            return []
        value = {key: pair[1] for key, pair in entries.items()}
        title = self.text(value["title"], f"{where}: title") if "title" in value else None
        duration = self.duration(value["duration"], f"{where}: duration") if "duration" in value else None
        speaker = self.text(value["speaker"], f"{where}: speaker", optional=True) if "speaker" in value else None
        prompt = self.text(value["prompt"], f"{where}: prompt", optional=True) if "prompt" in value else None
        reminders = self.reminders(value["reminders"], where, roles) if "reminders" in value else ()
        warn = self.duration(value["warn"], f"{where}: warn", allow_zero=True) if "warn" in value else None
        danger = self.duration(value["danger"], f"{where}: danger", allow_zero=True) if "danger" in value else None
        protected = bool(self.boolean(value["protected"], f"{where}: protected")) if "protected" in value else False
        auto_advance = self.boolean(value["auto_advance"], f"{where}: auto_advance") if "auto_advance" in value else None
        display = self.display(value["display"], where) if "display" in value else "countdown"
        roti = bool(self.boolean(value["roti"], f"{where}: roti")) if "roti" in value else False
        sharing = self.sharing(value["turns_share"], f"{where}: turns_share") if "turns_share" in value else None
        if sharing is not None and "turns" not in value:
            self.error(entries["turns_share"][0], f"{where}: turns_share is for a step with turns, and this one has none")
        times = self.times(value["repeat"], f"{where}: repeat") if "repeat" in value else 1
        turns: tuple[Turn, ...] = ()
        if "turns" in value:
            wanted = self.turns(value["turns"], where, roles, round_.cast)
            if wanted is None or ("duration" in value and duration is None):
                return []
            shared = self.share(wanted, duration, where, value.get("duration"), value["turns"])
            if shared is None:
                return []
            duration, turns = sum(turn.duration for turn in shared), shared
            own_lengths = all(seconds is not None for _, seconds, _ in wanted)
            sharing = sharing or self.turns_share or ("strict" if own_lengths else "shared")
        if title is None or duration is None or times is None:
            return []
        if round_.fill:
            title = _filled(title, roles, round_.cast)
            speaker, prompt = (_filled(text, roles, round_.cast) for text in (speaker, prompt))
        step = Step(
            title + round_.label, duration, speaker, prompt, reminders, warn, danger, protected, turns, auto_advance, display,
            sharing or "shared", roti,
        )
        if times == 1:
            return [step]
        return [step._replace(title=f"{step.title} ({number}/{times})") for number in range(1, times + 1)]

    def turns(
        self, node: Node, where: str, roles: tuple[Role, ...], cast: tuple[Participant, ...]
    ) -> list[tuple[str, int | None, str | None]] | None:
        """Who takes a turn, for how long (None: a share of the step's duration) and in which role, in one of the three forms."""
        declared = self.role_keys(roles)[0]
        subject = f"{where}: turns"
        role: str | None = None
        each: int | None = None
        if isinstance(node, SequenceNode):
            return self.turn_list(node, subject, declared)
        if isinstance(node, MappingNode):
            entries = self.mapping(node, subject, TURNS_BY_ROLE_KEYS)
            if entries is None:
                return None
            if "role" in entries:
                role = self.role_key(entries["role"][1], subject, declared)
                if role is None:
                    return None
            if "each" in entries:
                each = self.duration(entries["each"][1], f"{subject}: each")
                if each is None:
                    return None
        elif not (isinstance(node, ScalarNode) and node.tag in _TEXT_TAGS and node.value.strip() == "participants"):
            self.error(node, f"{subject} must be {TURNS_FORMS}; not {_kind(node)}")
            return None
        people = [person for person in cast if role is None or person.role == role]
        if not people:
            whom = f"no participant has the role '{role}'" if role else "'participants' needs the agenda's participants, and it lists none"
            self.error(node, f"{subject}: {whom}")
            return None
        if len(people) > MAX_TURNS:
            self.error(node, f"{subject}: at most {MAX_TURNS} turns in a step, not {len(people)}")
            return None
        return [(person.name, each, person.role) for person in people]

    def turn_list(self, node: SequenceNode, subject: str, declared: frozenset[str]) -> list[tuple[str, int | None, str | None]] | None:
        """The explicit form: each item a name, or {name, duration}."""
        if not node.value:
            self.error(node, f"{subject}: the list of turns is empty")
            return None
        if len(node.value) > MAX_TURNS:
            self.error(node, f"{subject}: at most {MAX_TURNS} turns in a step, not {len(node.value)}")
            return None
        wanted: list[tuple[str, int | None, str | None]] = []
        for number, item in enumerate(node.value, start=1):
            where = f"{subject}: turn {number}"
            role = None
            if isinstance(item, ScalarNode):
                name, duration = self.text(item, f"{where}: name"), None
            else:
                entries = self.mapping(item, where, TURN_KEYS, required=("name",))
                if entries is None:
                    continue
                name = self.text(entries["name"][1], f"{where}: name") if "name" in entries else None
                duration = self.duration(entries["duration"][1], f"{where}: duration") if "duration" in entries else None
                if "duration" in entries and duration is None:
                    continue
                role = self.role_key(entries["role"][1], where, declared) if "role" in entries else None
                if "role" in entries and role is None:
                    continue
            if name is not None:
                wanted.append((name, duration, role))
        return wanted if len(wanted) == len(node.value) else None

    def share(
        self,
        wanted: list[tuple[str, int | None, str | None]],
        duration: int | None,
        where: str,
        duration_node: Node | None,
        turns_node: Node,
    ) -> tuple[Turn, ...] | None:
        """The turns with their durations: their own, or an even share of what the step's duration leaves them.

        When every turn has its own duration and the step gives one too, the two must agree.
        """
        given = sum(seconds for _, seconds, _ in wanted if seconds is not None)
        unset = [number for number, (_, seconds, _) in enumerate(wanted) if seconds is None]
        shares = [seconds or 0 for _, seconds, _ in wanted]
        if not unset:
            if duration is not None and duration_node is not None and duration != given:
                self.error(
                    duration_node,
                    f"{where}: duration {format_duration(duration)} does not agree with its turns, which add up to "
                    f"{format_duration(given)} (give one of the two, or make them agree)",
                )
                return None
        elif duration is None:
            self.error(turns_node, f"{where}: turns: give the step a duration to share between its turns, or each turn its own (each: 5m)")
            return None
        else:
            left = duration - given
            if left < len(unset):
                self.error(
                    duration_node or turns_node,
                    f"{where}: duration {format_duration(duration)} leaves {format_duration(max(left, 0))} "
                    f"for the {len(unset)} turns without a duration of their own",
                )
                return None
            base, extra = divmod(left, len(unset))
            for rank, number in enumerate(unset):
                shares[number] = base + (1 if rank < extra else 0)
        if sum(shares) > MAX_DURATION:
            self.error(turns_node, f"{where}: turns: they add up to more than 24 hours ({format_duration(sum(shares))})")
            return None
        return tuple(Turn(name, seconds, role) for (name, _, role), seconds in zip(wanted, shares))

    def sharing(self, node: Node, where: str) -> str | None:
        """``strict`` or ``shared``: how the turns of a step use its time."""
        word = self.text(node, where)
        if word is not None and word not in TURNS_SHARES:
            self.error(
                node,
                f"{where} must be strict (each turn keeps its own length) or shared (the turns share the step's time), "
                f"not {quoted(word)}",
            )
        return word if word in TURNS_SHARES else None

    def display(self, node: Node, where: str) -> str:
        word = self.text(node, f"{where}: display")
        if word is not None and word not in DISPLAYS:
            self.error(node, f"{where}: display must be countdown, countup or hidden, not {word!r}")
        return word if word in DISPLAYS else "countdown"

    def reminders(self, node: Node, where: str, roles: tuple[Role, ...]) -> tuple[tuple[str, str], ...]:
        entries = self.mapping(node, f"{where}: reminders", ())
        if entries is None:
            return ()
        declared, order = self.role_keys(roles)
        texts: dict[str, str] = {}
        for key, (key_node, value_node) in entries.items():
            if key not in declared:
                self.error(key_node, f"{where}: reminders: {self.undeclared(key, declared)}")
                continue
            subject = f"{where}: reminder for {quoted(key)}"
            if isinstance(value_node, SequenceNode):  # a list of short lines
                lines = [self.text(line, subject) for line in value_node.value]
                text = "\n".join(line for line in lines if line) or None
            else:
                text = self.text(value_node, subject, optional=True)
            if text is not None:
                texts[key] = text
        return tuple(sorted(texts.items(), key=lambda item: order[item[0]]))

    def role_keys(self, roles: tuple[Role, ...]) -> tuple[frozenset[str], dict[str, int]]:
        """The declared role keys, and each one's place: made once, not for every step's reminders
        (a thousand steps and a thousand roles made a million)."""
        if self.declared is None or self.declared[0] is not roles:
            self.declared = (roles, frozenset(role.key for role in roles), {role.key: index for index, role in enumerate(roles)})
        return self.declared[1], self.declared[2]


class _Round(NamedTuple):
    """Who holds which role while a list of steps is read, and what a repeated round adds to titles."""

    cast: tuple[Participant, ...]
    label: str = ""  # " (2/3)" in the second of three rounds
    fill: bool = False  # whether "{client}" in a title, speaker or prompt becomes that role's names


def _block_node(node: Node) -> Node | None:
    """The value of ``repeat`` when ``node`` is a repeated block (``repeat: {times, steps}``), else None."""
    if not isinstance(node, MappingNode):
        return None
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.value == "repeat" and isinstance(value, MappingNode):
            return value
    return None


def _rotated(cast: tuple[Participant, ...], role: str, number: int) -> tuple[Participant, ...]:
    """The cast of round ``number`` (0-based): the role passes along the participants, in their order.

    Round 0 keeps the roles as declared; in each next round the following participant takes ``role``
    and whoever held it takes that participant's own role (so, in a Troika, each is the client once).
    """
    first = next(number for number, person in enumerate(cast) if person.role == role)
    chosen = (first + number) % len(cast)
    given_up = cast[chosen].role
    return tuple(
        Participant(person.name, role if rank == chosen else given_up if person.role == role else person.role)
        for rank, person in enumerate(cast)
    )


@overload
def _filled(text: str, roles: tuple[Role, ...], cast: tuple[Participant, ...]) -> str: ...
@overload
def _filled(text: None, roles: tuple[Role, ...], cast: tuple[Participant, ...]) -> None: ...
@overload
def _filled(text: str | None, roles: tuple[Role, ...], cast: tuple[Participant, ...]) -> str | None: ...


def _filled(text: str | None, roles: tuple[Role, ...], cast: tuple[Participant, ...]) -> str | None:
    """``text`` with each ``{role}`` replaced by the names holding that role in this round."""
    if text is None:
        return None
    declared = {role.key for role in roles}

    def names(match: re.Match[str]) -> str:
        key = match[1]
        return ", ".join(person.name for person in cast if person.role == key) if key in declared else match[0]

    return re.sub(r"\{([^{}\s]+)\}", names, text)
