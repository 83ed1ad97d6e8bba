package models

import "sort"

// Type is the type of a column, an attribute or a metric value.
type Type int

const (
	TypeUnknown Type = iota
	TypeString
	TypeInteger
	TypeNumber
	TypeBoolean
	TypeDate
	TypeTimestamp
)

var typeNames = map[Type]string{
	TypeUnknown:   "unknown",
	TypeString:    "string",
	TypeInteger:   "integer",
	TypeNumber:    "number",
	TypeBoolean:   "boolean",
	TypeDate:      "date",
	TypeTimestamp: "timestamp",
}

func (t Type) String() string { return typeNames[t] }

// WithArticle is the type's name after "a" or "an": "an integer", "a date".
func (t Type) WithArticle() string {
	if t == TypeInteger || t == TypeUnknown {
		return "an " + t.String()
	}
	return "a " + t.String()
}

// IsNumeric reports whether arithmetic applies to values of the type.
func (t Type) IsNumeric() bool { return t == TypeInteger || t == TypeNumber }

// IsTemporal reports whether the type is a date or a timestamp.
func (t Type) IsTemporal() bool { return t == TypeDate || t == TypeTimestamp }

// ParseType maps a type keyword of the language ("string", "integer", ...) to a Type.
func ParseType(name string) (Type, bool) {
	for t, n := range typeNames {
		if n == name && t != TypeUnknown {
			return t, true
		}
	}
	return TypeUnknown, false
}

// TypeKeywords lists the type keywords the language accepts, sorted.
func TypeKeywords() []string {
	var names []string
	for t, n := range typeNames {
		if t != TypeUnknown {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}
