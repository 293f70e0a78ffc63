"""Turns the field tables of eve-api-fields.md into JSON for the schema test.

Only facts (message, field, number, type, label, enum values, reserved
entries) are extracted; the test then holds proto/ to them without needing
this script or the document.
"""
import json
import re
import sys

HEADING = re.compile(r"^### (message|enum) (\S+)")
ROW = re.compile(r"^\|(.*)\|\s*$")


def cells(line):
    return [c.strip() for c in ROW.match(line).group(1).split("|")]


def parse(text):
    messages, enums, reserved = {}, {}, {}
    kind = name = None
    for line in text.splitlines():
        m = HEADING.match(line)
        if m:
            kind, name = m.group(1), m.group(2)
            (messages if kind == "message" else enums)[name] = []
            continue
        if line.startswith("## "):
            kind = name = None
            continue
        if name is None:
            continue
        if line.startswith("reserved:"):
            entries = [e.strip() for e in line[len("reserved:"):].split(",")]
            reserved[name] = {
                "ids": [int(e) for e in entries if e.isdigit()],
                "names": [e.strip('"') for e in entries if not e.isdigit()],
            }
            continue
        if not ROW.match(line) or set(line) <= set("|-"):
            continue
        row = cells(line)
        # Header rows name their columns; "(no fields)" marks an empty message.
        if row[1] == "number" or row[0].startswith("("):
            continue
        if kind == "message":
            messages[name].append({"name": row[0], "number": int(row[1]), "type": row[2], "label": row[3]})
        else:
            enums[name].append({"name": row[0], "number": int(row[1])})
    return {"messages": messages, "enums": enums, "reserved": reserved}


def main():
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        tables = parse(f.read())
    with open(out, "w", encoding="utf-8") as f:
        json.dump(tables, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
