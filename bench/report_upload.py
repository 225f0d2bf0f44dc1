"""The server's peak memory while it takes a report uploaded as a file: a 5 MB and a 50 MB PDF,
each to a fresh `undersigned serve` (one worker), through HTTP with the body streamed from disk.

    python bench/report_upload.py [--sizes 5,50]

Prints JSON: per size, the worker's resident memory before the upload and at its peak (VmHWM),
in MB, and the answer's status. The upload is read in 64 KiB chunks (reports/files.py), so the
peak must not grow with the file.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Instance, free_port, machine, undersigned_command

SET_UP = """
import json
from orgs.actions import add_member, add_organisation
from orgs.models import ApiToken
add_organisation("chn", "China", "state", "CHN", "Asia-Pacific States")
add_organisation("ohchr", "Office of the High Commissioner for Human Rights", "un_office")
member = add_member("olga", "ohchr", "drafter", password="bench password 1")
print(json.dumps(ApiToken.issue(member.user)))
"""
BOUNDARY = "undersigned-bench-boundary"
CHUNK = 1024 * 1024


def memory_of(pid: int) -> dict[str, float]:
    """The process's resident memory now and at its peak, in MB (Linux's /proc)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = round(int(value.split()[0]) / 1024, 1)
    return fields


def write_pdf(path: Path, megabytes: int) -> None:
    """A file of exactly ``megabytes`` MiB that starts as a PDF: the largest the server accepts
    at 50."""
    head, tail = b"%PDF-1.4\n%", b"\n%%EOF\n"
    with path.open("wb") as out:
        out.write(head)
        for n in range(megabytes):
            out.write(b"x" * (CHUNK - (len(head) + len(tail) if n == 0 else 0)))
        out.write(tail)


def multipart(path: Path):
    """The form's parts, the file's bytes read from disk a chunk at a time; and its length."""
    fields = {"title": "Benchmark report", "concerning": "chn", "note": "A large upload"}
    head = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    head += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(head.encode()) + path.stat().st_size + len(tail)

    def parts():
        yield head.encode()
        with path.open("rb") as file:
            while chunk := file.read(CHUNK):
                yield chunk
        yield tail

    return parts(), length


def start(instance: Instance, wait: float = 600.0) -> None:
    """`undersigned serve` with one worker, ready when it answers a cheap page: on a busy machine
    the OpenAPI document that Instance.start waits for can take longer to render than its probe waits."""
    instance.port = free_port()
    command = [*undersigned_command(), "serve", "--port", str(instance.port), "--workers", "1", "--threads", "2"]
    with open(instance.var_dir / "server.log", "ab") as log:
        instance.server = subprocess.Popen(
            command,
            env=instance.env,
            cwd=instance.var_dir,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{instance.url}/log/checkpoint", timeout=30).read()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server did not answer in time: {instance.server_log()[-2000:]}")


def measure(megabytes: int, folder: Path) -> dict:
    path = folder / f"report-{megabytes}mb.pdf"
    write_pdf(path, megabytes)
    with Instance(label="upload") as instance:
        instance.migrate()
        token = instance.shell(SET_UP)
        start(instance)
        time.sleep(1)
        (worker,) = instance.worker_pids()
        before = memory_of(worker)
        body, length = multipart(path)
        connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=600)
        started = time.perf_counter()
        connection.request(
            "POST",
            "/api/v1/reports",
            body=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                "Content-Length": str(length),
            },
        )
        answer = connection.getresponse()
        answer.read()
        seconds = time.perf_counter() - started
        after = memory_of(worker)
    size = path.stat().st_size
    path.unlink()
    return {
        "file_mb": round(size / CHUNK, 2),
        "status": answer.status,
        "seconds": round(seconds, 2),
        "rss_before_mb": before["VmRSS"],
        "peak_rss_mb": after["VmHWM"],
        "peak_growth_mb": round(after["VmHWM"] - before["VmRSS"], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5,50", help="file sizes in MB, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = [measure(int(size), Path(folder)) for size in args.sizes.split(",")]
    print(json.dumps({"benchmark": "report_upload", "machine": machine(), "uploads": results}, indent=2))
    return 0 if all(result["status"] == 201 for result in results) else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
