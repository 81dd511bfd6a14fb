import json
import subprocess
import sys
from pathlib import Path

import pytest

from bpcourse import environment as doctor_module
from bpcourse.environment import (
    LAB_SETTINGS,
    SETUP_LAB,
    lab_settings_problem,
    report,
    widgets_frontend_problem,
)


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
    assert out.returncode == 2 and "usage: python -m bpcourse doctor | setup-lab" in out.stderr


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


# ----------------------------------------------------------------- JupyterLab settings
SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"


def test_shipped_lab_settings_are_valid_for_the_installed_jupyterlab():
    import jsonschema

    if not SCHEMAS.is_dir():
        pytest.skip(f"no JupyterLab schemas in {SCHEMAS}")
    shipped = json.loads(LAB_SETTINGS.read_text(encoding="utf-8"))
    assert shipped, "the shipped settings are empty"
    for plugin, values in shipped.items():
        package, _, name = plugin.partition(":")
        schema_path = SCHEMAS / package / f"{name}.json"
        assert schema_path.is_file(), f"{plugin}: no such plugin in the installed JupyterLab"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        for key in values:
            assert key in schema["properties"], f"{plugin} has no setting {key!r}"
        jsonschema.validate(values, schema)  # types and allowed values ("true"/"false"/"none")
    news = shipped["@jupyterlab/apputils-extension:notification"]
    assert news == {"fetchNews": "false", "checkForUpdates": False}


def test_setup_lab_installs_the_settings_where_jupyterlab_reads_them(tmp_path, monkeypatch):
    import bpcourse.__main__ as cli

    assert "not installed" in lab_settings_problem(tmp_path)
    assert any(fix == SETUP_LAB for _, fix in report(prefix=tmp_path).problems)
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert cli.main(["setup-lab"]) == 0
    target = tmp_path / "share/jupyter/lab/settings/overrides.d/bpcourse.json"
    assert target.read_bytes() == LAB_SETTINGS.read_bytes()
    assert lab_settings_problem(tmp_path) is None
    assert not any(fix == SETUP_LAB for _, fix in report(prefix=tmp_path).problems)
    target.write_text('{"@jupyterlab/apputils-extension:notification": {}}')
    assert "differs" in lab_settings_problem(tmp_path)
