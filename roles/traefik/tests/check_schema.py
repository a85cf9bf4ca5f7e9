#!/usr/bin/env python3
"""Validate rendered Traefik configuration files against Traefik's published JSON schemas.

Used by the Molecule scenarios: the files are rendered on the test host, fetched to the
controller and checked here, because the Traefik image (which would reject a bad file itself)
cannot be pulled in an offline CI.

    check_schema.py SCHEMA.json FILE.yml [FILE.yml ...]

Exit status 0 when every file is valid, 1 when one is not (each error is printed with the path
of the offending key), 2 when the schema or a file cannot be read.
"""

import argparse
import json
import sys
from pathlib import Path

import jsonschema
import yaml


def load_schema(path: Path) -> dict:
    """Load the schema and close its root object.

    The static-configuration schema leaves unknown top-level keys allowed, so a misspelt
    section (`entrypoints:` for `entryPoints:`) would pass silently; the root is closed to the
    keys the schema names, which is what Traefik itself accepts.
    """
    schema = json.loads(path.read_text(encoding="utf-8"))
    if "properties" in schema and "additionalProperties" not in schema:
        schema = {**schema, "additionalProperties": False}
    return schema


def errors_of(validator: jsonschema.protocols.Validator, document: object) -> list[str]:
    """Every validation error as `path: message`, sorted for stable output."""
    found = []
    for error in validator.iter_errors(document):
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        found.append(f"{where}: {error.message}")
    return sorted(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schema", type=Path)
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()

    try:
        schema = load_schema(args.schema)
    except (OSError, ValueError) as exc:
        print(f"schema_unreadable path={args.schema} error={exc}", file=sys.stderr)
        return 2
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    status = 0
    for path in args.files:
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            print(f"file_unreadable path={path} error={exc}", file=sys.stderr)
            return 2
        problems = errors_of(validator, document)
        if problems:
            status = 1
            print(f"schema_invalid path={path} schema={args.schema.name}")
            for problem in problems:
                print(f"  {problem}")
        else:
            print(f"schema_valid path={path} schema={args.schema.name}")
    return status


if __name__ == "__main__":
    sys.exit(main())
