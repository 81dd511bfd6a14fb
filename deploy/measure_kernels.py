"""Measure what each notebook of the student edition costs a kernel: memory and CPU time.

    python deploy/measure_kernels.py STUDENT_REPO [--out FILE.json]

runs every notebook of STUDENT_REPO/notebooks top to bottom in a fresh kernel of this Python
(as Run All does; the exercises are the student edition's stubs, so later cells use the
course's reference, as they do for a student who has not answered yet) and reads from /proc
(Linux) the kernel's resident memory (RSS) after the run, its peak (VmHWM) and the CPU time
it used (user + system). deploy/README.md sizes a hub from these figures; run it with the
Python the hub's users get (same versions: requirements.lock). It is a measurement, not a
test: it asserts nothing and takes a few minutes.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path


def read_proc(pid):
    """(RSS MiB, peak RSS MiB, CPU seconds) of a process, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    values = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return round(values["VmRSS"], 1), round(values["VmHWM"], 1), round(cpu, 2)


def measure(path):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=900, allow_errors=True, resources={"metadata": {"path": str(path.parent)}}
    )
    started = time.monotonic()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        idle = read_proc(pid)
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        rss, peak, cpu = read_proc(pid)
    errors = [
        output.get("ename")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    return {
        "notebook": path.name,
        "kernel_idle_rss_mib": idle[0],
        "kernel_rss_after_mib": rss,
        "kernel_peak_rss_mib": peak,
        "kernel_cpu_s": round(cpu - idle[2], 2),
        "wall_s": round(time.monotonic() - started, 1),
        "errors": errors,
    }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    os.environ.pop("BPCOURSE_FIGURES_DIR", None)
    rows = [measure(p) for p in sorted((args.repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
    print("| notebook | kernel RSS idle | after Run All | peak | kernel CPU | wall |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['notebook']} | {r['kernel_idle_rss_mib']:.0f} MiB | "
            f"{r['kernel_rss_after_mib']:.0f} MiB | {r['kernel_peak_rss_mib']:.0f} MiB | "
            f"{r['kernel_cpu_s']:.1f} s | {r['wall_s']:.0f} s |"
            + (f" errors: {r['errors']}" if r["errors"] else "")
        )
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
