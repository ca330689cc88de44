"""UI strings in French and English, and how the language is chosen."""

from __future__ import annotations

import locale
import os

from atelier_timer.config import LANGUAGES


def choose_language(option: str | None, agenda_language: str | None) -> str:
    """``--lang``, else the agenda's ``language``, else the locale, else French."""
    for candidate in (option, agenda_language):
        if candidate in LANGUAGES:
            return candidate
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "en" if value.lower().startswith("en") else "fr"
    code = (locale.getlocale()[0] or "").lower()
    return "en" if code.startswith("en") else "fr"


class Translator:
    """Looks strings up in a table ``{key: {"fr": ..., "en": ...}}`` and formats them."""

    def __init__(self, table: dict[str, dict[str, str]], lang: str) -> None:
        self.table = table
        self.lang = lang if lang in LANGUAGES else "fr"

    def __call__(self, key: str, **values: object) -> str:
        text = self.table[key][self.lang]
        return text.format(**values) if values else text


UI_STRINGS: dict[str, dict[str, str]] = {
    # what the keys do is said in atelier_timer/keys.py; here the palette's key, the key names, the key bar
    "measures.vote_open": {"fr": "Vote ouvert", "en": "Vote open"},
    "measures.vote_closed": {"fr": "Vote clos", "en": "Vote closed"},
    "measures.voters": {"fr": "{count} navigateur(s) ont voté", "en": "{count} browser(s) voted"},
    "measures.points": {"fr": "utile {useful} · utilisable {usable}", "en": "useful {useful} · usable {usable}"},
    "measures.keys": {
        "fr": "1 garder 2 retravailler 3 abandonner 0 effacer · e modifier · a ajouter",
        "en": "1 keep 2 rework 3 drop 0 clear · e edit · a add",
    },
    "measures.keys_empty": {"fr": "a : ajouter une mesure (ou une note « #+ texte »)", "en": "a: add a measure (or a note '#+ text')"},
    "measures.edit_title": {"fr": "Mesure #{number}", "en": "Measure #{number}"},
    "measures.add_title": {"fr": "Nouvelle mesure", "en": "New measure"},
    "measures.edit_keys": {
        "fr": "Entrée : enregistrer · Échap : annuler · Tab : champ suivant",
        "en": "Enter: save · Escape: cancel · Tab: next field",
    },
    "measures.field.measure": {"fr": "Mesure (ce qui est compté)", "en": "Measure (what is counted)"},
    "measures.field.for": {"fr": "Pour qui", "en": "For whom"},
    "measures.field.dimension": {
        "fr": "Dimension : utilisable, utilisé, utile, impactant, efficient",
        "en": "Dimension: usable, used, useful, impactful, efficient",
    },
    "measures.field.stage": {
        "fr": "Étape AARRI : acquisition, activation, rétention, recommandation, impact",
        "en": "AARRI stage: acquisition, activation, retention, referral, impact",
    },
    "measures.field.source": {"fr": "Source (page /stats)", "en": "Source (stats page)"},
    "measures.field.frequency": {"fr": "Fréquence", "en": "Frequency"},
    "measures.field.baseline": {"fr": "Valeur de départ", "en": "Baseline"},
    "measures.field.target": {"fr": "Cible", "en": "Target"},
    "measures.refused": {"fr": "Refusé : {error}", "en": "Refused: {error}"},
    "vote.opened": {"fr": "Vote ouvert : la salle répartit ses points.", "en": "The vote is open: the room shares out its points."},
    "vote.closed": {"fr": "Vote clos.", "en": "The vote is closed."},
    "key.palette": {"fr": "Palette de commandes : thème, capture d'écran…", "en": "Command palette: theme, screenshot…"},
    "keyname.space": {"fr": "espace", "en": "space"},
    "keyname.enter": {"fr": "Entrée", "en": "Enter"},
    "keyname.pagedown": {"fr": "PgSuiv", "en": "PgDn"},
    "keyname.pageup": {"fr": "PgPréc", "en": "PgUp"},
    "short.toggle": {"fr": "Go/pause", "en": "Go/pause"},
    "short.next": {"fr": "Suiv.", "en": "Next"},
    "short.previous": {"fr": "Préc.", "en": "Prev."},
    "short.note": {"fr": "Note", "en": "Note"},
    "short.present": {"fr": "Présenter", "en": "Present"},
    "short.present_off": {"fr": "Fin présentation", "en": "End presentation"},
    "short.help": {"fr": "Aide", "en": "Help"},
    "short.quit": {"fr": "Quitter", "en": "Quit"},
    "short.palette": {"fr": "Commandes", "en": "Commands"},
    # the command palette, Textual's own commands included
    "command.search": {"fr": "Chercher une commande…", "en": "Search for commands…"},
    "command.no_matches": {"fr": "Aucune commande ne correspond", "en": "No matches found"},
    "command.theme": {"fr": "Thème", "en": "Theme"},
    "command.theme.help": {
        "fr": "Changer les couleurs : sombre, clair (salle éclairée), contraste élevé",
        "en": "Change the colours: dark, light (a bright room), high contrast",
    },
    "command.theme.search": {"fr": "Chercher un thème…", "en": "Search for themes…"},
    "command.screenshot": {"fr": "Capture d'écran", "en": "Screenshot"},
    "command.screenshot.help": {
        "fr": "Enregistrer une image de l'écran dans le dossier des notes",
        "en": "Save a picture of the screen in the notes folder",
    },
    "theme.dark": {"fr": "Sombre", "en": "Dark"},
    "theme.light": {"fr": "Clair", "en": "Light"},
    "theme.contrast": {"fr": "Contraste élevé", "en": "High contrast"},
    "screenshot_saved": {"fr": "Capture enregistrée : {path}", "en": "Screenshot saved: {path}"},
    "screenshot_failed": {"fr": "Capture impossible : {error}", "en": "Screenshot failed: {error}"},
    "config_failed": {"fr": "Réglages impossibles à enregistrer : {error}", "en": "Cannot save the settings: {error}"},
    # the screen
    "waiting_start": {"fr": "Début à {start} — dans {countdown}", "en": "Starts at {start} — in {countdown}"},
    "adjust.more": {"fr": "+1 min → {countdown}", "en": "+1 min → {countdown}"},
    "adjust.less": {"fr": "−1 min → {countdown}", "en": "−1 min → {countdown}"},
    "adjust.overtime": {
        "fr": "−1 min → {countdown} : l'étape est en dépassement",
        "en": "−1 min → {countdown}: the step is over time",
    },
    "adjust.turn_over": {
        "fr": "−1 min → {countdown} : le tour est en dépassement",
        "en": "−1 min → {countdown}: the turn is over time",
    },
    "late.title": {"fr": "Démarrage en retard", "en": "Late start"},
    "late.body": {
        "fr": "Démarrée {late} après le début du créneau ({start}) : fin projetée {projected}, prévue {planned} ({drift}).",
        "en": "Started {late} after the slot's start ({start}): projected end {projected}, planned {planned} ({drift}).",
    },
    "press_space": {"fr": "Appuyez sur espace pour démarrer", "en": "Press space to start"},
    "paused": {"fr": "En pause : espace pour reprendre", "en": "Paused: press space to resume"},
    "finished": {"fr": "Session terminée", "en": "Session finished"},
    "overtime": {"fr": "Temps dépassé", "en": "Overtime"},
    "next": {"fr": "Ensuite", "en": "Next"},
    "turn_line": {"fr": "Tour {number}/{count} · étape : {where}", "en": "Turn {number}/{count} · step: {where}"},
    "turns_each": {"fr": "ensuite {time} chacun", "en": "then {time} each"},
    "turn_then": {"fr": "ensuite {time}", "en": "then {time}"},
    "last_step": {"fr": "Dernière étape · fin projetée à {end}", "en": "Last step · projected end at {end}"},
    "closed": {"fr": "Session fermée par l'animation à {time}", "en": "Session closed by the facilitator at {time}"},
    "end.duration": {
        "fr": "Durée réelle {actual} · prévue {planned}",
        "en": "Took {actual} · planned {planned}",
    },
    "end.times": {"fr": "Commencée à {start}, finie à {end}", "en": "Started at {start}, finished at {end}"},
    "end.planned": {"fr": "Fin prévue à {planned} ({drift})", "en": "Planned end {planned} ({drift})"},
    "end.record": {"fr": "Compte rendu :", "en": "Record:"},
    "end.keys": {"fr": "p : rouvrir la dernière étape · q : quitter", "en": "p: reopen the last step · q: quit"},
    "end.keys.viewer": {"fr": "q : fermer", "en": "q: close"},
    "agenda": {"fr": "Déroulé", "en": "Agenda"},
    "notes": {"fr": "Notes", "en": "Notes"},
    "no_notes": {
        "fr": "i : écrire une note. « ! » action, « * » apprentissage, « ? » question, #2 : hypothèse 2",
        "en": "i: write a note. '! ' action, '* ' learning, '? ' question, #2: hypothesis 2",
    },
    "message_placeholder": {
        "fr": "Message à la salle · ! devant : clignote · @2m à la fin : 2 minutes · Entrée : afficher · Échap",
        "en": "Message to the room · ! first: flashes · @2m last: 2 minutes · Enter: show · Escape",
    },
    "messages.title": {"fr": "Messages prêts", "en": "Ready-made messages"},
    "messages.keys": {"fr": "Entrée : afficher · Échap : fermer", "en": "Enter: show · Escape: close"},
    "messages.none": {
        "fr": "L'agenda n'a pas de messages prêts (messages: [On conclut, Pause]).",
        "en": "The agenda has no ready-made messages (messages: [Wrapping up, Break]).",
    },
    "note_placeholder": {
        "fr": "Écrire une note (i)",
        "en": "Write a note (i)",
    },
    "status": {
        "fr": "{n}/{m} · {where} · écoulé {elapsed} · prévue {planned} · projetée {projected} ({drift})",
        "en": "{n}/{m} · {where} · elapsed {elapsed} · planned {planned} · projected {projected} ({drift})",
    },
    "status.left": {"fr": "reste", "en": "left"},
    "status.over": {"fr": "dépassé", "en": "over"},
    "status.hidden": {"fr": "temps masqué", "en": "time hidden"},
    "state.ready": {"fr": "prêt", "en": "ready"},
    "state.running": {"fr": "en cours", "en": "running"},
    "state.paused": {"fr": "en pause", "en": "paused"},
    "state.finished": {"fr": "terminé", "en": "finished"},
    "kind.note": {"fr": "note", "en": "note"},
    "kind.action": {"fr": "action", "en": "action"},
    "kind.learning": {"fr": "apprentissage", "en": "learning"},
    "kind.question": {"fr": "question", "en": "question"},
    "hypotheses": {"fr": "Hypothèses de mesure d'impact", "en": "Impact-measure hypotheses"},
    "no_hypotheses": {"fr": "Cet agenda ne liste pas d'hypothèses.", "en": "This agenda lists no hypotheses."},
    "help.title": {"fr": "Touches", "en": "Keys"},
    "help.close": {"fr": "Échap ou {keys} pour fermer", "en": "Escape or {keys} to close"},
    "quit.title": {"fr": "Quitter la session ?", "en": "Quit the session?"},
    "quit.body": {
        # no « » around the command: Textual wraps at no-break spaces too, and left « at a line's end
        "fr": "Les notes seront exportées.\nLa session se reprend avec atelier-timer resume",
        "en": "The notes will be exported.\nThe session resumes with atelier-timer resume",
    },
    "unwritten.title": {"fr": "Des notes ne sont pas encore enregistrées", "en": "Some notes are not recorded yet"},
    "unwritten.body": {
        "fr": "{notes} note(s) ({count} événement(s)) n'ont pu être écrites nulle part : {error}.\n"
        "Réessayer, les enregistrer dans un autre dossier, ou quitter sans elles (une copie de secours est tentée).",
        "en": "{notes} note(s) ({count} event(s)) could not be written anywhere: {error}.\n"
        "Retry, save them to another folder, or quit without them (an emergency copy is tried).",
    },
    "unwritten.keys": {
        "fr": "r : réessayer · s : autre dossier (puis Entrée) · l : quitter et les perdre · Échap : rester",
        "en": "r: retry · s: another folder (then Enter) · l: quit and lose them · Escape: stay",
    },
    "unwritten.save_failed": {"fr": "{folder} : enregistrement impossible ({error})", "en": "{folder}: cannot save there ({error})"},
    "confirm.keys": {"fr": "o / y / Entrée : oui · n / Échap : non", "en": "y / Enter: yes · n / Escape: no"},
    "rebalance.title": {"fr": "Rééquilibrer les étapes à venir", "en": "Rebalance the coming steps"},
    "rebalance.behind": {"fr": "La session a {minutes} de retard.", "en": "The session is {minutes} behind."},
    "rebalance.ahead": {"fr": "La session a {minutes} d'avance.", "en": "The session is {minutes} ahead."},
    "rebalance.on_time": {"fr": "La session est à l'heure : rien à changer.", "en": "The session is on time: nothing to change."},
    "rebalance.nothing": {
        "fr": "Aucune étape à venir ne peut changer (dernière étape, ou étapes protégées).",
        "en": "No coming step can change (last step, or protected steps).",
    },
    "rebalance.at_floor": {
        "fr": "Les étapes à venir sont déjà à leur minimum d'une minute.",
        "en": "The coming steps are already at their one-minute minimum.",
    },
    "rebalance.new_end": {"fr": "Nouvelle fin projetée : {end}", "en": "New projected end: {end}"},
    "rebalance.overrun": {
        "fr": "Même ainsi, la session dépassera de {time}.",
        "en": "Even so, the session will overrun by {time}.",
    },
    "rebalance.protected": {"fr": "protégée", "en": "protected"},
    "message.keys": {"fr": "Entrée / Échap : fermer", "en": "Enter / Escape: close"},
    "rebalance.done": {"fr": "Étapes rééquilibrées", "en": "Steps rebalanced"},
    "sleep.title": {"fr": "L'ordinateur s'est mis en veille", "en": "The computer was asleep"},
    "sleep.body": {
        "fr": "Veille de {time} pendant l'étape « {step} ». La compter comme temps écoulé (la salle a continué) ou comme une pause ?",
        "en": "Asleep for {time} during step '{step}'. Count it as elapsed time (the room went on) or as a pause?",
    },
    "sleep.keys": {"fr": "Entrée / e : écoulé · p : pause", "en": "Enter / e: elapsed · p: pause"},
    "sleep.counted": {"fr": "Veille comptée comme temps écoulé", "en": "Sleep counted as elapsed time"},
    "sleep.paused": {"fr": "Veille comptée comme une pause", "en": "Sleep counted as a pause"},
    "resumed": {
        "fr": "Session reprise. Programme absent {time}{counted}.",
        "en": "Session resumed. The program was away {time}{counted}.",
    },
    "resumed.counted": {"fr": " (compté comme écoulé)", "en": " (counted as elapsed)"},
    "quit.record_in": {"fr": "Compte rendu de la session : {path}", "en": "The session's record: {path}"},
    "serve.banner": {"fr": "Session {what} ({title}) servie sur {url}", "en": "Serving {what} ({title}) on {url}"},
    "serve.about_to_start": {"fr": "qui va commencer", "en": "the session about to start"},
    "serve.viewer": {"fr": "Lien des spectateurs (lecture seule, à partager) : {url}", "en": "Viewer link (read-only, share it): {url}"},
    "serve.controller": {
        "fr": "Lien de la télécommande (secret : il pilote le minuteur) : {url}",
        "en": "Controller link (secret: it drives the timer): {url}",
    },
    "serve.participants": {
        "fr": "Lien des participants (pour voter et poser ses questions depuis un téléphone) : {url}",
        "en": "Participants' link (to vote and ask questions from a phone): {url}",
    },
    "serve.stop": {"fr": "Ctrl+C arrête le serveur.", "en": "Ctrl+C stops the server."},
    "serve.interrupted": {
        "fr": "Le programme du minuteur s'est arrêté : en attente de « atelier-timer resume » (mêmes liens).",
        "en": "The timer's program stopped: waiting for 'atelier-timer resume' (same links).",
    },
    "serve.back": {"fr": "La session est de retour.", "en": "The session is back."},
    "serve.ended": {"fr": "La session est terminée : les pages sont fermées.", "en": "The session has ended: the pages are closed."},
    "journal_damaged": {
        "fr": "Session reprise, journal abîmé (arrêt brutal ?) : lignes illisibles mises de côté, le reste est repris. "
        "Détails dans le terminal.",
        "en": "Session resumed, damaged journal (a crash?): unreadable lines set aside, the rest restored. Details in the terminal.",
    },
    "recording.failed": {
        "fr": "⚠ Enregistrement impossible ({error}) : {count} événement(s) en attente, gardés en mémoire et écrits dès que possible ; "
        "« q » exporte quand même les notes.",
        "en": "⚠ Cannot record ({error}): {count} event(s) waiting, kept in memory and written as soon as possible; "
        "'q' still exports the notes.",
    },
    "recording.recreated": {
        "fr": "Le journal de la session avait été supprimé : il est réécrit en entier ({path}).",
        "en": "The session journal had been deleted: it is written again in full ({path}).",
    },
    "follow.stopped": {
        "fr": "⚠ Le minuteur ne tourne plus (son programme s'est arrêté à {time}) : affichage figé.",
        "en": "⚠ The timer is no longer running (its program stopped at {time}): view frozen.",
    },
    "follow.deleted": {
        "fr": "⚠ Le journal de la session a été supprimé : affichage figé.",
        "en": "⚠ The session journal was deleted: view frozen.",
    },
    "exported": {"fr": "Notes exportées : {path}", "en": "Notes exported: {path}"},
    "export_failed": {"fr": "Export impossible : {error}", "en": "Export failed: {error}"},
    "no_audio_device": {
        "fr": "Aucune sortie audio ne répond : la cloche du terminal sonne à la place.",
        "en": "No audio device answers: the terminal bell rings instead.",
    },
    "nothing_to_export": {"fr": "Rien à exporter : la session n'a pas commencé.", "en": "Nothing to export: the session has not started."},
    "read_only": {"fr": "Vue en lecture seule : q pour fermer", "en": "Read-only view: q to close"},
    "waiting": {"fr": "En attente de la session…", "en": "Waiting for the session…"},
    # the room's web pages (serve): the viewer and the controller
    "roti.opened": {"fr": "ROTI ouvert sur la page des participants", "en": "ROTI open on the participants' page"},
    "roti.closed_now": {"fr": "ROTI clos : {count} vote(s) ; R les montre", "en": "ROTI closed: {count} vote(s); R shows them"},
    "roti.not_yet": {"fr": "Pas de ROTI ouvert : r l'ouvre", "en": "No ROTI open yet: r opens it"},
    "questions.title": {"fr": "Questions du public : {count} en attente", "en": "The audience's questions: {count} waiting"},
    "questions.none": {"fr": "Aucune question pour l'instant.", "en": "No question yet."},
    "questions.keys": {
        "fr": "Entrée/s montrer à la salle · a répondue · x écarter · Échap fermer",
        "en": "Enter/s show to the room · a answered · x drop · Escape close",
    },
    "questions.status.waiting": {"fr": "en attente", "en": "waiting"},
    "questions.status.shown": {"fr": "à l'écran", "en": "on screen"},
    "questions.status.answered": {"fr": "répondue", "en": "answered"},
    "questions.status.dropped": {"fr": "écartée", "en": "dropped"},
    "questions.new": {"fr": "Question du public : {count} en attente (a)", "en": "A question from the audience: {count} waiting (a)"},
    "roti.open": {"fr": "ROTI ouvert : {count} vote(s)", "en": "ROTI open: {count} vote(s)"},
    "roti.closed": {"fr": "ROTI clos : {count} vote(s)", "en": "ROTI closed: {count} vote(s)"},
    "roti.mean": {"fr": "ROTI · moyenne {mean} / 5 · {count} vote(s)", "en": "ROTI · mean {mean} / 5 · {count} vote(s)"},
    "remote.did": {"fr": "Télécommande : {action}", "en": "Controller: {action}"},
    "remote.set_aside": {
        "fr": "Télécommande : un fichier qui n'est pas une commande a été mis de côté : {path}",
        "en": "Controller: a file that is not a command was set aside: {path}",
    },
    "links.title": {"fr": "Les pages de la salle (atelier-timer serve)", "en": "The room's pages (atelier-timer serve)"},
    "links.viewer": {"fr": "Spectateurs (à partager)", "en": "Viewers (share it)"},
    "links.participants": {"fr": "Participants (pour voter)", "en": "Participants (to vote)"},
    "links.controller": {"fr": "Télécommande (secret)", "en": "Controller (secret)"},
    "links.close": {
        "fr": "c : lien de la télécommande (secret) · Échap ou w : fermer",
        "en": "c: the controller's link (secret) · Escape or w: close",
    },
    "links.secret.title": {"fr": "Montrer le lien secret de la télécommande ?", "en": "Show the controller's secret link?"},
    "links.secret.body": {
        "fr": "Qui scanne ce QR code pilote le minuteur et écrit dans les notes. Ne le montrez pas à la salle : "
        "seulement sur votre propre écran (serve l'affiche aussi dans son terminal).",
        "en": "Whoever scans this QR code drives the timer and writes notes. Do not show it to the room: "
        "only on your own screen (serve prints it in its terminal too).",
    },
    "links.none": {
        "fr": "Aucun serveur pour cette session : lancez « atelier-timer serve » à côté.",
        "en": "No server for this session: start 'atelier-timer serve' beside it.",
    },
    "web.step": {"fr": "Étape", "en": "Step"},
    "web.next": {"fr": "Ensuite :", "en": "Next:"},
    "web.last_step": {"fr": "Dernière étape", "en": "Last step"},
    "web.paused": {"fr": "En pause", "en": "Paused"},
    "web.ready": {"fr": "Pas encore commencé", "en": "Not started yet"},
    "web.finished": {"fr": "Session terminée", "en": "Session finished"},
    "web.ended": {"fr": "La session est close.", "en": "The session has closed."},
    "web.hidden": {"fr": "—", "en": "—"},
    "web.sound": {"fr": "🔔 Activer le son", "en": "🔔 Turn the sound on"},
    "web.reconnecting": {"fr": "Reconnexion…", "en": "Reconnecting…"},
    "web.resuming": {"fr": "La session reprend…", "en": "The session is resuming…"},
    "web.start": {"fr": "▶ Démarrer", "en": "▶ Start"},
    "web.pause": {"fr": "⏸ Pause", "en": "⏸ Pause"},
    "web.resume": {"fr": "▶ Reprendre", "en": "▶ Resume"},
    "web.turn": {"fr": "Tour", "en": "Turn"},
    "web.step_left": {"fr": "étape : reste", "en": "step: left"},
    "web.step_over": {"fr": "étape : dépassé", "en": "step: over"},
    "web.previous": {"fr": "◀ Précédente", "en": "◀ Previous"},
    "web.next_step": {"fr": "Suivante ▶", "en": "Next ▶"},
    "web.previous_turn": {"fr": "◀ Tour précédent", "en": "◀ Previous turn"},
    "web.next_turn": {"fr": "Tour suivant ▶", "en": "Next turn ▶"},
    "web.roti_open": {"fr": "ROTI ouvert · votes :", "en": "ROTI open · votes:"},
    "web.roti_closed": {"fr": "ROTI clos · votes :", "en": "ROTI closed · votes:"},
    "web.roti_mean": {"fr": "moyenne", "en": "mean"},
    "web.roti_votes": {"fr": "vote(s)", "en": "vote(s)"},
    "web.add_minute": {"fr": "+1 min", "en": "+1 min"},
    "web.remove_minute": {"fr": "−1 min", "en": "−1 min"},
    "web.hide": {"fr": "Masquer / montrer", "en": "Hide / show"},
    "web.message": {"fr": "Message à la salle", "en": "Message to the room"},
    "web.send": {"fr": "Afficher", "en": "Show"},
    "web.clear": {"fr": "Effacer", "en": "Clear"},
    "web.note": {"fr": "Noter", "en": "Note"},
    "web.author": {"fr": "Votre nom", "en": "Your name"},
    "web.note_hint": {
        "fr": "Note : ! action, * apprentissage, ? question, #N hypothèse",
        "en": "Note: ! action, * learning, ? question, #N hypothesis",
    },
    "web.sent": {"fr": "Fait.", "en": "Done."},
    "web.refused": {"fr": "Refusé", "en": "Refused"},
    "web.no_token": {
        "fr": "Lien de télécommande incomplet : utilisez le lien secret que « serve » affiche.",
        "en": "Incomplete controller link: use the secret link that 'serve' prints.",
    },
    "web.measures": {"fr": "Mesures d'impact", "en": "Impact measures"},
    "web.vote_waiting": {
        "fr": "Le vote n'est pas ouvert : l'animation l'ouvrira.",
        "en": "The vote is not open: the facilitator will open it.",
    },
    "web.vote_open": {"fr": "Vote ouvert : répartissez vos points.", "en": "The vote is open: share out your points."},
    "web.vote_closed": {"fr": "Vote clos.", "en": "The vote is closed."},
    "web.vote_is_open": {"fr": "Vote ouvert", "en": "Vote open"},
    "web.vote_is_closed": {"fr": "Vote clos", "en": "Vote closed"},
    "web.points_left": {"fr": "{criterion} : {points} points restants", "en": "{criterion}: {points} points left"},
    "web.useful": {"fr": "Utile", "en": "Useful"},
    "web.usable": {"fr": "Utilisable", "en": "Usable"},
    "web.voters": {"fr": "navigateurs ont voté", "en": "browsers voted"},
    "web.vote_toggle": {"fr": "Ouvrir / clore le vote", "en": "Open / close the vote"},
    "web.tally_toggle": {"fr": "Montrer / cacher le résultat", "en": "Show / hide the tally"},
    "web.keep": {"fr": "garder", "en": "keep"},
    "web.rework": {"fr": "retravailler", "en": "rework"},
    "web.drop": {"fr": "abandonner", "en": "drop"},
    "web.ask_title": {"fr": "Une question ?", "en": "A question?"},
    "web.ask_name": {"fr": "Votre nom (facultatif)", "en": "Your name (optional)"},
    "web.ask_text": {"fr": "Votre question", "en": "Your question"},
    "web.ask_send": {"fr": "Envoyer", "en": "Send"},
    "web.ask_sent": {
        "fr": "Question envoyée, merci.",
        "en": "Question sent, thank you.",
    },
    "web.ask_hint": {
        "fr": "L'animation choisit les questions montrées à la salle ; une question toutes les 20 secondes.",
        "en": "The facilitator picks the questions shown to the room; one question every 20 seconds.",
    },
    "web.roti_title": {
        "fr": "ROTI : ce temps valait-il le vôtre ? (1 : perdu, 5 : excellent)",
        "en": "ROTI: was this worth your time? (1: wasted, 5: excellent)",
    },
    "web.roti_thanks": {"fr": "Merci : votre vote est compté.", "en": "Thank you: your vote is counted."},
    "web.questions_title": {"fr": "Questions du public", "en": "The audience's questions"},
    "web.questions_none": {"fr": "Aucune question pour l'instant.", "en": "No question yet."},
    "web.show": {"fr": "Montrer", "en": "Show"},
    "web.answered": {"fr": "Répondue", "en": "Answered"},
    "web.dropped": {"fr": "Écarter", "en": "Drop"},
    "web.roti_toggle": {"fr": "Ouvrir / clore le ROTI", "en": "Open / close the ROTI"},
    "web.roti_reveal": {"fr": "Montrer / cacher les votes du ROTI", "en": "Show / hide the ROTI's votes"},
    "web.status_waiting": {"fr": "en attente", "en": "waiting"},
    "web.status_shown": {"fr": "à l'écran", "en": "on screen"},
    "web.no_participant_token": {
        "fr": "Lien incomplet : utilisez le lien des participants que « serve » affiche.",
        "en": "Incomplete link: use the participants' link that 'serve' prints.",
    },
    # the command line (plan, new, import, stats), in the agenda's language
    "post.what": {
        "fr": "Le compte rendu {path} ({chars} caractères, {size}) ira au webhook Mattermost {where}",
        "en": "The record {path} ({chars} characters, {size}) would go to the Mattermost webhook {where}",
    },
    "post.long": {
        "fr": "Il dépasse les {limit} caractères d'un message Mattermost : le serveur peut le couper.",
        "en": "It is longer than a Mattermost post's {limit} characters: the server may cut it.",
    },
    "post.ask": {"fr": "L'envoyer ? [o/N] ", "en": "Send it? [y/N] "},
    "post.declined": {"fr": "Non envoyé (le compte rendu reste dans son fichier).", "en": "Not sent (the record stays in its file)."},
    "post.sent": {"fr": "Envoyé au webhook Mattermost ({where})", "en": "Sent to the Mattermost webhook ({where})"},
    "post.failed": {
        "fr": "Non envoyé : {error} ; le compte rendu reste dans {path}",
        "en": "Not sent: {error}; the record stays in {path}",
    },
    "post.error.status": {"fr": "le webhook a répondu {status}", "en": "the webhook answered {status}"},
    "post.error.timeout": {"fr": "le webhook n'a pas répondu en {seconds} s", "en": "the webhook did not answer within {seconds} s"},
    "post.error.unreachable": {"fr": "le webhook est injoignable ({reason})", "en": "the webhook could not be reached ({reason})"},
    "post.bad": {
        "fr": "le webhook de {config} n'est pas une adresse http(s) : {value!r}",
        "en": "the webhook in {config} is not an http(s) address: {value!r}",
    },
    "post.none": {
        "fr": "aucun webhook dans {config} : ajoutez une ligne « webhook: https://… » (l'adresse de votre webhook entrant Mattermost)",
        "en": "no webhook in {config}: add a line 'webhook: https://…' (the address of your Mattermost incoming webhook)",
    },
    "cli.plan.start": {"fr": "Début", "en": "Start"},
    "cli.plan.end": {"fr": "Fin", "en": "End"},
    "cli.plan.duration": {"fr": "Durée", "en": "Duration"},
    "cli.plan.step": {"fr": "Étape", "en": "Step"},
    "cli.plan.speaker": {"fr": "Intervenant·e", "en": "Speaker"},
    "cli.plan.total": {"fr": "Total", "en": "Total"},
    "cli.plan.overruns": {"fr": "L'agenda dépasse le créneau {slot} de {time}.", "en": "The agenda overruns the slot {slot} by {time}."},
    "cli.plan.leaves": {
        "fr": "L'agenda laisse {time} libres dans le créneau {slot}.",
        "en": "The agenda leaves {time} free in the slot {slot}.",
    },
    "cli.plan.fills": {"fr": "L'agenda remplit exactement le créneau {slot}.", "en": "The agenda fills the slot {slot} exactly."},
    "cli.new.wrote": {
        "fr": "{path} écrit (une copie de {source}) ; modifiez-le, puis : {prog} check {path}",
        "en": "wrote {path} (a copy of {source}); edit it, then: {prog} check {path}",
    },
    "cli.import.wrote": {
        "fr": "{path} écrit : {steps}, {total} ; voyez-le avec `{prog} plan {path}`, lancez-le avec `{prog} {path}`",
        "en": "wrote {path}: {steps}, {total}; see it with `{prog} plan {path}`, run it with `{prog} {path}`",
    },
    "cli.step": {"fr": "{count} étape", "en": "{count} step"},
    "cli.steps": {"fr": "{count} étapes", "en": "{count} steps"},
    "cli.exists": {
        "fr": "{path} : existe déjà ; pas écrasé (choisissez un autre nom)",
        "en": "{path}: already exists; not overwritten (choose another name)",
    },
    "cli.exists.import": {
        "fr": "{path} : existe déjà ; pas écrasé (choisissez un autre nom avec -o)",
        "en": "{path}: already exists; not overwritten (choose another name with -o)",
    },
    "cli.no_directory": {"fr": "{path} : le dossier {folder} n'existe pas", "en": "{path}: the directory {folder} does not exist"},
    "cli.cannot_write": {"fr": "{path} : écriture impossible : {error}", "en": "{path}: cannot write: {error}"},
    "cli.stats.suggest_needs": {
        "fr": "erreur : --suggest demande un AGENDA de départ",
        "en": "error: --suggest needs an AGENDA to start from",
    },
    "cli.stats.wrote": {
        "fr": "{path} écrit : durées tirées des médianes de {sessions} session(s) terminée(s) ; vérifiez-le : {prog} check {path}",
        "en": "wrote {path}: durations from the medians of {sessions} finished session(s); check it: {prog} check {path}",
    },
    "cli.stats.few": {
        "fr": "attention : {sessions} session(s) terminée(s) seulement, trop peu pour qu'une médiane dise grand-chose ; "
        "fiez-vous-y à partir de {few}",
        "en": "warning: only {sessions} finished session(s): too few for a median to mean much; trust it after {few} or more",
    },
    "cli.stats.of": {"fr": " de « {title} »", "en": " of '{title}'"},
    "cli.stats.none": {"fr": "aucune session terminée{about} dans {folder}", "en": "no finished session{about} in {folder}"},
}
