# csv-to-tsv.awk: convert CSV to TSV so that awk -F'\t', sort and cut can work on it safely.
#
# Usage:  awk -f csv-to-tsv.awk data.csv > data.tsv
#         awk -v sep=';' -f csv-to-tsv.awk data.csv > data.tsv     (other single-character separator)
#
# Handles quoted fields ("a, b"), doubled quotes inside them ("say ""hi"""), line breaks inside quoted
# fields, Windows line endings and a UTF-8 byte-order mark. Tabs and line breaks inside a field become
# single spaces, so every output line is exactly one record. Works with mawk, gawk and busybox awk.
# An unterminated quote is reported on stderr with the line where its record started.

function swap(s,    result, k) {
  result = ""
  while ((k = index(s, sep)) > 0) {
    result = result substr(s, 1, k - 1) "\t"
    s = substr(s, k + 1)
  }
  return result s
}

function parse(s,    i, n, c) {
  n = length(s)
  for (i = 1; i <= n; i++) {
    c = substr(s, i, 1)
    if (inquote) {
      if (c == "\"") {
        if (substr(s, i + 1, 1) == "\"") { field = field "\""; i++ }
        else inquote = 0
      } else if (c == "\t") field = field " "
      else field = field c
    } else if (c == "\"") inquote = 1
    else if (c == sep) { out = out field "\t"; field = "" }
    else if (c == "\t") field = field " "
    else field = field c
  }
}

BEGIN {
  if (sep == "") sep = ","
  if (sep == "\\t") sep = "\t"
  inquote = 0; out = ""; field = ""
}

{
  line = $0
  sub(/\r$/, "", line)
  if (NR == 1) sub(/^\357\273\277/, "", line)
  if (!inquote && index(line, "\"") == 0) {
    if (sep != "\t") gsub(/\t/, " ", line)
    print swap(line)
    next
  }
  if (!inquote) start = NR
  else field = field " "
  parse(line)
  if (!inquote) {
    print out field
    out = ""; field = ""
  }
}

END {
  if (inquote) {
    print out field
    print "csv-to-tsv: unterminated quoted field in the record starting at line " start > "/dev/stderr"
    exit 1
  }
}
