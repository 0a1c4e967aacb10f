"""A long fuzzing campaign by hand: atheris on one or more targets for a time budget, restarted after each finding.

libFuzzer stops at the first crash and atheris cannot use libFuzzer's fork mode, so this driver restarts it (new
seed, same growing corpus) until the budget is spent, then prints per target: executions, time, and the distinct
findings (exception and innermost frame, or timeout / out-of-memory) with the input that shows each.

    python -m tests.fuzz.campaign --minutes 15 --out fuzz-out zip axml arsc dex policy
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.fuzz.targets import TARGETS

MAX_LEN = {"zip": 65536, "axml": 16384, "arsc": 16384, "dex": 65536, "policy": 65536, "signing": 65536}
_EXECS = re.compile(r"^#(\d+)\s", re.M)
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")
_ARTIFACT = re.compile(r"Test unit written to (\S+)")
_FRAME = re.compile(r'File "([^"]+)", line (\d+), in (\S+)')


@dataclass
class Tally:
    executions: int = 0
    seconds: float = 0.0
    runs: int = 0
    findings: dict[str, list[str]] = field(default_factory=dict)  # signature -> artifact paths


def _signature(log: str) -> str | None:
    if "Uncaught Python exception" in log:
        tail = log.split("Uncaught Python exception: ===", 1)[1]
        lines = [line for line in tail.splitlines() if line.strip()]
        exc = lines[0].strip()[:120] if lines else "?"
        frames = [m for m in _FRAME.finditer(tail) if "/apkscan/" in m.group(1) or "/androguard/" in m.group(1)]
        where = f" at {Path(frames[-1].group(1)).name}:{frames[-1].group(3)}" if frames else ""
        return re.sub(r"0x[0-9a-f]+|\d{3,}", "N", exc.split(":")[0]) + where + " | " + exc
    if "ALARM: working on the last Unit" in log or "-timeout-" in log:
        return "timeout"
    if "out-of-memory" in log:
        return "out-of-memory"
    return None


def run(target: str, budget: float, out: Path, rss_mb: int, timeout_s: int, extra: tuple[str, ...] = ()) -> Tally:
    tally = Tally()
    corpus = out / "corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    seed = 1
    while (left := budget - (time.monotonic() - start)) > 5:
        log_path = out / f"{target}-run{tally.runs}.log"
        cmd = [
            sys.executable, "-m", "tests.fuzz.fuzz", target, str(corpus),
            f"-max_total_time={int(left)}", f"-seed={seed}", f"-max_len={MAX_LEN[target]}",
            f"-timeout={timeout_s}", f"-rss_limit_mb={rss_mb}", f"-artifact_prefix={out}/{target}-",
            "-print_final_stats=1", *extra,
        ]  # fmt: skip
        t0 = time.monotonic()
        with log_path.open("w") as log_file:
            subprocess.run(cmd, stdout=log_file, stderr=subprocess.STDOUT, check=False)
        log = log_path.read_text(errors="replace")
        tally.runs += 1
        tally.seconds += time.monotonic() - t0
        done = _DONE.search(log)
        counts = [int(n) for n in _EXECS.findall(log)]
        tally.executions += int(done.group(1)) if done else (max(counts) if counts else 0)
        signature = _signature(log)
        if signature is not None:
            artifact = _ARTIFACT.search(log)
            tally.findings.setdefault(signature, []).append(artifact.group(1) if artifact else str(log_path))
            if len(tally.findings[signature]) >= 5:
                print(f"{target}: {signature} keeps coming back; stopping this target", file=sys.stderr)
                break
        elif done:
            break
        seed += 1
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="+", choices=sorted(TARGETS))
    parser.add_argument("--minutes", type=float, default=15)
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    parser.add_argument("--rss-mb", type=int, default=2048, help="libFuzzer -rss_limit_mb (default 2048)")
    parser.add_argument("--timeout", type=int, default=10, help="seconds per input before it counts as a hang")
    parser.add_argument(
        "--full-length",
        action="store_true",
        help="allow inputs of the full maximum length from the start (-len_control=0): with a short --timeout this "
        "hunts superlinear (quadratic) slow paths, which small inputs never show",
    )
    args = parser.parse_args()
    extra = ("-len_control=0",) if args.full_length else ()
    print("| target | time | executions | runs | findings |\n|---|---:|---:|---:|---|")
    for target in args.targets:
        tally = run(target, args.minutes * 60, args.out, args.rss_mb, args.timeout, extra)
        found = "; ".join(f"{sig} (x{len(paths)}: {paths[0]})" for sig, paths in tally.findings.items()) or "none"
        row = f"| {target} | {tally.seconds / 60:.1f} min | {tally.executions:,} | {tally.runs} | {found} |"
        print(row, flush=True)


if __name__ == "__main__":
    main()
