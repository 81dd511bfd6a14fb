"""Grading a class (bpcourse/grading.py): a folder of submissions written as students write them,
right in several styles, wrong, blank, and attempts to cheat, each scored as expected.

The submissions are notebook 01's student edition with its three exercises filled in (only
its first code cell and the exercise cells are kept, so that each runs in seconds). The grader
runs each in its sandbox; as root (CI), that is another user, no network and the rest of the
file system out of sight.
"""

import csv
import json
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

from bpcourse import grading
from bpcourse.exercises import EXERCISES
from tools import editions, make_student

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "01_chain_rule"

RIGHT = {
    "grad_h": ["f, g = x @ x, a @ x + c", "return 2 * x * g + f * a + a"],
    "df_dt": [
        "x1, x2 = np.cos(t), t**2",
        "return 2 * x1 * x2 * -np.sin(t) + x1**2 * 2 * t",
    ],
    "toy_partials": [
        "f, h = np.zeros(4), np.zeros(4)",
        "h[0] = x",
        "for k in range(4):",
        "    f[k] = beta[k] + omega[k] * h[k]",
        "    if k < 3:",
        "        h[k + 1] = max(f[k], 0.0)",
        "d = np.zeros(4)",
        "d[3] = 2 * (f[3] - y)",
        "for k in range(3, 0, -1):",
        "    d[k - 1] = (f[k - 1] > 0) * omega[k] * d[k]",
        "return d, h * d",
    ],
}
OTHER_STYLE = {
    "grad_h": [
        "n = len(x)",
        "f = sum(x[i] ** 2 for i in range(n))",
        "g = sum(a[i] * x[i] for i in range(n)) + c",
        "return [2 * x[i] * g + f * a[i] + a[i] for i in range(n)]",
    ],
    "df_dt": [
        "import sympy as sp",
        "tau = sp.Symbol('tau')",
        "return float(sp.diff(sp.cos(tau) ** 2 * tau**2, tau).subs(tau, t))",
    ],
    "toy_partials": [
        "b0, b1, b2, b3 = beta",
        "w0, w1, w2, w3 = omega",
        "f0 = b0 + w0 * x",
        "h1 = max(f0, 0)",
        "f1 = b1 + w1 * h1",
        "h2 = max(f1, 0)",
        "f2 = b2 + w2 * h2",
        "h3 = max(f2, 0)",
        "f3 = b3 + w3 * h3",
        "d3 = 2 * (f3 - y)",
        "d2 = (1 if f2 > 0 else 0) * w3 * d3",
        "d1 = (1 if f1 > 0 else 0) * w2 * d2",
        "d0 = (1 if f0 > 0 else 0) * w1 * d1",
        "return [d0, d1, d2, d3], [x * d0, h1 * d1, h2 * d2, h3 * d3]",
    ],
}
WRONG = {
    "grad_h": ["return 2 * x * a + a"],  # (f g)' as f' g'
    "df_dt": ["return 2 * np.cos(t) * t**2 * -np.sin(t)"],  # one path only
    "toy_partials": [line.replace("(f[k - 1] > 0) * ", "") for line in RIGHT["toy_partials"]],
}
EXPECTED_WRONG = {
    "grad_h": "product_of_derivatives",
    "df_dt": "missing_path",
    "toy_partials": "forgot_sigma_prime",
}


def student_edition():
    instructor = json.loads((ROOT / "notebooks" / f"{NOTEBOOK}.ipynb").read_text("utf-8"))
    nb, _ = make_student.student_notebook(instructor)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    nb["cells"] = [code[0]] + [c for c in code if editions.role(c) == "exercise"]
    return nb


