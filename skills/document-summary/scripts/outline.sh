#!/bin/sh
# outline.sh: map a long text document so it can be read in sections instead of all at once.
#
# Usage: sh outline.sh FILE [MAX_HEADINGS]
#
# Prints the size (lines, words, characters), then the line numbers of likely section headings:
# Markdown headings (# Title), underlined headings (Title / =====), numbered sections (1. / 2.3 / IV.),
# "Chapter", "Part", "Section", "Appendix" lines and short lines in capitals. If the file has form feeds
# (page breaks, as `pdftotext` writes them) it also prints the line where each page starts, so summaries
# can cite pages. At most MAX_HEADINGS headings are listed (default 200). Exit status 2 on a usage error.

if [ "$#" -lt 1 ] || [ ! -f "$1" ]; then
  echo "usage: sh outline.sh FILE [MAX_HEADINGS]" >&2
  exit 2
fi
file=$1
max=${2:-200}

set -- $(wc -l -w -c < "$file")
echo "lines: $1, words: $2, characters: $3"

awk -v max="$max" '
{ sub(/\r$/, "") }
index($0, "\f") {
  n = split($0, parts, "\f")
  for (i = 2; i <= n; i++) pagestart[++pages] = NR
}
{
  line = $0; gsub(/\f/, "", line)
  text = line; sub(/^[ \t]+/, "", text); sub(/[ \t]+$/, "", text)
  heading = ""
  if (text ~ /^##?#?#?#?#? /) heading = text
  else if (text ~ /^(=+|-+)$/ && length(text) >= 3 && previous != "" && previous !~ /^[-=*_ ]+$/) { heading = previous; at = NR - 1 }
  else if (text ~ /^([0-9]+(\.[0-9]+)*\.?|[IVXLC]+\.) +[A-Z]/ && length(text) <= 90 && text !~ /[.;,]$/) heading = text
  else if (text ~ /^(Chapter|CHAPTER|Part|PART|Section|SECTION|Appendix|APPENDIX) [0-9IVXLCA-Z]/ && length(text) <= 90) heading = text
  else if (text ~ /^[A-Z][A-Z0-9 ,:&()-]+$/ && length(text) >= 4 && length(text) <= 60 && text ~ /[A-Z][A-Z]/) heading = text
  if (heading != "") {
    if (at == "") at = NR
    found++
    if (found <= max) lines[found] = sprintf("%7d  %s", at, substr(heading, 1, 100))
    at = ""
  }
  previous = text
}
END {
  if (found == 0) print "headings: none found (read the file in fixed windows, e.g. 300 lines each)"
  else {
    print "headings (line  text):"
    shown = found < max ? found : max
    for (i = 1; i <= shown; i++) print lines[i]
    if (found > max) print "  ... " found - max " more headings not shown"
  }
  if (pages > 0) {
    printf "pages: %d (page N starts at line L, as N:L):", pages + 1
    printf " 1:1"
    for (i = 1; i <= pages; i++) printf " %d:%d", i + 1, pagestart[i]
    print ""
  }
}
' "$file"
