"""The contact sheet read back as a browser shows it: text with entities decoded, images, table rows."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Section:
    """One ``<section>``: a sample's card, or the metrics."""

    heading: str = ""
    text: str = ""
    images: list[dict[str, str]] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Page:
    sections: list[Section] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    """Every ``src`` and ``href``: what a browser would load or open."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._section: Section | None = None
        self._open: list[str] = []  # h2, figcaption, td, th: where text is being collected
        self._buffer = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.page.tags.add(tag)
        self.page.links.extend(values[name] for name in ("src", "href") if name in values)
        if tag == "section":
            self._section = Section()
            self.page.sections.append(self._section)
        elif self._section is None:
            return
        elif tag == "img":
            self._section.images.append(values)
        elif tag == "tr":
            self._section.rows.append([])
        elif tag in ("h2", "figcaption", "td", "th"):
            self._open.append(tag)
            self._buffer = ""
        elif tag == "br" and self._open:
            self._buffer += " "

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = None
        elif self._section is not None and self._open and tag == self._open[-1]:
            self._open.pop()
            text = " ".join(self._buffer.split())
            if tag == "h2":
                self._section.heading = text
            elif tag == "figcaption":
                self._section.captions.append(text)
            else:
                self._section.rows[-1].append(text)

    def handle_data(self, data: str) -> None:
        if self._section is not None:
            self._section.text += data
            if self._open:
                self._buffer += data


def read_page(source: str) -> Page:
    reader = _Reader()
    reader.feed(source)
    reader.close()
    return reader.page
