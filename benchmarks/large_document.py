"""Cost per MB and memory of one large document, at growing sizes.

    .venv/bin/python benchmarks/large_document.py [--sizes 50,400,1000] [--repeats 3] [--layout single]

Each size (in kB of UTF-8 text) is one synthetic news text, written by
:func:`synthetic_text` from varied international-relations sentences: one
paragraph with no line break (``--layout single``, the worst case for the
sentence splitter and for anything that scans "to the end of the line") or
ordinary paragraphs (``--layout paragraphs``). Every measurement runs the full
pipeline (``dyadlens.runner.process``) over one document in a fresh child
process, so that the peak RSS of one size does not hide in another's; the
sizes are interleaved within each repeat, so machine load hits them alike.

The baseline, measured in the same child, is ``nlp.pipe`` of the spaCy model
alone over the document's sentences (what the parse stage does, and linear by
construction). Reported per size: seconds per MB (CPU and wall), the
dyadlens/spaCy time ratio, peak RSS growth over the loaded process, and that
growth per MB; then the ratio of the per-MB cost at the largest size to the
smallest, per repeat (flat cost: about 1). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from dyadlens.model import Failure, RawInput
from dyadlens.pipeline import STAGES

_OFFICIALS = (
    ("Russian", "Foreign Minister", "Sergey Lavrov", "Moscow", "Russia"),
    ("Chinese", "Foreign Minister", "Wang Yi", "Beijing", "China"),
    ("American", "Secretary of State", "Antony Blinken", "Washington", "the United States"),
    ("French", "President", "Emmanuel Macron", "Paris", "France"),
    ("Turkish", "President", "Recep Tayyip Erdogan", "Ankara", "Turkey"),
    ("Indian", "Prime Minister", "Narendra Modi", "New Delhi", "India"),
    ("Pakistani", "Foreign Minister", "Bilawal Bhutto Zardari", "Islamabad", "Pakistan"),
    ("Iranian", "Foreign Minister", "Hossein Amir-Abdollahian", "Tehran", "Iran"),
    ("Afghan", "acting Foreign Minister", "Amir Khan Muttaqi", "Kabul", "Afghanistan"),
    ("Kazakh", "President", "Kassym-Jomart Tokayev", "Astana", "Kazakhstan"),
)
_STATES = ("Russia", "China", "the United States", "France", "Germany", "Turkey", "India", "Pakistan", "Iran",
           "Afghanistan", "Uzbekistan", "Kazakhstan", "Qatar", "Saudi Arabia", "Egypt", "Japan", "Ukraine", "Poland")
_GROUPS = ("the Taliban", "Hamas", "Hezbollah", "al-Shabaab", "the Islamic State", "Lashkar-e-Taiba", "the TTP")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_TEMPLATES = (
    "{adj} {title} {name} met his {adj2} counterpart in {city} on {date}.",
    "{state} accused {other} of violating the ceasefire agreement on {date}.",
    "{name} said that {state} would not accept new sanctions imposed by {other}.",
    "\u201cWe are ready to resume talks with {other} without preconditions,\u201d {name} told reporters in {city}.",
    "The government of {state} recalled its ambassador from {other} after the incident.",
    "{state} and {other} signed a trade agreement worth $4 billion on {date}.",
    "On {date}, {state} designated {group} as a terrorist organisation.",
    "{state} condemned the missile test carried out by {other} last week.",
    "The U.S. State Department said on {date} that it was monitoring the situation closely.",
    "{adj} {title} {name} visited {city} for two days of talks on security cooperation.",
    "Officials in {city} warned that {other} could face consequences if the attacks continued.",
    "{state} offered humanitarian aid to {other} following the earthquake.",
    "In {year}, {state} removed {group} from its list of banned organisations.",
    "The foreign ministry of {state} said it had not yet recognised the new authorities in {other}.",
    "They denied any involvement in the attack, according to a statement released in {city}.",
    "{name}'s spokesman described the talks as \u201cfrank and constructive\u201d.",
    "Earlier this month, {other} expelled two diplomats from {state}, Reuters reported.",
    "He urged {other} to release the detained journalists before the summit in {city} in {month}.",
)


def synthetic_sentence(rng: random.Random) -> str:
    """One news-like sentence; the names, places and dates vary from call to call."""
    adj, title, name, city, state = rng.choice(_OFFICIALS)
    other = rng.choice([s for s in _STATES if s != state])
    year = rng.randint(2015, 2024)
    month = rng.choice(_MONTHS)
    fields = {
        "adj": adj, "title": title, "name": name, "city": city, "state": state, "other": other,
        "adj2": rng.choice(_OFFICIALS)[0], "group": rng.choice(_GROUPS), "year": year, "month": month,
        "date": f"{rng.randint(1, 28)} {month} {year}",
    }
    sentence = rng.choice(_TEMPLATES).format(**fields)
    return sentence[0].upper() + sentence[1:]


def synthetic_text(size: int, paragraphs: bool, seed: int = 7) -> str:
    """About ``size`` bytes of text (never more): one line, or paragraphs of 3-8 sentences."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    until_break = rng.randint(3, 8)
    while True:
        sentence = synthetic_sentence(rng)
        separator = "" if not parts else ("\n\n" if paragraphs and until_break == 0 else " ")
        if length + len(separator) + len(sentence.encode()) > size:
            return "".join(parts)
        until_break = rng.randint(3, 8) if separator == "\n\n" else until_break - 1
        parts += [separator, sentence]
        length += len(separator) + len(sentence.encode())


