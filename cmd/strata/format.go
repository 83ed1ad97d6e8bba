package main

import (
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/strata-analytics/strata/engine"
)

// formatValue renders a database value for a terminal table.
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.DateTime)
	case float64:
		return formatFloat(x)
	case float32:
		return formatFloat(float64(x))
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

func formatFloat(f float64) string {
	if math.Abs(f) >= 0.01 || f == 0 {
		return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', 3, 64)
}

// jsonValue makes a database value JSON-friendly: dates as strings, and
// numbers that are not finite as the strings jsonNumber writes.
func jsonValue(v any) any {
	switch x := v.(type) {
	case float64:
		return jsonNumber(x)
	case float32:
		return jsonNumber(x)
	case time.Time:
		return formatValue(x)
	case *big.Int:
		return x.String()
	case []byte:
		return string(x)
	}
	return v
}

func formatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func formatMetric(f *jsonNumber) string {
	if f == nil {
		return "NULL"
	}
	return formatFloat(float64(*f))
}

func toFloat(v any) *jsonNumber {
	var f jsonNumber
	switch x := v.(type) {
	case nil:
		return nil
	case float64:
		f = jsonNumber(x)
	case int64:
		f = jsonNumber(x)
	default:
		return nil
	}
	return &f
}

const maxCellWidth = 40

// printTable prints rows as an aligned table; numbers are right-aligned and
// long cells are cut with an ellipsis.
func printTable(w io.Writer, rows *engine.Rows) {
	cells := make([][]string, len(rows.Values))
	widths := make([]int, len(rows.Columns))
	numeric := make([]bool, len(rows.Columns))
	for i, c := range rows.Columns {
		widths[i] = utf8.RuneCountInString(c)
		numeric[i] = true
	}
	for r, row := range rows.Values {
		cells[r] = make([]string, len(row))
		for i, v := range row {
			s := strings.ReplaceAll(formatValue(v), "\n", "⏎")
			if utf8.RuneCountInString(s) > maxCellWidth {
				s = string([]rune(s)[:maxCellWidth-1]) + "…"
			}
			cells[r][i] = s
			widths[i] = max(widths[i], utf8.RuneCountInString(s))
			switch v.(type) {
			case int64, int32, float64, float32, *big.Int, nil:
			default:
				numeric[i] = false
			}
		}
	}
	line := func(values []string) {
		for i, v := range values {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(v))
			if i > 0 {
				io.WriteString(w, "  ")
			}
			if numeric[i] {
				io.WriteString(w, pad+v)
			} else if i < len(values)-1 {
				io.WriteString(w, v+pad)
			} else {
				io.WriteString(w, v)
			}
		}
		io.WriteString(w, "\n")
	}
	line(rows.Columns)
	rules := make([]string, len(widths))
	for i, n := range widths {
		rules[i] = strings.Repeat("-", n)
	}
	line(rules)
	for _, r := range cells {
		line(r)
	}
}

// formatAmount renders a total or an average for the summary: digits
// grouped by thousands and, when it has a fraction, two decimals, so that
// every number of a column reads alike ("2,342,136", "1,171.07").
// Amounts too small for two decimals keep three significant digits.
func formatAmount(f *jsonNumber) string {
	if f == nil {
		return "NULL"
	}
	x := float64(*f)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return strconv.FormatFloat(x, 'f', -1, 64)
	case x != 0 && math.Abs(x) < 0.005:
		return strconv.FormatFloat(x, 'g', 3, 64)
	case math.Abs(x) >= 1e15:
		return strconv.FormatFloat(x, 'g', 6, 64)
	}
	rounded := math.Round(x*100) / 100
	whole, frac := math.Modf(math.Abs(rounded))
	sign := ""
	if rounded < 0 {
		sign = "-"
	}
	s := sign + formatCount(int64(whole))
	if frac != 0 {
		s += strings.TrimPrefix(strconv.FormatFloat(frac, 'f', 2, 64), "0")
	}
	return s
}
