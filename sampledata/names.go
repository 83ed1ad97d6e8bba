package sampledata

import "math/rand/v2"

// Company names are built from word lists. Some patterns put a comma, an
// apostrophe or a double quote in the name, and some surnames are not ASCII,
// so that readers of customers.csv meet real CSV quoting and UTF-8.
var (
	nameWords = []string{
		"Apex", "Atlas", "Beacon", "Blue", "Bright", "Cedar", "Clear", "Cobalt",
		"Crimson", "Delta", "Ember", "Falcon", "Golden", "Granite", "Harbor",
		"Horizon", "Iron", "Juniper", "Keystone", "Lakeside", "Lumen", "Maple",
		"Meridian", "Nimbus", "North", "Nova", "Oak", "Orbit", "Pioneer", "Pixel",
		"Polar", "Prairie", "Quantum", "Quartz", "Rapid", "Redwood", "Riverside",
		"Sable", "Silver", "Sterling", "Summit", "Tidal", "Trident", "Union",
		"Upland", "Velvet", "Vertex", "Vivid", "Willow", "Zenith",
	}
	nameNouns = []string{
		"Analytics", "Apparel", "Bakery", "Capital", "Cloud", "Consulting", "Data",
		"Dynamics", "Energy", "Foods", "Freight", "Games", "Health", "Insurance",
		"Labs", "Logistics", "Media", "Networks", "Outfitters", "Partners",
		"Pharma", "Realty", "Robotics", "Security", "Software", "Solutions",
		"Studios", "Systems", "Ventures", "Works",
	}
	nameSurnames = []string{
		"Andersson", "Bennett", "Costa", "D'Angelo", "Dubois", "Fischer", "Garcia",
		"Haddad", "Hughes", "Jansen", "Johnson", "Kim", "Kowalski", "McAllister",
		"Miller", "Moreau", "Müller", "Nguyen", "O'Brien", "O'Connor", "O'Reilly",
		"Okafor", "Patel", "Rossi", "Sato", "Schmidt", "Silva", "Smith", "Tanaka",
		"Łukasiewicz",
	}
	nameEndings = []string{"ly", "io", "ify", "hub", "stack", "base", "flow", "wise"}
	nameFamily  = []string{" & Sons", " & Daughters", " & Partners", " & Co."}
)

// legalSuffix is a company-form suffix that fits the country.
func legalSuffix(r *rand.Rand, country string) string {
	switch country {
	case "DE", "CH":
		return "GmbH"
	case "NL", "BE":
		return "B.V."
	case "FR":
		return "SAS"
	case "GB", "IE", "NZ":
		return "Ltd"
	case "AU":
		return "Pty Ltd"
	case "BR":
		return "Ltda."
	case "JP":
		return "K.K."
	case "IN":
		return "Pvt Ltd"
	case "SE", "NO", "DK":
		return "AB"
	}
	return [...]string{"Inc.", "LLC", "Corp.", "Inc."}[r.IntN(4)]
}

func oneOf(r *rand.Rand, words []string) string { return words[r.IntN(len(words))] }

// appendCompanyName appends a made-up company name (unquoted) to b.
func appendCompanyName(b []byte, r *rand.Rand, country string) []byte {
	switch u := r.Float64(); {
	case u < 0.34: // Summit Analytics [Ltd]
		b = append(b, oneOf(r, nameWords)...)
		b = append(b, ' ')
		b = append(b, oneOf(r, nameNouns)...)
		if r.Float64() < 0.4 {
			b = append(b, ' ')
			b = append(b, legalSuffix(r, country)...)
		}
	case u < 0.48: // Cobaltflow
		b = append(b, oneOf(r, nameWords)...)
		b = append(b, oneOf(r, nameEndings)...)
	case u < 0.58: // O'Reilly & Sons
		b = append(b, oneOf(r, nameSurnames)...)
		b = append(b, oneOf(r, nameFamily)...)
	case u < 0.65: // Patel, Rossi & Kim
		b = append(b, oneOf(r, nameSurnames)...)
		b = append(b, ", "...)
		b = append(b, oneOf(r, nameSurnames)...)
		b = append(b, " & "...)
		b = append(b, oneOf(r, nameSurnames)...)
	case u < 0.72: // Acme Software, Inc.
		b = append(b, oneOf(r, nameWords)...)
		b = append(b, ' ')
		b = append(b, oneOf(r, nameNouns)...)
		b = append(b, ", "...)
		b = append(b, legalSuffix(r, country)...)
	case u < 0.78: // Bennett's Bakery
		b = append(b, oneOf(r, nameSurnames)...)
		b = append(b, "'s "...)
		b = append(b, oneOf(r, nameNouns)...)
	case u < 0.80: // The "Blue" Studios, "Nova" Labs
		if r.IntN(2) == 0 {
			b = append(b, "The "...)
		}
		b = append(b, '"')
		b = append(b, oneOf(r, nameWords)...)
		b = append(b, "\" "...)
		b = append(b, oneOf(r, nameNouns)...)
	default: // Schmidt Logistics GmbH
		b = append(b, oneOf(r, nameSurnames)...)
		b = append(b, ' ')
		b = append(b, oneOf(r, nameNouns)...)
		b = append(b, ' ')
		b = append(b, legalSuffix(r, country)...)
	}
	return b
}