@dataclass(frozen=True)
class Run:
    """One document through the pipeline, in its own process."""

    size_kb: int
    repeat: int
    bytes: int
    sentences: int
    records: int
    cpu_s: float
    wall_s: float
    baseline_cpu_s: float
    rss_loaded_mib: float  # peak RSS with the resources loaded and a small document run, before this one
    rss_peak_mib: float  # peak RSS after the document

    @property
    def mb(self) -> float:
        return self.bytes / 1e6

    @property
    def cpu_per_mb(self) -> float:
        return self.cpu_s / self.mb

    @property
    def wall_per_mb(self) -> float:
        return self.wall_s / self.mb

    @property
    def rss_growth_mib(self) -> float:
        return self.rss_peak_mib - self.rss_loaded_mib

    @property
    def baseline_ratio(self) -> float:
        return self.cpu_s / self.baseline_cpu_s if self.baseline_cpu_s else 0.0


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="dyadlens cost per MB of one large document")
    parser.add_argument("--sizes", default="50,400,1000", help="comma-separated sizes in kB (default 50,400,1000)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds over all sizes (default 3)")
    parser.add_argument("--layout", choices=("single", "paragraphs"), default="single",
                        help="one paragraph without line breaks (default) or ordinary paragraphs")
    parser.add_argument("--upto", default=STAGES[-1], choices=STAGES, help="last pipeline stage (default: all)")
    parser.add_argument("--json", dest="json_out", help="also write every run to this JSON file")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)  # one measurement, in a child process
    return parser.parse_args(argv)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def measure_child(size_kb: int, layout: str, upto: str) -> dict[str, float | int]:
    """Load everything, then run one document through the pipeline and spaCy alone over its sentences."""
    from dyadlens.pipeline import build_pipeline
    from dyadlens.resources import Resources
    from dyadlens.runner import process

    resources = Resources()
    pipeline = build_pipeline(resources, upto=upto)
    text = synthetic_text(size_kb * 1000, paragraphs=layout == "paragraphs")
    process(pipeline, _raw("warm-up", synthetic_text(5000, paragraphs=True, seed=1)))
    loaded = peak_rss_mib()
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    records = process(pipeline, _raw("large", text))
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started_wall
    peak = peak_rss_mib()
    if isinstance(records, Failure):
        raise SystemExit(f"the pipeline failed at {records.stage}: {records.reason}")
    sentences = [text[s.start : s.end] for s in records.sentences if s.analysed]
    started_cpu = time.process_time()
    for _ in resources.nlp.pipe(sentences, batch_size=64):
        pass
    baseline = time.process_time() - started_cpu
    counted = ("mentions", "events", "quotes", "designations")
    return {
        "bytes": len(text.encode()), "sentences": len(records.sentences),
        "records": sum(len(getattr(records, name)) for name in counted), "cpu_s": cpu, "wall_s": wall,
        "baseline_cpu_s": baseline, "rss_loaded_mib": loaded, "rss_peak_mib": peak,
    }


