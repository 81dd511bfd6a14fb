"""python -m bpcourse doctor: check the environment (exit status 1 when a problem is found)."""

import sys


def main(argv):
    if argv != ["doctor"]:
        print("usage: python -m bpcourse doctor", file=sys.stderr)
        return 2
    from bpcourse.environment import report

    rep = report()
    print(rep)
    return 0 if rep.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
