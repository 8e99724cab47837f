# tsv-profile.awk: profile every column of a TSV file whose first line is a header.
#
# Usage:  awk -F'\t' -f tsv-profile.awk data.tsv
#         awk -f csv-to-tsv.awk data.csv | awk -F'\t' -f tsv-profile.awk
#
# Prints a Markdown table, one row per column: its inferred type, how many values are filled / empty,
# the number of distinct values (counted up to `maxdistinct`, default 10000, per column), min / max /
# mean for numbers (min / max length for text) and up to three example values. Also reports rows whose
# field count differs from the header's (a sign of a wrong separator or broken quoting).

function isnumber(v) {
  return v ~ /^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/
}

function clip(v) {
  gsub(/\|/, "\\|", v)
  return length(v) > 24 ? substr(v, 1, 21) "..." : v
}

BEGIN {
  FS = "\t"
  if (maxdistinct == "") maxdistinct = 10000
}

NR == 1 {
  columns = NF
  for (c = 1; c <= NF; c++) name[c] = ($c == "" ? "(column " c ")" : $c)
  next
}

{
  rows++
  if (NF != columns) {
    ragged++
    if (firstragged == "") firstragged = NR " (" NF " fields)"
  }
  for (c = 1; c <= columns; c++) {
    v = (c <= NF ? $c : "")
    if (v ~ /^[ ]*$/) { empty[c]++; continue }
    filled[c]++
    if (!((c, v) in seen)) {
      if (distinct[c] < maxdistinct) { seen[c, v] = 1; distinct[c]++ }
      else capped[c] = 1
      if (examples[c] < 3) { example[c] = example[c] (examples[c] ? "; " : "") clip(v); examples[c]++ }
    }
    if (isnumber(v)) {
      x = v + 0
      if (numbers[c] == 0 || x < nmin[c]) nmin[c] = x
      if (numbers[c] == 0 || x > nmax[c]) nmax[c] = x
      numbers[c]++; sum[c] += x
    } else {
      l = length(v)
      if (texts[c] == 0 || l < lmin[c]) lmin[c] = l
      if (texts[c] == 0 || l > lmax[c]) lmax[c] = l
      texts[c]++
    }
  }
}

END {
  print "rows (excluding header): " rows + 0 ", columns: " columns + 0
  if (ragged) print "rows with a field count different from the header: " ragged ", first at line " firstragged
  print ""
  print "| column | type | filled | empty | distinct | min | max | mean | examples |"
  print "|---|---|---|---|---|---|---|---|---|"
  for (c = 1; c <= columns; c++) {
    if (filled[c] == 0) type = "empty"
    else if (texts[c] == 0) type = "number"
    else if (numbers[c] == 0) type = "text"
    else if (numbers[c] >= texts[c]) type = "mostly number (" texts[c] " text)"
    else type = "mostly text (" numbers[c] " numbers)"
    if (numbers[c] > 0 && numbers[c] >= texts[c]) {
      lo = sprintf("%.10g", nmin[c]); hi = sprintf("%.10g", nmax[c]); mean = sprintf("%.6g", sum[c] / numbers[c])
    } else if (texts[c] > 0) {
      lo = "len " lmin[c]; hi = "len " lmax[c]; mean = "-"
    } else { lo = "-"; hi = "-"; mean = "-" }
    d = distinct[c] + 0
    if (capped[c]) d = ">" maxdistinct
    printf "| %s | %s | %d | %d | %s | %s | %s | %s | %s |\n", clip(name[c]), type, filled[c], empty[c], d, lo, hi, mean, example[c]
  }
}
