"""python -m bpcourse doctor | setup-lab | update | grade

doctor     check the environment (exit status 1 when a problem is found)
setup-lab  install the course's JupyterLab settings (no news question, no update check) into
           this environment; `make setup` and Binder's postBuild run it for you
update     bring the course's newest edition into your copy of it, keeping your answers
           (python -m bpcourse update --help; in a notebook cell: %run -m bpcourse update)
grade      grade a folder of submitted notebooks with the course's checks (instructors;
           python -m bpcourse grade --help)
"""

import shutil
import sys
from pathlib import Path

USAGE = "usage: python -m bpcourse doctor | setup-lab | update [--help] | grade [--help]"


def _settings_beside(start):
    """The course's JupyterLab settings file in `start` or a folder above it, or None.

    An installed (not editable) bpcourse has no checkout around it, so `setup-lab` run in a
    student's copy of the course finds the file there.
    """
    from bpcourse.environment import LAB_SETTINGS

    relative = LAB_SETTINGS.relative_to(LAB_SETTINGS.parents[4])
    for folder in [start, *start.parents]:
        if (folder / relative).is_file():
            return folder / relative
    return None


def setup_lab():
    """Install the course's JupyterLab settings; return the exit status."""
    import json

    from bpcourse import environment

    try:
        if environment.LAB_SETTINGS.is_file():
            path = environment.install_lab_settings()
        else:
            found = _settings_beside(Path.cwd().resolve())
            if found is None:
                raise FileNotFoundError(
                    f"{environment.LAB_SETTINGS.name} not found: run this inside your copy of "
                    "the course (the folder with jupyter/lab/settings/)"
                )
            json.loads(found.read_text(encoding="utf-8"))  # never install a broken file
            path = environment.lab_settings_target()
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found, path)
    except (OSError, ValueError) as error:
        print(f"setup-lab: {error}", file=sys.stderr)
        return 1
    print(f"JupyterLab settings installed: {path}")
    return 0


def main(argv):
    if argv == ["doctor"]:
        from bpcourse.environment import report

        rep = report()
        print(rep)
        return 0 if rep.ok else 1
    if argv == ["setup-lab"]:
        return setup_lab()
    if argv[:1] == ["update"]:
        from bpcourse.update import main as update_main

        return update_main(argv[1:])
    if argv[:1] == ["grade"]:
        from bpcourse.grading import main as grade_main

        return grade_main(argv[1:])
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
