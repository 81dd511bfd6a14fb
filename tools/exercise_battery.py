"""Report how the exercise checks do on the batteries of student answers.

Each notebook with exercises has one battery, ``tests/exercises/battery_NN.py``, holding
``BATTERY = {"<function name>": {"right": [...], "wrong": [(answer, key or None), ...]}}``:
right answers in other styles and wrong answers of the kinds students write, written
independently of the checks' lists of mistakes. This script runs every answer through its
exercise's check and prints, per exercise and in total,

    right accepted a/b, wrong rejected c/d, named e/d, check crashed f

where "named" counts wrong answers whose diagnosis is the expected key (answers listed with
None count as rejected, not named) and "crashed" counts checks that raised or reported their
own failure ("check_failed"). Usage: python tools/exercise_battery.py
"""

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_batteries():
    """{"battery_NN": BATTERY} for every tests/exercises/battery_NN.py."""
    sys.path.insert(0, str(ROOT))
    return {
        path.stem: importlib.import_module(f"tests.exercises.{path.stem}").BATTERY
        for path in sorted((ROOT / "tests" / "exercises").glob("battery_*.py"))
    }


def run(exercise, answer):
    """(status, diagnosis) of the check; ("crashed", text) when the check itself failed."""
    try:
        result = exercise.check(answer)
    except Exception as exc:  # a check must never raise: count it
        return "crashed", f"{type(exc).__name__}: {exc}"
    if result.diagnosis == "check_failed":
        return "crashed", result.message
    return result.status, result.diagnosis


def main():
    from bpcourse.exercises import EXERCISES

    totals = dict.fromkeys(["right", "accepted", "wrong", "rejected", "named", "crashed"], 0)
    for module, battery in load_batteries().items():
        for name, answers in battery.items():
            exercise = EXERCISES[name]
            counts = dict.fromkeys(totals, 0)
            misses = []
            for answer in answers.get("right", []):
                status, detail = run(exercise, answer)
                counts["right"] += 1
                counts["accepted"] += status == "correct"
                counts["crashed"] += status == "crashed"
                if status != "correct":
                    misses.append(f"right answer {answer.__name__} -> {status} {detail}")
            for answer, key in answers.get("wrong", []):
                status, detail = run(exercise, answer)
                counts["wrong"] += 1
                counts["rejected"] += status not in ("correct", "todo", "crashed")
                counts["named"] += key is not None and detail == key
                counts["crashed"] += status == "crashed"
                if status in ("correct", "todo") or (key is not None and detail != key):
                    misses.append(f"wrong answer {answer.__name__}: expected {key}, got {detail}")
            for k in totals:
                totals[k] += counts[k]
            c = counts
            print(
                f"{module:11} {exercise.number:4} {name:36} right accepted {c['accepted']}/"
                f"{c['right']}, wrong rejected {c['rejected']}/{c['wrong']}, named "
                f"{c['named']}/{c['wrong']}, check crashed {c['crashed']}"
            )
            for miss in misses:
                print(f"    {miss}")
    t = totals
    print(
        f"TOTAL: right accepted {t['accepted']}/{t['right']}, wrong rejected "
        f"{t['rejected']}/{t['wrong']}, named {t['named']}/{t['wrong']}, "
        f"check crashed {t['crashed']}"
    )
    return 0 if t["accepted"] == t["right"] and t["rejected"] == t["wrong"] else 1


if __name__ == "__main__":
    sys.exit(main())