def submission(answers=None, before=(), **changed):
    """The trimmed student edition with `answers` {name: body lines} in place of the stubs,
    `before` code cells added after the imports."""
    nb = student_edition()
    answers = {**(answers or {}), **changed}
    for cell in nb["cells"]:
        text = editions.source(cell)
        for name, lines in answers.items():
            if f"def {name}(" not in text:
                continue
            out = []
            for line in text.splitlines():
                if "raise NotImplementedError(" in line:
                    indent = line[: len(line) - len(line.lstrip())]
                    out += [indent + body for body in lines]
                else:
                    out.append(line)
            text = "\n".join(out)
        cell["source"] = text
    for extra in reversed(before):
        nb["cells"].insert(
            1,
            {
                "cell_type": "code",
                "metadata": {},
                "source": extra,
                "outputs": [],
                "execution_count": None,
                "id": f"x{len(extra)}",
            },
        )
    return nb


def save(nb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade a class of twelve; return ({student: {exercise name: (points, verdict, diagnosis)}},
    the output folder, the submissions folder, the server's count of connections)."""
    base = tmp_path_factory.mktemp("class")
    subs, out = base / "submitted", base / "grades"
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    port, connections, stop = server.getsockname()[1], [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connections.append(server.accept())
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    canary = subs / "ada" / NOTEBOOK / f"{NOTEBOOK}.ipynb"
    cheats = [
        "import numpy as np\nnp.allclose = lambda *a, **k: True\nnp.array = lambda *a, **k: 0"
        "\nnp.asarray = lambda *a, **k: 0\nimport bpcourse.exercises as E\n"
        "E.check_df_dt = lambda f: 'correct'\nimport bpcourse.exercises.engine as G\n"
        "G.judge = lambda *a: ('correct', 'correct', None, {})\nG.plain = lambda v: v",
        "class Always:\n    def __eq__(self, other): return True\n"
        "    def __abs__(self): return 0.0\n    def __sub__(self, other): return self\n"
        "    __rsub__ = __sub__\n    def __array__(self, dtype=None, copy=None):\n"
        "        import numpy\n        return numpy.zeros(4)",
    ]
    students = {
        "ada": (submission(RIGHT), f"{NOTEBOOK}/{NOTEBOOK}"),  # nbgrader's collect layout
        "ben": (submission(OTHER_STYLE), f"ps1/{NOTEBOOK}"),  # any assignment folder
        "cy": (submission(WRONG), NOTEBOOK),  # flat
        "dee": (submission(), NOTEBOOK),  # blank: the stubs as handed out
        "eve": (
            submission(
                RIGHT,
                before=cheats,
                df_dt=["return 0.0"],
                toy_partials=["return Always(), Always()"],
                grad_h=[
                    "from bpcourse.exercises.chain_rule import grad_h_reference as helper",
                    "return helper(x, a, c)",
                ],
            ),
            NOTEBOOK,
        ),
        "fay": (submission(RIGHT, df_dt=["while True:", "    pass"]), NOTEBOOK),
        "gus": (submission(RIGHT, before=["while True:\n    pass"]), NOTEBOOK),
        "hal": (
            submission(RIGHT, toy_partials=["import os, signal", "os.kill(os.getpid(), 9)"]),
            NOTEBOOK,
        ),
        "ivy": (
            submission(
                RIGHT,
                before=["print('x' * 50_000_000)"],
                df_dt=["print('y' * 10_000_000)", *RIGHT["df_dt"]],
            ),
            NOTEBOOK,
        ),
        "jon": (
            submission(
                RIGHT,
                before=[
                    "import shutil, os, socket\n"
                    f"for path in [{str(subs)!r}, {str(out)!r}, {str(ROOT / 'notebooks')!r}]:\n"
                    "    shutil.rmtree(path, ignore_errors=True)\n"
                    f"try:\n    os.remove({str(canary)!r})\nexcept OSError:\n    pass\n"
                    f"try:\n    open({str(ROOT / 'bpcourse' / 'hacked.py')!r}, 'w')\n"
                    "except OSError:\n    pass\n"
                    f"try:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
                    "except OSError:\n    pass\n"
                    "try:\n    socket.create_connection(('1.1.1.1', 80), timeout=2)\n"
                    "except OSError:\n    pass"
                ],
            ),
            NOTEBOOK,
        ),
        "kim": (  # copies the instructor's notebook, solutions and all, from where it lies
            submission(
                RIGHT,
                before=[
                    f"import json\nnb = json.load(open({str(ROOT / 'notebooks' / NOTEBOOK)!r}"
                    " + '.ipynb'))"
                ],
                df_dt=["return 0.0"],
            ),
            NOTEBOOK,
        ),
    }
    for student, (nb, where) in students.items():
        save(nb, subs / student / f"{where}.ipynb")
    old = os.environ.get("BPCOURSE_CELL_BUDGET")
    os.environ["BPCOURSE_CELL_BUDGET"] = "20"
    try:
        result = grading.grade(subs, out, ROOT / "notebooks", progress=lambda line: None)
    finally:
        stop.set()
        server.close()
        if old is None:
            os.environ.pop("BPCOURSE_CELL_BUDGET", None)
        else:
            os.environ["BPCOURSE_CELL_BUDGET"] = old
    table = {
        g.student: {v.name: (v.points, v.status, v.diagnosis) for v in g.verdicts} for g in result
    }
    notes = {g.student: g.notes for g in result}
    return table, out, subs, connections, notes


def points(table, student):
    return sum(p for p, _, _ in table[student].values())


def test_every_submission_is_found_in_either_layout(graded):
    table, *_ = graded
    assert sorted(table) == sorted(
        ["ada", "ben", "cy", "dee", "eve", "fay", "gus", "hal", "ivy", "jon", "kim"]
    )


def test_right_answers_in_any_style_get_full_marks(graded):
    table, *_ = graded
    for student in ("ada", "ben"):
        assert points(table, student) == 3, table[student]


def test_wrong_answers_get_nothing_and_are_named(graded):
    table, *_ = graded
    for name, key in EXPECTED_WRONG.items():
        assert table["cy"][name] == (0.0, "mistake", key)


def test_a_blank_notebook_is_not_done_yet(graded):
    table, *_ = graded
    assert {status for _, status, _ in table["dee"].values()} == {"todo"}


def test_no_cheat_scores_what_it_faked(graded):
    table, *_ = graded
    eve = table["eve"]
    assert eve["df_dt"][0] == 0 and eve["df_dt"][2] == "unknown"  # patches change nothing
    assert eve["toy_partials"][:2] == (0.0, "error")  # an object that equals anything
    assert eve["toy_partials"][2] == "not_a_result"
    assert eve["grad_h"] == (0.0, "mistake", "uses_reference")  # the course's answer


def test_a_loop_a_crash_and_a_flood_cost_only_what_they_touch(graded):
    table, _, _, _, notes = graded
    assert table["fay"]["df_dt"] == (0.0, "error", "timeout")
    assert points(table, "fay") == 2
    assert points(table, "gus") == 3 and any("20 seconds" in n for n in notes["gus"])
    assert table["hal"]["toy_partials"] == (0.0, "error", "crashed")
    assert points(table, "hal") == 2
    assert points(table, "ivy") == 3


@pytest.mark.skipif(os.geteuid() != 0, reason="the separate user and mounts need root")
def test_a_submission_can_harm_nothing_and_reach_nothing(graded):
    table, out, subs, connections, notes = graded
    assert points(table, "jon") == 3
    assert (subs / "ada" / NOTEBOOK / f"{NOTEBOOK}.ipynb").is_file()
    assert (ROOT / "notebooks" / f"{NOTEBOOK}.ipynb").is_file()
    assert not (ROOT / "bpcourse" / "hacked.py").exists()
    assert connections == []  # no network, loopback included
    assert table["kim"]["df_dt"][0] == 0
    assert any("FileNotFoundError" in n for n in notes["kim"])  # the solutions were out of sight


def test_the_gradebook_the_totals_and_the_feedback_are_written(graded):
    table, out, *_ = graded
    rows = list(csv.DictReader(open(out / "grades.csv", encoding="utf-8")))
    assert {r["student"] for r in rows} == set(table)
    assert set(rows[0]) == {
        "student",
        "notebook",
        "exercise",
        "points",
        "max_points",
        "verdict",
        "diagnosis",
    }
    cy = [r for r in rows if r["student"] == "cy"]
    assert [r["exercise"] for r in cy] == ["1.1", "1.2", "1.3"]
    totals = {r["student"]: r for r in csv.DictReader(open(out / "totals.csv", encoding="utf-8"))}
    assert totals["ada"]["points"] == "3" and totals["ada"]["percent"] == "100.0"
    assert totals["fay"]["points"] == "2" and totals["fay"]["max_points"] == "3"
    page = (out / "feedback" / "cy" / f"{NOTEBOOK}.html").read_text(encoding="utf-8")
    assert "0 of 3 points" in page and "product of the derivatives" in page


def test_feedback_never_shows_an_answer(graded):
    _, out, *_ = graded
    exercise = EXERCISES["df_dt"]
    values = [float(exercise.reference(*case.args)) for case in exercise.cases()]
    for page in (out / "feedback").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for value in values:
            assert f"{value:.4f}" not in text and f"{value:.3g}" not in text


def test_points_are_read_from_the_instructor_notebook(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = json.loads((ROOT / "notebooks" / f"{NOTEBOOK}.ipynb").read_text("utf-8"))
    for cell in nb["cells"]:
        if "def grad_h(" in editions.source(cell):
            cell["metadata"].setdefault("bpcourse", {})["points"] = 2
    (folder / f"{NOTEBOOK}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    assert grading.declared_points(folder / f"{NOTEBOOK}.ipynb") == {
        "grad_h": 2.0,
        "df_dt": 1.0,
        "toy_partials": 1.0,
    }


def test_encode_and_decode_carry_plain_values_only():
    import numpy as np

    from bpcourse.exercises.reading import Opaque
    from bpcourse.grading_sandbox import encode

    values = [
        None,
        True,
        3,
        2.5,
        float("nan"),
        1 + 2j,
        "text",
        np.arange(6.0).reshape(2, 3),
        np.float32(1.5),
        [np.zeros(2), (1, 2.0)],
        np.ma.masked_array([1.0, 2.0]),
    ]
    back = [grading.decode(json.loads(json.dumps(encode(v)))) for v in values]
    assert back[:4] == [None, True, 3, 2.5] and np.isnan(back[4]) and back[5] == 1 + 2j
    assert back[6] == "text" and np.array_equal(back[7], values[7]) and back[8].dtype == np.float32
    assert isinstance(back[9], list) and isinstance(back[9][1], tuple)
    assert type(back[10]) is np.ndarray
    assert grading.decode(encode(iter([1]))) == Opaque("an object of type list_iterator")
    bad = {"k": "array", "dtype": "<f8", "shape": [3], "b": "AAAA"}
    assert isinstance(grading.decode(bad), Opaque)


def test_the_command_refuses_a_folder_that_is_not_one(tmp_path, capsys):
    with pytest.raises(SystemExit):
        grading.main([str(tmp_path / "nowhere")])
    assert "SUBMISSIONS must be a folder" in capsys.readouterr().err


def test_only_numbered_notebooks_count_and_checkpoints_never(tmp_path):
    for path in [
        "a/01_chain_rule.ipynb",
        "a/x/.ipynb_checkpoints/01_chain_rule.ipynb",
        "a/notes.ipynb",
        "b/ps1/04_backpropagation.ipynb",
        ".hidden/01_chain_rule.ipynb",
    ]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("{}")
    found = [(s, n) for s, n, _ in grading.submissions(tmp_path)]
    assert found == [("a", "01_chain_rule"), ("b", "04_backpropagation")]
    shutil.rmtree(tmp_path)
