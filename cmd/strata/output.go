package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"
)

// safeWriter keeps the terminal safe from names and data: every control
// character but newline and tab (ESC, CR, NUL, DEL, the C1 controls) is
// written as a \u escape, and bytes that are not UTF-8 as \x escapes, so
// that a segment named "\u001b[2J" or a CSV cell holding a carriage
// return cannot rewrite what the user sees. JSON output passes through
// unchanged in meaning: its strings never hold raw control characters,
// and \u escapes are JSON's own.
type safeWriter struct{ w io.Writer }

func (s safeWriter) Write(p []byte) (int, error) {
	clean := true
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		if unsafeRune(r, size) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s.w.Write(p)
	}
	var b bytes.Buffer
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, p[i])
		case unsafeRune(r, size):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.Write(p[i : i+size])
		}
		i += size
	}
	if _, err := s.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

func unsafeRune(r rune, size int) bool {
	if r == utf8.RuneError && size == 1 {
		return true
	}
	return (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f)
}

// jsonError is what a failing command prints in --json mode.
type jsonError struct {
	Error struct {
		Code    int    `json:"code"`
		Kind    string `json:"kind"`
		Message string `json:"message"`
	} `json:"error"`
}

var errorKinds = map[int]string{exitUsage: "usage", exitDatabase: "database", exitInternal: "internal"}

// fail reports a failure that is not about the project's files (those
// are diagnostics): as "strata: message" on stderr, or in --json mode as
// a JSON object on stdout. It returns code, so a command can return it.
func (e *env) fail(code int, format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	if e.json {
		var out jsonError
		out.Error.Code, out.Error.Kind, out.Error.Message = code, errorKinds[code], msg
		if c := e.printJSON(out); c != exitOK {
			return c
		}
		return code
	}
	fmt.Fprintln(e.stderr, "strata: "+msg)
	return code
}

// flagError turns an error from parsing flags into the exit code: the flag
// package has printed it in text mode; in --json mode it is reported as
// JSON.
func (e *env) flagError(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if e.json {
		return e.fail(exitUsage, "%v", err)
	}
	return exitUsage
}

// printJSON prints v as indented JSON. Encoding cannot fail for the
// values Strata prints (numbers that are not finite go through
// jsonNumber); if it ever does, the command fails rather than print
// nothing and succeed.
func (e *env) printJSON(v any) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		fmt.Fprintf(e.stderr, "strata: encoding JSON: %v\n", err)
		return exitInternal
	}
	if _, err := e.stdout.Write(append(b, '\n')); err != nil {
		return exitInternal
	}
	return exitOK
}

// jsonNumber is a number in JSON output; NaN and the infinities, which
// JSON has no numbers for, are written as the strings "NaN", "Infinity"
// and "-Infinity".
type jsonNumber float64

func (n jsonNumber) MarshalJSON() ([]byte, error) {
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return []byte(`"NaN"`), nil
	case math.IsInf(f, 1):
		return []byte(`"Infinity"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-Infinity"`), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}
