#!/usr/bin/env python3
"""Validates letfsim's files against the JSON Schemas in schemas/ (draft 2020-12).

Every scenario in configs/ and configs/data/ (read only: their data files are not needed)
against schemas/scenario.schema.json, every study in configs/studies/ against
schemas/study.schema.json, and each REPORT given against schemas/report.schema.json (and
each --scenario or --study FILE against its schema). With
--run LETFSIM OUT_DIR it first runs `LETFSIM run` on every configs/*.json scenario with
--paths 200 into OUT_DIR (and every configs/data/*.json whose data is present; the others are
skipped with a message) and validates those reports too.

A file that fails prints `FILE: JSON_PATH: message` for its most relevant error (jsonschema's
best_match) and the script exits 1 after checking every file. Exit 2 on usage errors. Needs
python3-jsonschema (Debian; scripts/setup.sh installs it).
"""

import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load_validators(schema_dir):
    """The three validators, with the schemas resolving each other's "$ref" by "$id"."""
    import jsonschema

    schemas = {}
    for kind in ("scenario", "study", "report"):
        path = schema_dir / f"{kind}.schema.json"
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        schemas[kind] = schema
    try:  # jsonschema >= 4.18: the referencing library
        import referencing
        import referencing.jsonschema

        registry = referencing.Registry().with_resources(
            (s["$id"], referencing.jsonschema.DRAFT202012.create_resource(s))
            for s in schemas.values())
        return {k: jsonschema.Draft202012Validator(s, registry=registry)
                for k, s in schemas.items()}
    except ImportError:  # Debian 12's 4.10: RefResolver with a store
        store = {s["$id"]: s for s in schemas.values()}
        return {k: jsonschema.Draft202012Validator(
                    s, resolver=jsonschema.RefResolver.from_schema(s, store=store))
                for k, s in schemas.items()}


def json_path(error):
    """`$.model.sigma`-style path of the failing value ("$" for the document)."""
    out = "$"
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def check(validator, path):
    """True when the file at `path` is valid; prints its first error otherwise."""
    import jsonschema

    try:
        doc = json.loads(pathlib.Path(path).read_text())
    except (OSError, ValueError) as e:
        print(f"{path}: cannot read JSON: {e}", file=sys.stderr)
        return False
    error = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if error is None:
        return True
    print(f"{path}: {json_path(error)}: {error.message}", file=sys.stderr)
    return False


def config_files(config_dir):
    """(kind, path) of every JSON file under configs/, studies apart."""
    files = [("scenario", p) for p in sorted(config_dir.glob("*.json"))]
    files += [("scenario", p) for p in sorted((config_dir / "data").glob("*.json"))]
    files += [("study", p) for p in sorted((config_dir / "studies").glob("*.json"))]
    return files


def data_files(config):
    """The data files a scenario names (model and rate series csv), resolved from its folder."""
    doc = json.loads(config.read_text())
    rate = doc.get("costs", {}).get("financing_rate")
    named = [doc.get("model", {}).get("csv"), rate.get("csv") if isinstance(rate, dict) else None]
    named += [a.get("model", {}).get("csv") for a in doc.get("assets", [])]
    return [config.parent / n for n in named if isinstance(n, str)]


def run_reports(letfsim, config_dir, out_dir):
    """Runs every configs/*.json scenario with 200 paths (and configs/data/*.json where their
    data is present, a historical model on its one path); the reports' paths (None on failure)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    reports = []
    configs = sorted(config_dir.glob("*.json")) + sorted((config_dir / "data").glob("*.json"))
    for config in configs:
        missing = [str(p) for p in data_files(config) if not p.is_file()]
        if missing:
            print(f"{config}: skipped, its data is absent: {', '.join(missing)}")
            continue
        doc = json.loads(config.read_text())
        first = doc["assets"][0]["model"] if doc.get("assets") else doc.get("model", {})
        historical = first.get("type") == "historical"  # also a joint one (its first asset)
        report = out_dir / f"{config.parent.name}_{config.stem}.json"
        cmd = [letfsim, "run", str(config), "--paths", "1" if historical else "200",
               "--threads", "2", "-q", "-o", str(report)]
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            print(f"{config}: letfsim run exited {done.returncode}: {done.stderr.strip()}",
                  file=sys.stderr)
            reports.append(None)
        else:
            reports.append(report)
    return reports


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Validate configs/ (and reports) against the JSON Schemas in schemas/.",
        epilog="exit codes: 0 all valid, 1 a file is invalid (or a run failed), 2 usage error")
    p.add_argument("reports", nargs="*", metavar="REPORT", help="report files of letfsim run")
    p.add_argument("--schemas", type=pathlib.Path, default=ROOT / "schemas",
                   help="folder of the schemas (default: the repository's schemas/)")
    p.add_argument("--configs", type=pathlib.Path, default=ROOT / "configs",
                   help="folder of the configs (default: the repository's configs/)")
    p.add_argument("--no-configs", action="store_true",
                   help="skip configs/ (validate only the files named)")
    p.add_argument("--scenario", action="append", default=[], metavar="FILE",
                   help="also validate FILE as a scenario (repeatable)")
    p.add_argument("--study", action="append", default=[], metavar="FILE",
                   help="also validate FILE as a study (repeatable)")
    p.add_argument("--run", nargs=2, metavar=("LETFSIM", "OUT_DIR"),
                   help="run LETFSIM on every configs/*.json with --paths 200 into OUT_DIR and "
                        "validate those reports")
    args = p.parse_args(argv)
    for d in (args.schemas, args.configs):
        if not d.is_dir():
            p.error(f"not a folder: {d}")
    return args


def main(argv):
    args = parse_args(argv)
    try:
        validators = load_validators(args.schemas)
    except ImportError:
        print("schema_check: needs python3-jsonschema (scripts/setup.sh installs it)",
              file=sys.stderr)
        return 1
    ok = True
    checked = 0
    if not args.no_configs:
        for kind, path in config_files(args.configs):
            ok = check(validators[kind], path) and ok
            checked += 1
    for kind, paths in (("scenario", args.scenario), ("study", args.study)):
        for path in paths:
            ok = check(validators[kind], path) and ok
            checked += 1
    reports = list(args.reports)
    if args.run:
        reports += run_reports(args.run[0], args.configs, pathlib.Path(args.run[1]))
    for report in reports:
        if report is None:
            ok = False
            continue
        ok = check(validators["report"], report) and ok
        checked += 1
    print(f"schema_check: {checked} files, {'all valid' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
