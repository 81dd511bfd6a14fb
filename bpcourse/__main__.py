"""python -m bpcourse doctor | setup-lab

doctor     check the environment (exit status 1 when a problem is found)
setup-lab  install the course's JupyterLab settings (no news question, no update check) into
           this environment; `make setup` and Binder's postBuild run it for you
"""

import sys

USAGE = "usage: python -m bpcourse doctor | setup-lab"


def main(argv):
    if argv == ["doctor"]:
        from bpcourse.environment import report

        rep = report()
        print(rep)
        return 0 if rep.ok else 1
    if argv == ["setup-lab"]:
        from bpcourse.environment import install_lab_settings

        try:
            path = install_lab_settings()
        except (OSError, ValueError) as error:
            print(f"setup-lab: {error}", file=sys.stderr)
            return 1
        print(f"JupyterLab settings installed: {path}")
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
