import subprocess
import sys

from bpcourse import environment as doctor_module
from bpcourse.environment import report, widgets_frontend_problem


def test_command_line_doctor_reports_versions_and_exit_status():
    out = subprocess.run(
        [sys.executable, "-m", "bpcourse", "doctor"], capture_output=True, text=True
    )
    assert out.stdout.startswith("bpcourse doctor")
    for name in ["numpy", "ipywidgets", "jupyterlab_widgets", "jupyterlab", "bpcourse"]:
        assert f"\n  {name} " in out.stdout
    assert out.returncode == (0 if "no problem found" in out.stdout else 1)


def test_usage_message_for_an_unknown_command():
    out = subprocess.run([sys.executable, "-m", "bpcourse", "cure"], capture_output=True, text=True)
    assert out.returncode == 2 and "usage: python -m bpcourse doctor" in out.stderr


def test_widget_frontend_mismatch_is_diagnosed():
    assert widgets_frontend_problem("8.1.5", "3.0.13", "~=3.0.13") is None
    assert "does not match" in widgets_frontend_problem("8.1.5", "1.1.7", "~=3.0.13")
    assert "does not match" in widgets_frontend_problem("8.1.5", "3.0.10", "~=3.0.13")
    assert "missing" in widgets_frontend_problem("8.1.5", None, "~=3.0.13")
    assert widgets_frontend_problem(None, None, "") is None


def test_a_missing_package_and_a_foreign_kernel_each_come_with_a_fix(monkeypatch):
    real = doctor_module.version_of
    monkeypatch.setattr(
        doctor_module, "version_of", lambda name: None if name == "sympy" else real(name)
    )
    rep = report(prefix="/somewhere/else")
    problems = dict(rep.problems)
    assert problems["sympy is not installed"] == "python -m pip install -r requirements.txt"
    kernel = [fix for problem, fix in rep.problems if "not the project's .venv" in problem]
    assert kernel and "make lab" in kernel[0]
    assert not rep.ok and "fix: " in str(rep)


def test_bpcourse_doctor_is_the_notebook_entry_point():
    import bpcourse

    rep = bpcourse.doctor()
    assert rep.lines[0].startswith("python ")
    assert any(line.startswith("bpcourse ") for line in rep.lines)
