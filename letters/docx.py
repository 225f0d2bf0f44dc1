"""Word documents in and out: a version as DOCX, and a DOCX's text as the next version's Markdown.

What a DOCX keeps on the way in (docs/api.md says the same): headings (Heading 1 to 6), paragraphs,
bold and italic, bulleted and numbered lists (one level), links, and line breaks inside a
paragraph. A paragraph in Word's Title style is the title. Dropped: tables, images, text boxes,
footnotes, comments, headers and footers, fonts, colours and alignment. A document with tracked
changes is refused, since which text it holds depends on the reviewer's choice: accept or reject
them in Word first. Paragraphs in the styles this module writes for the letterhead, the date,
the addressee and the annex of signatories are left out, so a downloaded version edited in Word
uploads as its text alone.
"""

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import docx
from django.utils.translation import gettext as _
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.hyperlink import Hyperlink
from docx.text.run import Run
from markdown_it import MarkdownIt

from core.errors import ActionError, Invalid
from letters import limits

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Styles of the parts this module adds around the text; an upload leaves them out.
OURS = "Undersigned "
LETTERHEAD, DATELINE, ADDRESSEE, ANNEX = (OURS + part for part in ("Letterhead", "Date", "Addressee", "Annex"))
# A DOCX is a zip: its parts together may not inflate beyond this (a zip bomb is refused unread).
INFLATED_LIMIT = 40 * 1024 * 1024
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}
WORD_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class NotADocx(Invalid):
    code = "not_docx"


class DocxTooLarge(ActionError):
    status = 413
    code = "too_large"


@dataclass
class Document:
    """What a version's document shows; names only those the reader may see (letters.documents)."""

    penholder: str
    addressee: str
    title: str
    body: str
    dateline: str
    language: str
    version: int
    version_hash: str
    public_url: str
    annex_title: str
    annex_names: list[str] = field(default_factory=list)
    annex_note: str = ""


# ---------------------------------------------------------------- out: Markdown to DOCX


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def write(document: Document) -> bytes:
    word = docx.Document()
    _add_styles(word)
    word.core_properties.title = document.title
    word.core_properties.language = document.language
    word.add_paragraph(document.penholder, style=LETTERHEAD)
    word.add_paragraph(document.dateline, style=DATELINE)
    word.add_paragraph(document.addressee, style=ADDRESSEE)
    word.add_paragraph(document.title, style="Title")
    _add_markdown(word, document.body)
    _add_annex(word, document)
    if document.language.split("-")[0].lower() in RIGHT_TO_LEFT:
        _right_to_left(word)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _right_to_left(word) -> None:
    """Every paragraph and run read from right to left, as Word lays out an Arabic letter."""
    for paragraph in word.paragraphs:
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
        for run in paragraph.runs:
            run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def _add_styles(word) -> None:
    for name, size, bold in ((LETTERHEAD, 15, True), (DATELINE, 11, False), (ADDRESSEE, 11, False), (ANNEX, 10, False)):
        style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = word.styles["Normal"]
        style.font.size = Pt(size)
        style.font.bold = bold
        if name == LETTERHEAD:
            style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x68)


def _add_annex(word, document: Document) -> None:
    heading = word.add_paragraph(document.annex_title, style=ANNEX)
    heading.runs[0].bold = True
    heading.paragraph_format.page_break_before = True
    if document.annex_names:
        word.add_paragraph(" · ".join(document.annex_names), style=ANNEX)
    if document.annex_note:
        word.add_paragraph(document.annex_note, style=ANNEX)
    word.add_paragraph(
        f"Version {document.version} · SHA-256 {document.version_hash} · {document.public_url}", style=ANNEX
    )


def _add_markdown(word, markdown: str) -> None:
    """The Markdown's blocks as Word paragraphs, its emphasis and links as runs."""
    lists: list[str] = []
    style = None
    quoted = 0
    for token in _parser().parse(markdown):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append("List Bullet" if kind == "bullet_list_open" else "List Number")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quoted += 1
        elif kind == "blockquote_close":
            quoted -= 1
        elif kind == "heading_open":
            style = f"Heading {min(int(token.tag[1]), 6)}"
        elif kind == "paragraph_open":
            style = lists[-1] if lists else ("Quote" if quoted else None)
        elif kind == "inline":
            _add_inline(word.add_paragraph(style=style), token.children or [])
            style = None
        elif kind in ("fence", "code_block"):
            for line in token.content.rstrip("\n").split("\n"):
                word.add_paragraph(line)


def _add_inline(paragraph, children) -> None:
    bold = italic = 0
    link: str | None = None
    for child in children:
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            bold += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            italic += 1 if kind == "em_open" else -1
        elif kind == "link_open":
            link = str(child.attrs.get("href", ""))
        elif kind == "link_close":
            link = None
        elif kind in ("text", "code_inline", "image"):
            text = child.content if kind != "image" else "".join(c.content for c in child.children or [])
            _add_run(paragraph, text, bold > 0, italic > 0, link)
        elif kind == "softbreak":
            _add_run(paragraph, " ", bold > 0, italic > 0, link)
        elif kind == "hardbreak":
            paragraph.add_run().add_break()


