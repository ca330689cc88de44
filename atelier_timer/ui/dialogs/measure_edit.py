"""The measure dialog: a measure's fields to edit, or a new measure's to fill (from the hypotheses pane)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from atelier_timer.measures import DIMENSIONS, FIELDS, MAX_FIELD, STAGES, Measure, label, word_of
from atelier_timer.ui.dialogs import SCREENS_CSS


class MeasureEditScreen(ModalScreen[dict | None]):
    """Each field of the measure on its line; Enter saves what changed (``dismiss(fields)``), Escape cancels.

    The measure's text is required; a dimension or a stage is taken in either language (``utile`` or
    ``useful``) and shown in the screen's.
    """

    CSS_PATH = SCREENS_CSS
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, measure: Measure | None, t) -> None:
        super().__init__()
        self._title, self._measure, self.t = title, measure, t

    def compose(self) -> ComposeResult:
        values = self._measure.fields() if self._measure else {}
        with Vertical(id="dialog", classes="measure") as dialog:
            dialog.border_title, dialog.border_subtitle = self._title, self.t("measures.edit_keys")
            with VerticalScroll(can_focus=False):
                for key in FIELDS:
                    value = values.get(key) or ""
                    if key in ("dimension", "stage"):
                        value = label(value, self.t.lang) if value else ""
                    yield Label(self.t(f"measures.field.{key}"), classes="field-label")
                    yield Input(value, id=f"field-{key}", max_length=MAX_FIELD, classes="field")
            yield Static(id="measure-error")

    def on_mount(self) -> None:
        self.query_one("#field-measure", Input).focus()

    def _error(self, text: str) -> None:
        self.query_one("#measure-error", Static).update(Content.styled(text, "bold $error"))

    @on(Input.Submitted)
    def _save(self) -> None:
        """Enter in any field: the fields checked, then the ones that changed (all, for a new measure)."""
        before = self._measure.fields() if self._measure else {}
        fields: dict[str, str | None] = {}
        for key in FIELDS:
            text = " ".join(self.query_one(f"#field-{key}", Input).value.split()) or None
            if key in ("dimension", "stage") and text is not None:
                word = word_of(text, DIMENSIONS if key == "dimension" else STAGES)
                if word is None:
                    self.query_one(f"#field-{key}", Input).focus()
                    self._error(self.t(f"measures.field.{key}"))
                    return
                text = word
            if self._measure is None or text != before.get(key):
                fields[key] = text
        if not (fields.get("measure") if "measure" in fields else before.get("measure")):
            self.query_one("#field-measure", Input).focus()
            self._error(self.t("measures.field.measure"))
            return
        self.dismiss(fields or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
