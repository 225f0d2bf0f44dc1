"""Letter text as HTML: Markdown with raw HTML disabled, so hostile text is shown, never run."""

from functools import lru_cache

from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" with html=False: a <script> typed into a letter comes out as the text
    # "<script>"; links keep markdown-it's own URL validation (no javascript: links).
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> str:
    return mark_safe(_parser().render(text or ""))
