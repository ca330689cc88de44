"""The running app takes the controller page's commands (through serve's inbox) as if its keys were pressed."""

from __future__ import annotations

from atelier_timer import control
from atelier_timer.journal import read_journal
from atelier_timer.report import render_markdown

from .conftest import notices, shown


async def test_controller_commands_move_the_session_and_show_on_screen(make, clock, tmp_path) -> None:
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        state = tmp_path / "state"
        session_id = app.journal.session_id
        control.send(state, session_id, {"command": "next"})
        control.send(state, session_id, {"command": "add_minute"})
        for _ in range(5):  # sending wakes the app through its pipe: no poll, no call from the test
            await pilot.pause()
        assert app.session.index == 1 and app.session.durations[1] == 11 * 60
        assert "Présentation" in shown(app.query_one("#title")) and app.status_text().startswith("2/3 · reste 11:00")
        events = [event["type"] for event in read_journal(app.journal.path).events]
        assert events[-2:] == ["step", "adjust"]  # in the journal, by run, in the order sent
        assert any("Télécommande" in message for message in notices(app))
        assert control.take(state, session_id) == []  # nothing left waiting


async def test_notes_from_a_second_note_taker_are_kept_in_order_with_their_author(make, tmp_path) -> None:
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "i", *"ma note", "enter")
        state = tmp_path / "state"
        control.send(state, app.journal.session_id, {"command": "note", "text": "! appeler la salle", "author": "Lou"})
        control.send(state, app.journal.session_id, {"command": "note", "text": "? et le budget #2", "author": "Lou"})
        for _ in range(5):
            await pilot.pause()
        notes = app.session.notes
        assert [(n.text, n.kind, n.author) for n in notes] == [
            ("ma note", "note", None),
            ("appeler la salle", "action", "Lou"),
            ("et le budget #2", "question", "Lou"),
        ]
        assert notes[2].hypotheses == (2,)
        assert "Lou" in shown(app.query_one("#notes"))
        record = read_journal(app.journal.path)
        assert [e["note"].get("author") for e in record.events if e["type"] == "note"] == [None, "Lou", "Lou"]
    markdown = render_markdown(app.session, "fr").replace("\u2068", "").replace("\u2069", "")  # bidi isolates
    assert "appeler la salle (par Lou)" in markdown and "et le budget \\#2 (par Lou)" in markdown


async def test_w_shows_the_links_of_the_server_running_for_the_session(make, tmp_path) -> None:
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")  # no journal yet, no server
        assert any("serve" in message for message in notices(app))
        await pilot.press("space")
        links = {"viewer": "http://127.0.0.1:8000/", "controller": "http://127.0.0.1:8000/control#secret"}
        control.write_links(tmp_path / "state", app.journal.session_id, links)
        await pilot.press("w")
        dialog = "".join(shown(widget).replace("\n", "") for widget in app.screen.query("Static"))
        assert links["viewer"] in dialog and "▀" in dialog
        assert "secret" not in "".join(str(widget.render()) for widget in app.screen.query(".qr-link Static"))
        assert links["controller"] not in dialog  # the room's screen is projected: not without asking
        assert app.screen.query(".qr") and len(app.screen.query(".qr")) == 1
        await pilot.press("c")  # asks first, saying it is secret
        assert "Ne le montrez pas à la salle" in "".join(str(widget.render()) for widget in app.screen.query("Static"))
        await pilot.press("n")
        assert len(app.screen.query(".qr")) == 1  # no: still the viewer's alone
        await pilot.press("c", "y")
        await pilot.pause()
        dialog = "".join(shown(widget).replace("\n", "") for widget in app.screen.query("Static"))
        assert links["controller"] in dialog and len(app.screen.query(".qr")) == 2
        await pilot.press("w")
        assert app.screen.query("#stage")  # closed


HOSTILE = "\x1b]2;pwned\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07hello\u202e"


async def test_text_with_terminal_escapes_shows_as_text_whatever_wrote_it(make, tmp_path) -> None:
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await app.main_screen.mount_later()
        # straight into the session, as a journal written by anything else would bring it
        app.session.add_note(HOSTILE, author="\x1b[31mLou")
        app.main_screen.send_message(HOSTILE)
        for _ in range(3):
            await pilot.pause()
        notes = app.query_one("#notes")
        message = app.screen.query_one("#room-message")
        for widget in (notes, message):
            drawn = "".join(segment.text for y in range(widget.size.height) for segment in widget.render_line(y))
            assert "\x1b" not in drawn and "\x07" not in drawn and "\u202e" not in drawn  # nothing a terminal would obey
        assert "\\x1b]2;pwned" in shown(notes).replace("\n", "") and "\\x1b[31mLou" in shown(notes)


async def test_w_shows_the_participants_link_beside_the_viewers_for_the_room_to_scan(make, tmp_path) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        links = {
            "viewer": "http://127.0.0.1:8000/",
            "controller": "http://127.0.0.1:8000/control#secret",
            "participants": "http://127.0.0.1:8000/vote#forall",
        }
        control.write_links(tmp_path / "state", app.journal.session_id, links)
        await pilot.press("w")
        dialog = "".join(shown(widget).replace("\n", "") for widget in app.screen.query("Static"))
        assert links["participants"] in dialog and "Participants (pour voter)" in dialog
        assert len(app.screen.query(".qr")) == 2 and links["controller"] not in dialog  # the secret one still waits for c
