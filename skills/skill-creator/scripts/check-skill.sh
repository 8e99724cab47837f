#!/bin/sh
# check-skill.sh: check a skill folder against Sage's SKILL.md rules before the user imports it.
#
# Usage: sh check-skill.sh path/to/skill-folder
#
# Checks: SKILL.md exists; it starts with a '---' line and the frontmatter is closed by another; `name`
# is present, 1-64 characters of lowercase letters, digits and single inner hyphens, and equals the
# folder name; `description` is present, not empty and at most 1024 characters; the body is not empty;
# top-level fields other than name, description, license, allowed-tools and metadata are reported as
# warnings. This is a quick check with awk (simple `key: value` and `key: >` / `key: |` block values);
# Sage re-validates the skill fully with a YAML parser when it is imported.
# Exit status: 0 valid (warnings allowed), 1 errors found, 2 usage error.

if [ "$#" -ne 1 ]; then
  echo "usage: sh check-skill.sh <skill-folder>" >&2
  exit 2
fi
dir=$1
if [ ! -d "$dir" ]; then
  echo "error: $dir is not a folder" >&2
  exit 2
fi
folder=$(basename "$(cd "$dir" && pwd -P)")
file="$dir/SKILL.md"
if [ ! -f "$file" ]; then
  echo "error: $file is missing; every skill folder needs a SKILL.md"
  exit 1
fi

awk -v folder="$folder" '
function problem(kind, text) { print kind ": " text; if (kind == "error") errors++; else warnings++ }
function unquote(v) {
  sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
  if (v ~ /^".*"$/ || v ~ /^\047.*\047$/) v = substr(v, 2, length(v) - 2)
  return v
}
function finish_block() {
  if (blockkey != "") { value[blockkey] = blocktext; blockkey = "" }
}
BEGIN { state = "before"; known = " name description license allowed-tools metadata " }
{ sub(/\r$/, "") }
state == "before" {
  if ($0 ~ /^[ \t]*$/) next
  if ($0 ~ /^---[ \t]*$/) { state = "front"; next }
  problem("error", "line " NR ": the file must start with a --- line (YAML frontmatter)")
  state = "broken"; next
}
state == "front" {
  if ($0 ~ /^---[ \t]*$/) { finish_block(); state = "body"; next }
  if (blockkey != "" && ($0 ~ /^[ \t]/ || $0 == "")) {
    line = $0; sub(/^[ \t]+/, "", line)
    blocktext = blocktext (blocktext == "" ? "" : " ") line
    next
  }
  finish_block()
  if ($0 ~ /^[ \t]/ || $0 ~ /^#/) next
  if (match($0, /^[A-Za-z0-9_-]+:/)) {
    key = substr($0, 1, RLENGTH - 1)
    rest = substr($0, RLENGTH + 1)
    seen[key]++
    if (seen[key] > 1) problem("error", "line " NR ": field " key " appears twice")
    if (index(known, " " key " ") == 0) problem("warning", "line " NR ": unknown field " key " is ignored")
    v = unquote(rest)
    if (v ~ /^[>|][-+]?$/) { blockkey = key; blocktext = ""; value[key] = "" }
    else value[key] = v
    next
  }
  problem("error", "line " NR ": not a key: value line: " $0)
  next
}
state == "body" { if ($0 !~ /^[ \t]*$/) bodylines++ }
END {
  if (state == "before") problem("error", "the file is empty; it must start with YAML frontmatter")
  else if (state == "front") problem("error", "the frontmatter is not closed by a --- line")
  if (state == "body") {
    name = value["name"]
    if (!("name" in seen)) problem("error", "missing field name")
    else if (name == "") problem("error", "name is empty")
    else if (length(name) > 64) problem("error", "name is " length(name) " characters; the limit is 64")
    else if (name !~ /^[a-z0-9]+(-[a-z0-9]+)*$/) problem("error", "name \"" name "\" may contain only lowercase letters, digits and single hyphens between them")
    else if (name != folder) problem("error", "name \"" name "\" does not match the folder name \"" folder "\"")
    description = value["description"]
    if (!("description" in seen)) problem("error", "missing field description")
    else if (description == "") problem("error", "description is empty")
    else if (length(description) > 1024) problem("error", "description is " length(description) " characters; the limit is 1024")
    if (bodylines == 0) problem("warning", "the body is empty; add the instructions after the frontmatter")
  }
  if (errors) { print "FAILED: " errors " error(s), " warnings + 0 " warning(s)"; exit 1 }
  print "OK: " folder " (" warnings + 0 " warning(s))"
}
' "$file"
