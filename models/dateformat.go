package models

import "strings"

// dateCodes are the strptime codes a seed's date_format may use, with
// the Go layout each stands for.
var dateCodes = map[byte]string{'Y': "2006", 'm': "01", 'd': "02", 'H': "15", 'M': "04", 'S': "05", '%': "%"}

// UnsupportedDateCode returns the first code of a date format that is not
// one of %Y %m %d %H %M %S %%, or "" when there is none.
func UnsupportedDateCode(format string) string {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		if i+1 == len(format) {
			return "a % at the end"
		}
		if _, ok := dateCodes[format[i+1]]; !ok {
			return "%" + string(format[i+1])
		}
		i++
	}
	return ""
}

// DateLayout is a date format's Go layout for time.Parse; ok is false
// when the format has a code it cannot express, or a letter or digit
// written as it is, which a Go layout would read as a code.
func DateLayout(format string) (layout string, ok bool) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if c := format[i]; c != '%' {
			if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				return "", false
			}
			b.WriteByte(c)
			continue
		}
		if i+1 == len(format) {
			return "", false
		}
		code, known := dateCodes[format[i+1]]
		if !known {
			return "", false
		}
		b.WriteString(code)
		i++
	}
	return b.String(), true
}
