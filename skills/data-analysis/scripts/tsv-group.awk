# tsv-group.awk: group the rows of a TSV file (first line = header) by one column and aggregate another.
#
# Usage:  awk -F'\t' -v key=region -v value=amount -f tsv-group.awk data.tsv
#         awk -F'\t' -v key=region -f tsv-group.awk data.tsv            (counts only)
#
# `key` and `value` are header names (or 1-based column numbers). Output is TSV with a header:
# key, count, and when `value` is given: sum, mean, min, max over the numeric values, plus how many
# values were not numbers. Groups come out in no particular order; sort them, for example by sum:
#   ... | { IFS= read -r header; echo "$header"; sort -t "$(printf '\t')" -k3,3gr; }

function isnumber(v) {
  return v ~ /^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/
}

function column(label,    c) {
  if (label ~ /^[0-9]+$/ && label + 0 >= 1 && label + 0 <= NF) return label + 0
  for (c = 1; c <= NF; c++) if ($c == label) return c
  print "tsv-group: no column named '" label "' in the header" > "/dev/stderr"
  failed = 1
  exit 2
}

BEGIN { FS = "\t" }

NR == 1 {
  if (key == "") { print "tsv-group: pass -v key=<column>" > "/dev/stderr"; failed = 1; exit 2 }
  k = column(key)
  if (value != "") v = column(value)
  next
}

{
  g = $k
  if (!(g in count)) order[++groups] = g
  count[g]++
  if (v) {
    x = $v
    if (isnumber(x)) {
      x += 0
      if (!(g in numbers) || x < low[g]) low[g] = x
      if (!(g in numbers) || x > high[g]) high[g] = x
      numbers[g]++; sum[g] += x
    } else if (x != "") skipped[g]++
  }
}

END {
  if (failed) exit 2
  if (v) print key "\tcount\tsum\tmean\tmin\tmax\tnot_numeric"
  else print key "\tcount"
  for (i = 1; i <= groups; i++) {
    g = order[i]
    if (!v) { print g "\t" count[g]; continue }
    if (numbers[g]) printf "%s\t%d\t%.10g\t%.6g\t%.10g\t%.10g\t%d\n", g, count[g], sum[g], sum[g] / numbers[g], low[g], high[g], skipped[g]
    else printf "%s\t%d\t0\t-\t-\t-\t%d\n", g, count[g], skipped[g]
  }
}