def _raw(doc_id: str, text: str) -> RawInput:
    meta = {"published": "2024-05-01"}
    return RawInput(doc_id=doc_id, path=f"{doc_id}.txt", format="txt", data=text.encode(), meta=meta)


def run_child(size_kb: int, repeat: int, args: argparse.Namespace) -> Run:
    command = [sys.executable, __file__, "--child", str(size_kb), "--layout", args.layout, "--upto", args.upto]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"size {size_kb} kB failed:\n{done.stderr}")
    return Run(size_kb=size_kb, repeat=repeat, **json.loads(done.stdout.splitlines()[-1]))


def spread(values: Sequence[float], digits: int = 1) -> str:
    """Median with the range: "55.1 (54.0-57.3)"."""
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def size_lines(runs: Sequence[Run], sizes: Sequence[int]) -> list[str]:
    lines = []
    for size in sizes:
        mine = [r for r in runs if r.size_kb == size]
        lines.append(
            f"  {size:>6} kB  {mine[0].sentences:>6} sentences  CPU s/MB {spread([r.cpu_per_mb for r in mine])}"
            f"  wall s/MB {spread([r.wall_per_mb for r in mine])}"
            f"  dyadlens/spaCy {spread([r.baseline_ratio for r in mine], 2)}"
            f"  peak RSS {spread([r.rss_peak_mib for r in mine], 0)} MiB"
            f"  growth {spread([r.rss_growth_mib for r in mine], 0)} MiB"
            f" ({spread([r.rss_growth_mib / r.mb for r in mine], 0)} MiB/MB)"
        )
    return lines


def growth_line(runs: Sequence[Run], sizes: Sequence[int]) -> str:
    """CPU per MB at the largest size over the smallest, within each repeat (same machine load)."""
    smallest, largest = min(sizes), max(sizes)
    ratios = []
    for repeat in sorted({r.repeat for r in runs}):
        by_size = {r.size_kb: r for r in runs if r.repeat == repeat}
        ratios.append(by_size[largest].cpu_per_mb / by_size[smallest].cpu_per_mb)
    return f"  CPU s/MB at {largest} kB / at {smallest} kB: {spread(ratios, 2)} (flat: 1.00)"


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if args.child is not None:
        print(json.dumps(measure_child(args.child, args.layout, args.upto)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"machine: {os.cpu_count()} cores; layout {args.layout}; stages up to {args.upto}; "
          f"sizes {sizes} kB, {args.repeats} repeats, interleaved, one child process per run")
    runs: list[Run] = []
    for repeat in range(args.repeats):
        for size in sizes:
            run = run_child(size, repeat, args)
            runs.append(run)
            print(f"  repeat {repeat + 1} {size:>6} kB: {run.cpu_s:7.1f} s CPU {run.wall_s:7.1f} s wall "
                  f"{run.cpu_per_mb:6.1f} s/MB CPU, peak RSS {run.rss_peak_mib:.0f} MiB "
                  f"(+{run.rss_growth_mib:.0f})", flush=True)
    print("per size, median (min-max) over the repeats:")
    print("\n".join(size_lines(runs, sizes)))
    if len(sizes) > 1:
        print(growth_line(runs, sizes))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as out:
            json.dump([r.__dict__ for r in runs], out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
