"""Documents by size: run time and peak memory of `mt segment FILE`, one row per format and
input size (issue 24: time and memory linear in the input, a 10 MB single-line Markdown
release under 500 MB).

Each row runs `python -m mt segment FILE > /dev/null` in a fresh process and takes its
wall time and its peak resident memory (os.wait4's ru_maxrss: that process alone). The
inputs are made here, deterministically, in a temporary folder:

- txt: a title line, then the whole body on one line (sentences, no line break);
- md: the same as Markdown, one line, with **strong**, *emphasis* and a [link](...) in
  every tenth sentence;
- html: a page on one line, its body <p> paragraphs of about 2 KB (libxml2 refuses a
  single text node over 10 MB, and mt refuses such a page: see mt.formats.html).

Columns: seconds and peak MB, then the cost per MB of input over a tiny input of the
same format (the start-up: Python, the modules): s/MB and MB/MB. Linear means these two
stay flat down the sizes.

Another format adds a generator to GENERATORS (name -> function(size in bytes) -> file
bytes, suffix) and shows up as rows of its own.

    python eval/bench_docs.py                       # txt, md, html at 1, 5 and 10 MB
    python eval/bench_docs.py --formats md --sizes 10
    python eval/bench_docs.py --tree /path/to/other/checkout   # another mt (figures before)
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SENTENCES = ("Бүгін Алматы қаласында жаңа мектеп ашылды.", "Мектепте 1200 оқушы оқиды.",
             "Әкім мұғалімдерді құттықтап, жаңа оқу жылына сәттілік тіледі.",
             "Ғимарат құрылысына 4,5 млрд теңге жұмсалды.", "Жоба 2024 жылы басталған еді.")
MB = 1_000_000


def _body(size: int, marked: bool = False) -> str:
    """Sentences up to `size` bytes of UTF-8, one line."""
    parts: list[str] = []
    total = i = 0
    while total < size:
        sentence = SENTENCES[i % len(SENTENCES)]
        if marked and i % 10 == 0:
            words = sentence.split(" ")
            sentence = " ".join([f"**{words[0]}**", f"*{words[1]}*", f"[{words[2]}](https://example.kz/{i})",
                                 *words[3:]])
        parts.append(sentence)
        total += len(sentence.encode("utf-8")) + 1
        i += 1
    return " ".join(parts)


def _txt(size: int) -> tuple[bytes, str]:
    return ("Жаңа мектеп ашылды\n" + _body(size) + "\n").encode("utf-8"), ".txt"


def _md(size: int) -> tuple[bytes, str]:
    return ("# Жаңа мектеп ашылды\n\n" + _body(size, marked=True) + "\n").encode("utf-8"), ".md"


def _html(size: int) -> tuple[bytes, str]:
    paragraphs = []
    total = 0
    while total < size:
        paragraph = f"<p>{_body(2000)}</p>"
        paragraphs.append(paragraph)
        total += len(paragraph.encode("utf-8"))
    page = ('<!DOCTYPE html><html lang="kk"><head><meta charset="utf-8"><title>Жаңа мектеп</title></head><body>'
            "<h1>Жаңа мектеп ашылды</h1>" + "".join(paragraphs) + "</body></html>\n")
    return page.encode("utf-8"), ".html"


GENERATORS: dict[str, Callable[[int], tuple[bytes, str]]] = {"txt": _txt, "md": _md, "html": _html}


def measure(path: Path, tree: str | None) -> tuple[float, float, int]:
    """(seconds, peak resident MB, exit status) of `mt segment path` in a fresh process."""
    env = dict(os.environ)
    if tree:
        env["PYTHONPATH"] = tree + os.pathsep + env.get("PYTHONPATH", "")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mt", "segment", str(path)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, cwd=path.parent)  # not this checkout's mt/
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        print(f"  {path.name}: exit {proc.returncode}: {err.decode('utf-8', 'replace').strip()}", file=sys.stderr)
    return seconds, usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss is in KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formats", default=",".join(GENERATORS), help="comma-separated (default: all)")
    parser.add_argument("--sizes", default="1,5,10", help="input sizes in MB, comma-separated")
    parser.add_argument("--tree", help="run the mt package of this checkout instead (PYTHONPATH)")
    parser.add_argument("--out", help="also write the table (Markdown) to this file")
    args = parser.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    lines = [f"`mt segment` on {platform.node()} ({os.cpu_count()} cores), Python {platform.python_version()}"
             + (f", mt from {args.tree}" if args.tree else ""), "",
             "| format | input MB | seconds | peak MB | s per MB | peak MB per MB | exit |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    print("\n".join(lines), flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for name in args.formats.split(","):
            generate = GENERATORS[name]
            tiny, suffix = generate(2_000)
            (Path(folder) / f"tiny{suffix}").write_bytes(tiny)
            base_s, base_mb, _ = measure(Path(folder) / f"tiny{suffix}", args.tree)
            for size in sizes:
                data, suffix = generate(int(size * MB))
                path = Path(folder) / f"{name}-{size:g}{suffix}"
                path.write_bytes(data)
                seconds, peak, code = measure(path, args.tree)
                real = len(data) / MB
                row = (f"| {name} | {real:.1f} | {seconds:.1f} | {peak:.0f} | {(seconds - base_s) / real:.2f} | "
                       f"{(peak - base_mb) / real:.1f} | {code} |")
                lines.append(row)
                print(row, flush=True)
                path.unlink()
    lines.append("")
    lines.append("s per MB and peak MB per MB: over a 2 KB input of the same format "
                 "(start-up: Python and mt's modules).")
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
