"""Render Markdown as GitHub does (cmark-gfm with its extensions) and read the HTML back as a small tree."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser

CMARK_GFM = shutil.which("cmark-gfm") or "/usr/bin/cmark-gfm"
EXTENSIONS = ["-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter"]
ISOLATES = str.maketrans("", "", "\u2068\u2069")


def render(markdown: str) -> str:
    """The HTML GitHub's renderer makes of ``markdown`` (raw HTML left out, as GitHub does)."""
    done = subprocess.run(
        [CMARK_GFM, *EXTENSIONS], input=markdown, capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def text(self, skip: tuple[str, ...] = ()) -> str:
        """The text a reader sees, bidi isolates left out; ``skip``: child tags not counted (a nested list)."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in skip:
                parts.append(child.text(skip))
        return "".join(parts).translate(ISOLATES).strip()

    def raw(self) -> str:
        """The text with its bidi isolates, to check where they are."""
        return "".join(child if isinstance(child, str) else child.raw() for child in self.children)

    def all(self, *tags: str) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if child.tag in tags:
                    found.append(child)
                found += child.all(*tags)
        return found


_VOID = {"br", "hr", "img", "input", "meta", "link"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while len(self.stack) > 1:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def sections(page: Element) -> dict[str, list[Element]]:
    """The top-level elements under each ``h2``, by the heading's text."""
    found: dict[str, list[Element]] = {}
    current = None
    for child in page.children:
        if isinstance(child, Element):
            if child.tag == "h2":
                current = child.text()
                found[current] = []
            elif current is not None:
                found[current].append(child)
    return found
