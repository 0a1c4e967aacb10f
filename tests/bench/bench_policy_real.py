"""Accuracy of the policy analysis on real policies it was not tuned on, next to a naive keyword matcher.

Run by hand (texts come from the local cache, see tests/policy_corpus/real/README.md):

    python tests/bench/bench_policy_real.py                 # development half: tune against this
    python tests/bench/bench_policy_real.py --errors        # ... and list every disagreement on it
    python tests/bench/bench_policy_real.py --split test    # the held-out half: report it, do not tune on it
    python tests/bench/bench_policy_real.py --split both --json out.json

For each half and for lending, general and all policies it prints, per data category and overall: agreement (the
share of policy × category pairs whose status is right), precision and recall of "collects" and of "denies" — for
apkscan and for the naive matcher below, side by side.

The naive matcher is the baseline the issue measured: a sentence that names a category keyword and a collection
verb counts as "collects", or as "denies" when it also holds a negation word; a policy collects a category when any
sentence does. Its word lists are fixed here, on purpose independent of apkscan's lexicon, so that tuning the
lexicon cannot move the baseline.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from apkscan.evaluate.policy.analysis import analyse_policy  # noqa: E402
from apkscan.knowledge.lexicon import load_lexicon  # noqa: E402
from apkscan.read.policy.file import read_policy_bytes  # noqa: E402
from tests.policy_corpus.real.corpus import CATEGORIES, Manifest, cache_dir, load_manifests, load_text  # noqa: E402

# --------------------------------------------------------------------------------------------- naive matcher
_NAIVE_TERMS: dict[str, tuple[str, ...]] = {
    "contacts": (
        "contacts",
        "contact list",
        "address book",
        "phonebook",
        "phone book",
        "通讯录",
        "通訊錄",
        "联系人",
        "聯絡人",
        "聯系人",
    ),
    "sms": ("sms", "text message", "短信", "短消息", "簡訊"),
    "call_log": ("call log", "call history", "call record", "通话记录", "通話記錄"),
    "photos_media": (
        "photo",
        "gallery",
        "album",
        "image",
        "picture",
        "video",
        "相册",
        "相冊",
        "照片",
        "图片",
        "圖片",
        "视频",
        "視頻",
    ),
    "storage": ("storage", "sd card", "files", "存储", "存儲", "储存", "儲存", "sd卡", "文件"),
    "location": ("location", "gps", "位置", "定位"),
    "phone_identity": (
        "imei",
        "imsi",
        "device id",
        "device identifier",
        "android id",
        "advertising id",
        "phone state",
        "device information",
        "设备标识",
        "设备识别码",
        "设备信息",
        "設備信息",
        "設備標識",
        "电话状态",
        "電話狀態",
    ),
    "installed_apps": (
        "installed app",
        "installed application",
        "app list",
        "list of apps",
        "application list",
        "应用列表",
        "應用列表",
        "安装列表",
        "已安装",
        "已安裝",
    ),
    "accounts": ("device accounts", "accounts on your device", "get_accounts", "应用账户", "设备账户", "設備帳戶"),
    "calendar": ("calendar", "日历", "日曆", "日程"),
    "camera": ("camera", "selfie", "face", "相机", "相機", "摄像头", "攝像頭", "人脸", "人臉", "拍照", "拍摄"),
    "microphone": ("microphone", "audio", "voice", "麦克风", "麥克風", "录音", "錄音", "音频"),
    "sensors": ("sensor", "accelerometer", "gyroscope", "传感器", "傳感器", "陀螺仪"),
    "overlay_accessibility": ("overlay", "accessibility", "悬浮窗", "无障碍", "無障礙"),
    "network": ("ip address", "wifi", "wi-fi", "network", "ip地址", "网络", "網絡", "網路"),
    "other": ("clipboard", "剪切板", "剪贴板", "剪貼板"),
}
_NAIVE_VERBS = (
    "collect",
    "access",
    "read",
    "obtain",
    "gather",
    "upload",
    "use",
    "request",
    "permission",
    "store",
    "fetch",
    "capture",
    "record",
    "analy",
    "require",
    "need",
    "scan",
    "track",
    "monitor",
    "process",
    "收集",
    "获取",
    "獲取",
    "读取",
    "讀取",
    "访问",
    "訪問",
    "采集",
    "採集",
    "上传",
    "上傳",
    "使用",
    "调用",
    "調用",
    "权限",
    "權限",
    "申请",
    "申請",
    "记录",
    "記錄",
    "查看",
    "需要",
)
_NAIVE_NEGATIONS = ("not", "never", "no", "don't", "doesn't", "won't", "不", "未", "没有", "沒有", "无", "無")


def _pattern(words: Iterable[str]) -> re.Pattern[str]:
    alts = sorted(words, key=len, reverse=True)
    return re.compile("|".join(rf"\b{re.escape(w)}" if w[0].isascii() else re.escape(w) for w in alts), re.I)


_NAIVE_RE = {cat: _pattern(words) for cat, words in _NAIVE_TERMS.items()}
_VERB_RE = _pattern(_NAIVE_VERBS)
_NEG_RE = _pattern(_NAIVE_NEGATIONS)
_NAIVE_SPLIT = re.compile(r"[。！？；!?;\n]|(?<=\.)\s")


def naive(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for sentence in _NAIVE_SPLIT.split(text):
        if not _VERB_RE.search(sentence):
            continue
        negated = bool(_NEG_RE.search(sentence))
        for cat, pattern in _NAIVE_RE.items():
            if pattern.search(sentence):
                found[cat] = "collects" if not negated or found.get(cat) == "collects" else found.get(cat, "denies")
    return found


def apkscan(text: str, pid: str) -> tuple[dict[str, str], list[tuple[str, tuple[str, ...]]]]:
    analysis = analyse_policy(read_policy_bytes(text.encode("utf-8"), f"{pid}.txt"))
    return {cat: analysis.status(cat) for cat in CATEGORIES}, [(t.name, t.categories) for t in analysis.third_party]


def _key(name: str) -> str:
    return re.sub(r"[\s()（）]", "", name.lower())


def third_party_report(items: list[tuple[Manifest, list[tuple[str, tuple[str, ...]]]]], title: str) -> str:
    """SDK list entries: are the listed SDKs found (by name), and the categories each collects (micro P/R)."""
    gold_n = found = extra = tp = fp = fn = 0
    for m, got in items:
        gold = {_key(t.sdk): set(t.categories) for t in m.third_party}
        pred = {_key(name): set(cats) for name, cats in got}
        gold_n += len(gold)
        for g, cats in gold.items():
            hit = next((p for p in pred if g in p or p in g), None)
            if hit is None:
                fn += len(cats)
                continue
            found += 1
            tp += len(cats & pred[hit])
            fp += len(pred[hit] - cats)
            fn += len(cats - pred[hit])
        extra += sum(1 for p in pred if not any(g in p or p in g for g in gold))
    if not gold_n and not extra:
        return ""
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return (
        f"\n{title} third-party SDK entries: {found}/{gold_n} listed SDKs found, {extra} extra entries; "
        f"their categories P {p:.2f} R {r:.2f}"
    )


# --------------------------------------------------------------------------------------------- scoring
@dataclass
class Score:
    pairs: int = 0
    agree: int = 0
    tp: dict[str, int] = field(default_factory=lambda: {"collects": 0, "denies": 0})
    fp: dict[str, int] = field(default_factory=lambda: {"collects": 0, "denies": 0})
    fn: dict[str, int] = field(default_factory=lambda: {"collects": 0, "denies": 0})

    def add(self, gold: str, got: str) -> None:
        self.pairs += 1
        self.agree += gold == got
        for status in ("collects", "denies"):
            if got == status and gold == status:
                self.tp[status] += 1
            elif got == status:
                self.fp[status] += 1
            elif gold == status:
                self.fn[status] += 1

    def precision(self, status: str) -> float | None:
        d = self.tp[status] + self.fp[status]
        return self.tp[status] / d if d else None

    def recall(self, status: str) -> float | None:
        d = self.tp[status] + self.fn[status]
        return self.tp[status] / d if d else None

    def agreement(self) -> float | None:
        return self.agree / self.pairs if self.pairs else None

    def as_dict(self) -> dict:
        return {
            "pairs": self.pairs,
            "agreement": self.agreement(),
            **{
                f"{s}_{k}": v
                for s in ("collects", "denies")
                for k, v in (
                    ("precision", self.precision(s)),
                    ("recall", self.recall(s)),
                    ("tp", self.tp[s]),
                    ("fp", self.fp[s]),
                    ("fn", self.fn[s]),
                )
            },
        }


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:5.2f}"


def table(title: str, rows: dict[str, tuple[Score, Score, int, int]]) -> str:
    head = (
        f"\n{title}\n{'category':22} {'C':>3} {'D':>3} | {'agreement':^13} | {'collects P':^13} | "
        f"{'collects R':^13} | {'denies P':^13} | {'denies R':^13}\n{'':30}" + " | apkscan naive" * 5
    )
    out = [head]
    for name, (a, n, gc, gd) in rows.items():
        cells = [
            (a.agreement(), n.agreement()),
            (a.precision("collects"), n.precision("collects")),
            (a.recall("collects"), n.recall("collects")),
            (a.precision("denies"), n.precision("denies")),
            (a.recall("denies"), n.recall("denies")),
        ]
        out.append(f"{name:22} {gc:3} {gd:3} | " + " | ".join(f"{_f(x)}   {_f(y)}" for x, y in cells))
    return "\n".join(out)


def evaluate(items: list[tuple[Manifest, dict[str, str], dict[str, str]]], title: str) -> tuple[str, dict]:
    per_cat: dict[str, tuple[Score, Score, int, int]] = {}
    total_a, total_n = Score(), Score()
    for cat in CATEGORIES:
        a, n, gc, gd = Score(), Score(), 0, 0
        for m, got_a, got_n in items:
            gold = m.status(cat)
            gc += gold == "collects"
            gd += gold == "denies"
            a.add(gold, got_a.get(cat, "silent"))
            n.add(gold, got_n.get(cat, "silent"))
            total_a.add(gold, got_a.get(cat, "silent"))
            total_n.add(gold, got_n.get(cat, "silent"))
        if gc or gd or a.fp["collects"] or a.fp["denies"] or n.fp["collects"] or n.fp["denies"]:
            per_cat[cat] = (a, n, gc, gd)
    gc = sum(r[2] for r in per_cat.values())
    gd = sum(r[3] for r in per_cat.values())
    per_cat["ALL (micro)"] = (total_a, total_n, gc, gd)
    text = table(f"{title} — {len(items)} policies", per_cat)
    data = {
        "policies": len(items),
        "categories": {
            k: {"apkscan": v[0].as_dict(), "naive": v[1].as_dict(), "gold_collects": v[2], "gold_denies": v[3]}
            for k, v in per_cat.items()
        },
    }
    return text, data


def errors(items: list[tuple[Manifest, dict[str, str], dict[str, str]]]) -> list[str]:
    out = []
    for m, got, _ in items:
        for cat in CATEGORIES:
            if m.status(cat) != got.get(cat, "silent"):
                out.append(f"{m.id:28} {cat:16} gold={m.status(cat):9} apkscan={got.get(cat, 'silent')}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Policy analysis vs naive matcher on the real labelled corpus")
    parser.add_argument("--split", choices=("dev", "test", "both"), default="dev")
    parser.add_argument("--errors", action="store_true", help="list disagreements (development half only)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--cache", type=Path, help="cache folder (default: $APKSCAN_POLICY_CORPUS or ~/.cache/...)")
    parser.add_argument("--round", type=int, help="only the policies of this labelling round (see the corpus README)")
    parser.add_argument("--language", choices=("zh", "en", "mixed"), help="only the policies in this language")
    args = parser.parse_args(argv)
    load_lexicon()
    manifests = load_manifests()
    results: dict[str, list[tuple[Manifest, dict[str, str], dict[str, str]]]] = {"dev": [], "test": []}
    thirds: dict[str, list[tuple[Manifest, list[tuple[str, tuple[str, ...]]]]]] = {"dev": [], "test": []}
    missing, slowest = [], (0.0, "")
    splits = ("dev", "test") if args.split == "both" else (args.split,)
    for m in manifests:
        if m.split not in splits or (args.round is not None and m.round != args.round):
            continue
        if args.language is not None and m.language != args.language:
            continue
        text = load_text(m, args.cache)
        if text is None:
            missing.append(m.id)
            continue
        started = time.process_time()
        got, third = apkscan(text, m.id)
        slowest = max(slowest, (time.process_time() - started, m.id))
        results[m.split].append((m, got, naive(text)))
        thirds[m.split].append((m, third))
    report: dict = {}
    for split in splits:
        items = results[split]
        groups: dict[str, Callable[[Manifest], bool]] = {
            "lending": lambda m: m.kind == "lending",
            "general": lambda m: m.kind == "general",
            "all": lambda m: True,
        }
        for group, keep in groups.items():
            chosen = [it for it in items if keep(it[0])]
            text, data = evaluate(chosen, f"[{split}] {group}")
            print(text)
            report[f"{split}/{group}"] = data
        print(third_party_report(thirds[split], f"[{split}]"))
        if args.errors and split == "dev":
            print("\nDisagreements (dev):\n" + "\n".join(errors(items)))
    if missing:
        print(
            f"\n{len(missing)} policies have no cached text ({cache_dir()}): run "
            f"tests/policy_corpus/real/rebuild.py — {', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}"
        )
    print(f"\nslowest analysis: {slowest[0] * 1000:.0f} ms ({slowest[1]})")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
