"""Uploaded report files (PDF or DOCX): checked to be what they say, hashed, kept by their
SHA-256 through Django's storage API, and their text extracted for search and diffs.

A file is read in chunks, never whole: up to 50 MB may come, and the server's memory must not
grow with the file (bench/report_upload.py measures it). Django's upload handlers have already
put a large upload in a temporary file, so the hash is one pass over it and the storage another;
the name in storage is the hash, which is known only once the whole file is read.
"""

import hashlib
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile
from typing import NamedTuple
from xml.etree import ElementTree

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from core.errors import ActionError, Invalid
from reports import limits

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {".pdf": PDF, ".docx": DOCX}
CHUNK = 64 * 1024
# Text extracted from a file is bounded like a body typed here; a zip that inflates beyond this
# is not read further.
MAX_TEXT = limits.BODY
MAX_XML_BYTES = 100 * 1024 * 1024  # of a DOCX's word/document.xml, inflated
PDF_TEXT_SECONDS = 60
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class TooLarge(ActionError):
    status = 413
    code = "too_large"


class StoredFile(NamedTuple):
    sha256: str
    name: str
    media_type: str
    size: int
    text: str


def storage_name(sha256: str) -> str:
    return f"reports/{sha256[:2]}/{sha256}"


def store_upload(upload, field: str = "file") -> StoredFile:
    """Check, hash and keep an uploaded file (a Django UploadedFile or any file object with
    ``name``, ``size``, ``chunks()`` and ``content_type``); refuse one that is too large,
    empty, of another type than PDF or DOCX, or whose content is not what its name says."""
    name = _clean_file_name(getattr(upload, "name", "") or "", field)
    declared = _declared_type(name, getattr(upload, "content_type", None), field)
    digest, size, head = _hash_chunks(upload, field)
    _check_content(upload, head, declared, field)
    sha256 = digest.hexdigest()
    # Bytes already kept are not written again. That holds only because no stored file is ever
    # deleted, not even one that a cancelled confirmation or a refused action left behind:
    # docs/reports.md ("Files") says why they are kept.
    if not default_storage.exists(storage_name(sha256)):
        upload.seek(0)
        default_storage.save(storage_name(sha256), upload)
    return StoredFile(sha256, name, declared, size, extract_text(sha256, declared))


def open_stored(sha256: str):
    return default_storage.open(storage_name(sha256), "rb")


def _clean_file_name(name: str, field: str) -> str:
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "", name).strip()[-200:]
    if not name:
        raise Invalid(_("The file has no name."), field=field)
    return name


def _declared_type(name: str, content_type: str | None, field: str) -> str:
    """The type the file's name gives (.pdf or .docx); a Content-Type that says otherwise is refused."""
    extension = name[name.rfind(".") :].lower() if "." in name else ""
    media_type = EXTENSIONS.get(extension)
    if media_type is None:
        raise Invalid(_("A report file must be a PDF (.pdf) or a Word document (.docx)."), field=field)
    generic = (None, "", "application/octet-stream", media_type)
    if content_type not in generic:
        raise Invalid(
            _("The file is named %(name)s but was sent as %(type)s.") % {"name": name, "type": content_type},
            code="mislabelled_file",
            field=field,
        )
    return media_type


def _hash_chunks(upload, field: str):
    digest, size, head = hashlib.sha256(), 0, b""
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        if not head:
            head = chunk[:8]
        size += len(chunk)
        if size > limits.FILE_BYTES:
            raise TooLarge(
                _("The file is larger than %(limit)s MB.") % {"limit": limits.FILE_BYTES // (1024 * 1024)},
                field=field,
            )
        digest.update(chunk)
    if size == 0:
        raise Invalid(_("The file is empty."), field=field)
    return digest, size, head


def _check_content(upload, head: bytes, declared: str, field: str) -> None:
    """The bytes must be what the name says: a PDF starts with %PDF-, a DOCX is a zip holding
    word/document.xml."""
    if declared == PDF and head.startswith(b"%PDF-"):
        return
    if declared == DOCX and head.startswith(b"PK\x03\x04") and _is_docx(upload):
        return
    raise Invalid(
        _("The file's content is not a %(kind)s document, as its name says.")
        % {"kind": "PDF" if declared == PDF else "Word (DOCX)"},
        code="mislabelled_file",
        field=field,
    )


def _is_docx(upload) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def extract_text(sha256: str, media_type: str) -> str:
    """The file's text for search and diffs; empty where none can be read (a scanned PDF, or
    no pdftotext on this machine)."""
    with open_stored(sha256) as stored:
        if media_type == DOCX:
            return _docx_text(stored)
        return _pdf_text(stored)


def _docx_text(stored) -> str:
    """The paragraphs of word/document.xml, read as a stream of XML events: at most
    MAX_XML_BYTES of it (a small zip can inflate to gigabytes), and each paragraph dropped from
    the tree once read, so the memory it takes does not grow with the document."""
    paragraphs: list[str] = []
    current: list[str] = []
    length = 0
    body = None
    try:
        with zipfile.ZipFile(stored) as archive, archive.open("word/document.xml") as document:
            # expat 2.4.1 and later (bundled by Python 3.11) bounds entity expansion, and ElementTree
            # resolves no external entity: a hostile document.xml cannot blow up or reach out.
            events = ElementTree.iterparse(_Capped(document, MAX_XML_BYTES), events=("start", "end"))  # noqa: S314
            for event, element in events:
                if event == "start":
                    body = element if element.tag == f"{_WORD_NS}body" else body
                elif element.tag == f"{_WORD_NS}t" and element.text:
                    current.append(element.text)
                    length += len(element.text)
                elif element.tag == f"{_WORD_NS}p":
                    paragraphs.append("".join(current))
                    current = []
                    if body is not None:
                        body.clear()
                if length > MAX_TEXT:
                    break
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        pass  # what was read so far stands: a truncated or damaged document keeps its first paragraphs
    return "\n\n".join(p for p in paragraphs if p.strip())[:MAX_TEXT]


class _Capped:
    """A file object that ends after ``limit`` bytes."""

    def __init__(self, inner, limit: int):
        self.inner, self.left = inner, limit

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size < 0 else min(size, self.left)
        data = self.inner.read(size)
        self.left -= len(data)
        return data


def _pdf_text(stored) -> str:
    """Poppler's pdftotext, where installed, on a local copy of the file (storage may be remote);
    its output read only up to what the body keeps, and the tool stopped after PDF_TEXT_SECONDS."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return ""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as local:
        shutil.copyfileobj(stored, local, CHUNK)
        local.flush()
        command = [tool, "-enc", "UTF-8", local.name, "-"]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:
            timer = threading.Timer(PDF_TEXT_SECONDS, process.kill)
            timer.start()
            try:
                output = _read_up_to(process.stdout, MAX_TEXT * 4)  # UTF-8: 4 bytes a character at most
            finally:
                timer.cancel()
                process.kill()
    return output.decode("utf-8", "replace")[:MAX_TEXT]


def _read_up_to(stream, limit: int) -> bytes:
    """A stream's bytes up to ``limit``, in chunks: one read of ``limit`` would take that much
    memory at once, whatever came."""
    output = bytearray()
    while stream is not None and len(output) < limit and (chunk := stream.read(min(CHUNK, limit - len(output)))):
        output += chunk
    return bytes(output)
