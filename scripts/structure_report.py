"""The structure numbers of issue 14's closing note, for this tree or another one.

    PYTHONPATH=src python scripts/structure_report.py [--repo DIR]

Prints (a) the direct imports that run up the layers of the import contract in this tree's
pyproject.toml, counted with and without the contract's ``ignore_imports``; (b) the ten largest
functions under src/ by lines of code (no blank lines, no docstrings); (c) the lines of code of
src/ila_register/demo/*.py and the lines of the demo's data files; (d) what the ``duplicates``
command finds, where it is installed. A tree from before ``lib/`` was split (``--repo`` of an older
checkout) is read with each ``ila_register.lib.X`` taken as ``kernel.X`` where this tree has
``kernel/X.py``, else as ``platform.X``, so that the numbers compare.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

HERE = Path(__file__).resolve().parents[1]
PACKAGE = "ila_register"


def _contract() -> tuple[list[list[str]], list[tuple[re.Pattern[str], re.Pattern[str]]]]:
    """The layers (highest first, each a list of sibling modules) and the ignored imports."""
    config = tomllib.loads((HERE / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")
    ignored = []
    for line in layers.get("ignore_imports", []):
        importer, imported = line.split("->")
        ignored.append((_pattern(importer.strip()), _pattern(imported.strip())))
    return [[m.strip() for m in re.split(r"[|:]", layer)] for layer in layers["layers"]], ignored


def _pattern(expression: str) -> re.Pattern[str]:
    """An import-linter module expression: ``*`` is one name, ``**`` one or more."""
    parts = [{"*": r"[^.]+", "**": r"[^.]+(\.[^.]+)*"}.get(p, re.escape(p)) for p in expression.split(".")]
    return re.compile(r"\.".join(parts) + "$")


def _renamed(module: str) -> str:
    """A module's name in this tree's layout (``lib`` was split into ``kernel`` and ``platform``)."""
    prefix = f"{PACKAGE}.lib"
    if module != prefix and not module.startswith(prefix + "."):
        return module
    rest = module.removeprefix(prefix)
    first = rest.lstrip(".").split(".")[0]
    target = "kernel" if first and (HERE / "src" / PACKAGE / "kernel" / f"{first}.py").exists() else "platform"
    return f"{PACKAGE}.{target}{rest}"


def _layer(module: str, layers: list[list[str]]) -> int | None:
    for index, siblings in enumerate(layers):
        if any(module == m or module.startswith(m + ".") for m in siblings):
            return index
    return None


def upward_imports(repo: Path) -> None:
    sys.path.insert(0, str(repo / "src"))
    graph = grimp.build_graph(PACKAGE, cache_dir=None)
    layers, ignored = _contract()
    upward: list[tuple[str, str, bool]] = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            low, high = _renamed(importer), _renamed(imported)
            below, above = _layer(low, layers), _layer(high, layers)
            if below is not None and above is not None and below > above:
                upward.append((low, high, any(a.match(low) and b.match(high) for a, b in ignored)))
    print(f"(a) direct upward imports: {len(upward)}; not named in ignore_imports: {sum(not i for *_, i in upward)}")
    for low, high, is_ignored in upward:
        print(f"    {low} -> {high}{'  (ignored)' if is_ignored else ''}")


def _code_lines(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str], docstrings: set[int]) -> int:
    span = range(function.lineno, (function.end_lineno or function.lineno) + 1)
    return sum(1 for n in span if lines[n - 1].strip() and n not in docstrings)


def largest_functions(repo: Path, count: int = 10) -> None:
    sizes: list[tuple[int, str, str]] = []
    for path in sorted((repo / "src").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree, lines = ast.parse(source), source.splitlines()
        docstrings: set[int] = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                value = body[0].value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    docstrings.update(range(body[0].lineno, (body[0].end_lineno or body[0].lineno) + 1))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                where = f"{path.relative_to(repo)}:{node.lineno}"
                sizes.append((_code_lines(node, lines, docstrings), node.name, where))
    print(f"(b) the {count} largest functions in src (lines of code, no blank lines or docstrings):")
    for size, name, where in sorted(sizes, key=lambda s: (-s[0], s[2]))[:count]:
        print(f"    {size:>5}  {name}  {where}")


def demo_lines(repo: Path) -> None:
    demo = repo / "src" / PACKAGE / "demo"
    print("(c) lines of code (non-blank, non-comment) in demo/*.py:")
    total = 0
    for path in sorted(demo.glob("*.py")):
        code = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()[:1] not in ("", "#"))
        total += code
        print(f"    {code:>5}  {path.name}")
    print(f"    {total:>5}  total")
    data = sorted(p for p in (demo / "data").rglob("*") if p.is_file()) if (demo / "data").is_dir() else []
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in data)
    print(f"    lines in demo/data files: {lines} in {len(data)} files")


def duplicates(repo: Path) -> None:
    """The summary line of the ``duplicates`` command (a tool of this workplace, where installed)."""
    command = shutil.which("duplicates")
    if command is None:
        print("(d) duplicates: the command is not installed")
        return
    arguments = [command, "--repo", str(repo), "--seconds", "120"]
    output = subprocess.run(arguments, capture_output=True, text=True, check=False).stdout.splitlines()  # noqa: S603
    summary = [line for line in output if not line.startswith("D") and not line.startswith("(+")]
    print(f"(d) duplicates: {' / '.join(summary) or 'no output'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, default=HERE, help="the checkout to measure (default: this one)")
    repo: Path = parser.parse_args(argv).repo.resolve()
    print(f"structure of {repo}")
    upward_imports(repo)
    largest_functions(repo)
    demo_lines(repo)
    duplicates(repo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