def _add_run(paragraph, text: str, bold: bool, italic: bool, link: str | None) -> None:
    if link is None:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        return
    # python-docx writes no links itself: a w:hyperlink pointing at an external relationship.
    target = paragraph.part.relate_to(link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), target)
    run = Run(OxmlElement("w:r"), paragraph)
    run.text = text
    run.bold, run.italic = bold or None, italic or None
    run.style = paragraph.part.document.styles["Hyperlink"] if _has_style(paragraph, "Hyperlink") else None
    hyperlink.append(run._r)
    paragraph._p.append(hyperlink)


def _has_style(paragraph, name: str) -> bool:
    return any(style.name == name for style in paragraph.part.document.styles)


# ---------------------------------------------------------------- in: DOCX to Markdown


@dataclass
class Imported:
    title: str | None
    body: str


def read(data: bytes) -> Imported:
    """The Markdown of a DOCX's text (and its title, if a paragraph has Word's Title style);
    refuses what is not a Word document, is malformed, holds tracked changes or is too large."""
    refuse_if_too_large(len(data))
    word = _opened(data)
    if word.element.body.find(f".//{{{WORD_NAMESPACE}}}ins") is not None or (
        word.element.body.find(f".//{{{WORD_NAMESPACE}}}del") is not None
    ):
        raise Invalid(
            _("This document holds tracked changes: accept or reject them in Word, then upload it again."),
            code="tracked_changes",
            field="file",
        )
    title = None
    blocks: list[str] = []
    for paragraph in word.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style.startswith(OURS):
            continue
        if style == "Title":
            title = title or paragraph.text.strip() or None
            continue
        block = _block(paragraph, style)
        if block is not None:
            blocks.append(block)
    return Imported(title, _joined(blocks))


def refuse_if_too_large(size: int) -> None:
    if size > limits.DOCX_BYTES:
        raise DocxTooLarge(
            _("A Word document may be at most %(limit)s MB.") % {"limit": limits.DOCX_BYTES // (1024 * 1024)},
            field="file",
        )


def _opened(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > INFLATED_LIMIT:
            raise NotADocx(_("This Word document unpacks to more than a letter can hold."), field="file")
        if "word/document.xml" not in archive.namelist():
            raise zipfile.BadZipFile("no word/document.xml")
        return docx.Document(io.BytesIO(data))
    except NotADocx:
        raise
    except Exception as error:  # any failure to read it means the same to the person
        raise NotADocx(
            _("This file is not a Word document (.docx) that can be read; save it from Word as .docx and try again."),
            field="file",
        ) from error


_LIST = re.compile(r"List (Bullet|Number)|List Paragraph")


def _block(paragraph, style: str) -> str | None:
    text = "".join(_inline(paragraph)).strip()
    if not text:
        return None
    heading = re.fullmatch(r"Heading (\d)", style)
    if heading:
        return "#" * min(int(heading.group(1)), 6) + " " + text
    if _LIST.fullmatch(style) or (paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None):
        return ("1. " if "Number" in style else "- ") + text
    if style in ("Quote", "Intense Quote"):
        return "> " + text
    return _escaped_start(text)


def _inline(paragraph) -> Iterable[str]:
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            label = _escaped("".join(run.text for run in item.runs))
            yield f"[{label}]({item.address})" if item.address else label
        else:
            yield from _run(item)


def _run(run) -> Iterable[str]:
    text = _escaped(run.text).replace("\t", " ")
    # A line break inside a paragraph is Markdown's hard break: two spaces and a line feed.
    text = text.replace("\n", "  \n")
    if not text.strip():
        yield text
        return
    core = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    if run.bold:
        core = f"**{core}**"
    if run.italic:
        core = f"*{core}*"
    yield lead + core + trail


_MARKUP = re.compile(r"([\\`*_\[\]<])")
_BLOCK_START = re.compile(r"^(#{1,6}\s|>|[-+*]\s|\d{1,9}[.)]\s)")


def _escaped(text: str) -> str:
    """Characters that Markdown would read as markup are kept as the characters typed."""
    return _MARKUP.sub(r"\\\1", text)


def _escaped_start(text: str) -> str:
    return "\\" + text if _BLOCK_START.match(text) else text


def _joined(blocks: list[str]) -> str:
    """Paragraphs separated by a blank line; items of one list kept together."""
    out: list[str] = []
    for block in blocks:
        if out and _item_kind(block) and _item_kind(block) == _item_kind(out[-1]):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out) + ("\n" if out else "")


def _item_kind(block: str) -> str | None:
    """The list marker a block's last line starts with, if it is a list item."""
    last_line = block.rsplit("\n", 1)[-1]
    return next((marker for marker in ("- ", "1. ") if last_line.startswith(marker)), None)
