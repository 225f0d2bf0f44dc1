"""Letter text as HTML: Markdown with raw HTML disabled, so hostile text is shown, never run, and
images shown as their alt text, so no letter makes a reader's browser or our PDF renderer fetch
anything."""

from functools import lru_cache

from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" with html=False: a <script> typed into a letter comes out as the text
    # "<script>"; links keep markdown-it's own URL validation (no javascript: links).
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    parser.add_render_rule("image", _image_as_alt_text)
    return parser


def _image_as_alt_text(renderer, tokens, idx, options, env) -> str:
    # A remote image is a tracking pixel: it would tell a third party who reads a confidential
    # letter, and when. On the pages and in the PDF alike, an image is its description.
    return escapeHtml(renderer.renderInlineAsText(tokens[idx].children or [], options, env))


def render_markdown(text: str) -> str:
    return mark_safe(_parser().render(text or ""))  # noqa: S308 - the parser escapes HTML (html=False)
