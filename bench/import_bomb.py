"""The import memory bomb of issue 7: a valid people template with one value far away.

    .venv/bin/python bench/import_bomb.py [--row 400001] [--col 201] [--people 20] [--limit-gb 8]
                                         [--legit 100000]

Builds a small .xlsx (the people template, --people rows of real data, and one cell at --row/--col),
then, each in a fresh child process (so the peak is the child's own), runs
  web     the upload check the import form makes (`imports.check_file`), and
  worker  the whole import as the task runs it (`imports.run` with the people importer),
and prints for each the wall time and the child's peak resident memory (VmHWM). A child is capped
at --limit-gb of address space, so a reader that materialises the dense sheet fails with
MemoryError instead of taking the machine down.

With --legit N it also measures the price of streaming on a real file: an N-row people sheet (15
columns, dates, shared strings) read with `imports.read_sheet` against python-calamine's `to_python`
of the same sheet (the reader used before), in this process. Last line:
  RESULT file_kb=<kb> web_s=<s> web_peak_mb=<mb> worker_s=<s> worker_peak_mb=<mb> outcome=<what happened>
         [legit_rows=<n> read_s=<s> calamine_s=<s> read_over_calamine=<x>]   (on one line)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

CHILD = r"""
import json, os, resource, sys, time
def peak_rss_mb():
    # VmHWM belongs to this process image; ru_maxrss would carry the parent's peak over exec()
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import django
django.setup()
from django.core.management import call_command
from tdkt.core import imports
from tdkt.org.imports import IMPORTERS
data = open(sys.argv[1], "rb").read()
mode = sys.argv[2]
outcome = "ok"
started = time.perf_counter()
try:
    if mode == "web":
        imports.check_file(data, IMPORTERS["people"].spec)
    else:
        from tdkt.accounts.models import User
        actor = User.objects.get(username="bench-officer")
        result = imports.run(data, IMPORTERS["people"], actor=actor, source="bomb.xlsx")
        outcome = f"created={result.get('created')},errors={result.get('error_count')}"
except imports.ImportFileError as exc:
    outcome = "refused: " + exc.message
except MemoryError:
    outcome = "MemoryError"
elapsed = time.perf_counter() - started
print(json.dumps({"s": elapsed, "peak_mb": peak_rss_mb(), "outcome": outcome}))
"""


def build(path: Path, people: int, row: int, col: int) -> int:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Cán bộ")
    header = ["Mã cán bộ", "Họ", "Tên đệm", "Tên", "Giới tính", "Mã đơn vị"]
    sheet.write_row(0, 0, header)
    for i in range(1, people + 1):
        sheet.write_row(i, 0, [f"BOMB{i:04d}", "Nguyễn", "Văn", f"Tên{i}", "Nam", "BENCH"])
    sheet.write_string(row - 1, col - 1, "x")  # the one cell far away
    book.close()
    return path.stat().st_size


def prepare_database() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from tdkt.accounts.models import RoleAssignment, User
    from tdkt.org.models import Unit
    from tdkt.org.services import fill_unit_path

    unit = Unit.objects.filter(code="BENCH").first()
    if unit is None:
        unit = Unit.objects.create(code="BENCH", name="Đơn vị đo", kind="department")
        fill_unit_path(unit)
        unit.save()
    user, _ = User.objects.get_or_create(username="bench-officer")
    RoleAssignment.objects.get_or_create(user=user, role="officer", unit=unit)


def child(path: Path, mode: str, limit: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), mode, str(limit)],
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT / "src")},
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        tail = (out.stderr.strip().splitlines() or ["?"])[-1]
        return {"s": float("nan"), "peak_mb": float("nan"), "outcome": f"crashed ({tail[:80]})"}
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--row", type=int, default=400_001)
    parser.add_argument("--col", type=int, default=201)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--limit-gb", type=float, default=8)
    parser.add_argument("--legit", type=int, default=0, help="rows of a real file to time (0: skip)")
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    os.environ["TDKT_DATA_DIR"] = tempfile.mkdtemp(prefix="tdkt-bench-bomb-")
    Path(os.environ["TDKT_DATA_DIR"], "static").mkdir(parents=True, exist_ok=True)
    prepare_database()
    path = Path(os.environ["TDKT_DATA_DIR"]) / "bomb.xlsx"
    size = build(path, args.people, args.row, args.col)
    limit = int(args.limit_gb * 1024**3)
    print(f"file: {size / 1024:.1f} KB, one cell at row {args.row:,}, column {args.col}", flush=True)
    results = {}
    for mode in ("web", "worker"):
        started = time.perf_counter()
        results[mode] = r = child(path, mode, limit)
        print(
            f"{mode:7s} {r['s']:7.2f} s  peak {r['peak_mb']:8.1f} MB  ({time.perf_counter() - started:.1f} s "
            f"with start-up)  {r['outcome']}",
            flush=True,
        )
    outcome = results["worker"]["outcome"].split(":")[0].replace(" ", "_")
    line = (
        f"RESULT file_kb={size / 1024:.1f} web_s={results['web']['s']:.2f} "
        f"web_peak_mb={results['web']['peak_mb']:.0f} worker_s={results['worker']['s']:.2f} "
        f"worker_peak_mb={results['worker']['peak_mb']:.0f} outcome={outcome}"
    )
    if args.legit:
        read_s, calamine_s = legit(args.legit)
        line += (
            f" legit_rows={args.legit} read_s={read_s:.2f} calamine_s={calamine_s:.2f} "
            f"read_over_calamine={read_s / calamine_s:.1f}"
        )
    print(line)


def legit(rows: int) -> tuple[float, float]:
    """Seconds to read a real `rows`-row people file: the streamed reader, then calamine's dense read."""
    import datetime
    import io

    import python_calamine
    import xlsxwriter

    from tdkt.core import imports
    from tdkt.org.imports import IMPORTERS

    spec = IMPORTERS["people"].spec
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Cán bộ")
    dated = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, [c.header for c in spec.columns])
    born = datetime.datetime(1970, 1, 1)
    for i in range(1, rows + 1):
        sheet.write_row(i, 0, [f"CB{i:06d}", "Nguyễn", "Văn", f"An{i % 50}", "Nam"])
        sheet.write_datetime(i, 5, born + datetime.timedelta(days=i % 12000), dated)
        sheet.write_row(
            i, 6, ["Kinh", f"{i:012d}", "Chuyên viên", "Chuyên viên", "Công chức", "", "", "BENCH"]
        )
        sheet.write_datetime(i, 14, datetime.datetime(2005, 1, 1), dated)
    book.close()
    data = out.getvalue()
    started = time.perf_counter()
    read = imports.read_sheet(data, spec)
    read_s = time.perf_counter() - started
    assert len(read.rows) == rows
    started = time.perf_counter()
    python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Cán bộ").to_python(
        skip_empty_area=False
    )
    calamine_s = time.perf_counter() - started
    print(
        f"legit   {rows:,} rows × 15 columns: streamed {read_s:.2f} s, calamine {calamine_s:.2f} s",
        flush=True,
    )
    return read_s, calamine_s


if __name__ == "__main__":
    main()
