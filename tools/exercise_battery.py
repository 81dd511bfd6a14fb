"""Report how the exercise checks do on the batteries of answers in tests/test_exercises_*.py.

Each of those test modules holds ``BATTERY = {"check_<name>": {"right": [...], "wrong":
[(answer, diagnosis or None), ...]}}``: right answers in other styles and wrong answers of the
kinds students write, written independently of the checks. This script runs every answer
through its check and prints, per check and in total,

    right accepted a/b, wrong rejected c/d, named e/d, check crashed f

where "named" counts wrong answers whose diagnosis is the expected one (answers listed with
None count as rejected, not named) and "crashed" counts checks that raised or reported their
own failure ("check_failed"). Usage: python tools/exercise_battery.py
"""

import importlib.util
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def load_batteries():
    """{module name: BATTERY} for every tests/test_exercises_*.py that defines one."""
    sys.path.insert(0, str(ROOT))
    batteries = {}
    for path in sorted((ROOT / "tests").glob("test_exercises_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "BATTERY"):
            batteries[path.stem.removeprefix("test_exercises_")] = module.BATTERY
    return batteries


def run(check, answer):
    """(status, diagnosis) of check(answer); ("crashed", text) when the check itself failed."""
    try:
        with np.errstate(all="ignore"):
            result = check(answer)
    except Exception as exc:  # a check must never raise: count it
        return "crashed", f"{type(exc).__name__}: {exc}"
    if result.diagnosis == "check_failed":
        return "crashed", result.message
    return result.status, result.diagnosis


def main():
    import bpcourse.exercises as exercises

    totals = dict.fromkeys(["right", "accepted", "wrong", "rejected", "named", "crashed"], 0)
    rows = []
    for module, battery in load_batteries().items():
        for name, answers in battery.items():
            check = getattr(exercises, name)
            counts = dict.fromkeys(totals, 0)
            misses = []
            for answer in answers.get("right", []):
                status, detail = run(check, answer)
                counts["right"] += 1
                counts["accepted"] += status == "correct"
                counts["crashed"] += status == "crashed"
                if status != "correct":
                    misses.append(f"right answer {answer.__name__} -> {status} {detail}")
            for answer, key in answers.get("wrong", []):
                status, detail = run(check, answer)
                counts["wrong"] += 1
                counts["rejected"] += status not in ("correct", "crashed")
                counts["named"] += key is not None and detail == key
                counts["crashed"] += status == "crashed"
                if key is not None and detail != key:
                    misses.append(f"wrong answer {answer.__name__}: expected {key}, got {detail}")
            for k in totals:
                totals[k] += counts[k]
            rows.append((module, name, counts, misses))
    for module, name, c, misses in rows:
        print(
            f"{module:24} {name:40} right accepted {c['accepted']}/{c['right']}, wrong rejected "
            f"{c['rejected']}/{c['wrong']}, named {c['named']}/{c['wrong']}, "
            f"check crashed {c['crashed']}"
        )
        for miss in misses:
            print(f"    {miss}")
    t = totals
    print(
        f"TOTAL: right accepted {t['accepted']}/{t['right']}, wrong rejected "
        f"{t['rejected']}/{t['wrong']}, named {t['named']}/{t['wrong']}, "
        f"check crashed {t['crashed']}"
    )


if __name__ == "__main__":
    main()
