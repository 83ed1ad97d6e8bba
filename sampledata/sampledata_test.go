package sampledata

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// dataset is one generated directory, parsed.
type dataset struct {
	dir     string
	summary Summary
	rows    map[string][][]string // file name -> data rows
}

func (d *dataset) file(name string) [][]string { return d.rows[name] }

// load runs Generate into dir and parses every file with encoding/csv,
// checking the header row and (encoding/csv's default) a constant number of
// fields per row.
func load(dir string, opts Options) (*dataset, error) {
	sum, err := Generate(dir, opts)
	if err != nil {
		return nil, err
	}
	d := &dataset{dir: dir, summary: sum, rows: map[string][][]string{}}
	for _, h := range headers {
		f, err := os.Open(filepath.Join(dir, h[0]))
		if err != nil {
			return nil, err
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h[0], err)
		}
		if len(rows) == 0 || strings.Join(rows[0], ",") != h[1] {
			return nil, fmt.Errorf("%s: header %q, want %q", h[0], rows[0], h[1])
		}
		d.rows[h[0]] = rows[1:]
	}
	return d, nil
}

func generateAndParse(t *testing.T, opts Options) *dataset {
	t.Helper()
	d, err := load(filepath.Join(t.TempDir(), "out"), opts) // out/ does not exist yet
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The default data set is generated once, into sharedDir, and shared by the
// tests that only read it.
var (
	sharedDir   string
	defaultOnce = sync.OnceValues(func() (*dataset, error) {
		return load(filepath.Join(sharedDir, "default"), Options{})
	})
)

func defaultDataset(t *testing.T) *dataset {
	t.Helper()
	d, err := defaultOnce()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMain(m *testing.M) {
	var err error
	if sharedDir, err = os.MkdirTemp("", "sampledata-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(sharedDir)
	os.Exit(code)
}

func TestDeterministic(t *testing.T) {
	base := t.TempDir()
	opts := Options{Customers: 700, Seed: 42}
	a, b, c := filepath.Join(base, "a"), filepath.Join(base, "b"), filepath.Join(base, "c")
	if _, err := Generate(a, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(b, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(c, Options{Customers: 700, Seed: 43}); err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		fa, _ := os.ReadFile(filepath.Join(a, h[0]))
		fb, _ := os.ReadFile(filepath.Join(b, h[0]))
		fc, _ := os.ReadFile(filepath.Join(c, h[0]))
		if len(fa) == 0 || !bytes.Equal(fa, fb) {
			t.Errorf("%s differs between two runs with the same options", h[0])
		}
		if bytes.Equal(fa, fc) {
			t.Errorf("%s is the same for seeds 42 and 43", h[0])
		}
	}
	// Generating again into an existing directory replaces the files.
	if _, err := Generate(a, opts); err != nil {
		t.Fatal(err)
	}
	fa, _ := os.ReadFile(filepath.Join(a, fileEvents))
	fb, _ := os.ReadFile(filepath.Join(b, fileEvents))
	if !bytes.Equal(fa, fb) {
		t.Error("regenerating into an existing directory changed the output")
	}
}

func TestDefaultRowCounts(t *testing.T) {
	d := defaultDataset(t)
	want := map[string][2]int{ // plausible ranges at 2000 customers
		fileCustomers:     {2000, 2000},
		fileSubscriptions: {1500, 2500},
		fileEvents:        {60000, 110000}, // ~40 per customer
		fileTickets:       {1000, 3500},
		fileNPS:           {700, 1600},
	}
	if len(d.summary.Files) != len(want) {
		t.Errorf("Summary.Files = %v, want the five files", d.summary.Files)
	}
	for name, r := range want {
		n := len(d.file(name))
		if got := d.summary.Files[name]; got != n {
			t.Errorf("Summary.Files[%s] = %d, but the file has %d rows", name, got, n)
		}
		if n < r[0] || n > r[1] {
			t.Errorf("%s has %d rows, want %d..%d", name, n, r[0], r[1])
		}
	}
}

func TestFormats(t *testing.T) {
	d := defaultDataset(t)
	ts := `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`
	date := `\d{4}-\d\d-\d\d`
	num := `\d+\.\d\d`
	patterns := map[string][]string{
		fileCustomers: {`C\d{7}`, `.+`, ts, `twitter_paid|google_ads|organic|referral|partner|linkedin|facebook`,
			`free|starter|growth|enterprise`, `[A-Z]{2}`, `\d+`, `active_trial|active|churned|free`, `(` + ts + `)?`},
		fileSubscriptions: {`S\d{8}`, `C\d{7}`, `starter|growth|enterprise|addon_seats`, num, date, `(` + date + `)?`},
		fileEvents:        {`E\d{10}`, `C\d{7}`, `login|feature_used|report_created|invite_sent`, ts},
		fileTickets:       {`T\d{8}`, `C\d{7}`, ts, `low|normal|high|urgent`, `open|solved`, `(` + num + `)?`},
		fileNPS:           {`N\d{8}`, `C\d{7}`, ts, `\d|10`},
	}
	for name, pats := range patterns {
		res := make([]*regexp.Regexp, len(pats))
		for i, p := range pats {
			res[i] = regexp.MustCompile(`^(?:` + p + `)$`)
		}
		for i, row := range d.file(name) {
			for j, re := range res {
				if !re.MatchString(row[j]) {
					t.Fatalf("%s row %d column %d: %q does not match %s", name, i+1, j, row[j], pats[j])
				}
			}
			if want := row[0][:1] + strings.Repeat("0", len(row[0])-1-len(strconv.Itoa(i+1))) + strconv.Itoa(i+1); row[0] != want {
				t.Fatalf("%s row %d: id %s, want %s", name, i+1, row[0], want)
			}
		}
	}
	// Names exercise CSV quoting.
	var comma, apostrophe, quote bool
	for _, c := range d.file(fileCustomers) {
		comma = comma || strings.Contains(c[1], ",")
		apostrophe = apostrophe || strings.Contains(c[1], "'")
		quote = quote || strings.Contains(c[1], `"`)
	}
	if !comma || !apostrophe || !quote {
		t.Errorf("names with comma %v, apostrophe %v, double quote %v; want all three", comma, apostrophe, quote)
	}
	for _, c := range d.file(fileCustomers) {
		if n, _ := strconv.Atoi(c[6]); n < 1 || n > 20000 {
			t.Errorf("%s: company_size %d", c[0], n)
		}
	}
	for _, n := range d.file(fileNPS) {
		if s, _ := strconv.Atoi(n[3]); s < 0 || s > 10 {
			t.Errorf("%s: score %d", n[0], s)
		}
	}
}

func TestCustomerIDsExist(t *testing.T) {
	d := defaultDataset(t)
	known := map[string]bool{}
	for _, c := range d.file(fileCustomers) {
		known[c[0]] = true
	}
	for _, name := range []string{fileSubscriptions, fileEvents, fileTickets, fileNPS} {
		for _, row := range d.file(name) {
			if !known[row[1]] {
				t.Fatalf("%s %s: unknown customer %s", name, row[0], row[1])
			}
		}
	}
}

func mustTime(t *testing.T, layout, s string) time.Time {
	t.Helper()
	v, err := time.Parse(layout, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkTimeFrame checks that nothing is dated after lastTS / lastDate, that
// signups fall in the 24 months before, in customer id order, and that no
// customer does anything before signing up.
func checkTimeFrame(t *testing.T, d *dataset, firstDate, lastDate, lastTS time.Time) {
	t.Helper()
	signup := map[string]time.Time{}
	var prev time.Time
	for _, c := range d.file(fileCustomers) {
		s := mustTime(t, timestampLayout, c[2])
		if s.Before(firstDate) || s.After(lastTS) {
			t.Errorf("%s signed up at %s, outside %s..%s", c[0], c[2], firstDate, lastTS)
		}
		if s.Before(prev) {
			t.Errorf("%s signed up before the customer before it", c[0])
		}
		prev, signup[c[0]] = s, s
		if c[8] != "" {
			if ls := mustTime(t, timestampLayout, c[8]); ls.After(lastTS) || ls.Before(s) {
				t.Errorf("%s: last_seen_at %s", c[0], c[8])
			}
		}
	}
	for _, s := range d.file(fileSubscriptions) {
		for _, v := range s[4:6] {
			if v != "" && mustTime(t, dateLayout, v).After(lastDate) {
				t.Errorf("%s: date %s after the end", s[0], v)
			}
		}
		if mustTime(t, dateLayout, s[4]).Before(signup[s[1]].Truncate(24 * time.Hour)) {
			t.Errorf("%s starts before %s signed up", s[0], s[1])
		}
	}
	stamps := map[string]int{fileEvents: 3, fileTickets: 2, fileNPS: 2}
	for name, col := range stamps {
		for _, row := range d.file(name) {
			v := mustTime(t, timestampLayout, row[col])
			if v.After(lastTS) {
				t.Fatalf("%s %s: %s is after the end", name, row[0], row[col])
			}
			if v.Before(signup[row[1]]) {
				t.Fatalf("%s %s: %s is before %s signed up", name, row[0], row[col], row[1])
			}
		}
	}
	for _, tk := range d.file(fileTickets) {
		if (tk[4] == "open") != (tk[5] == "") {
			t.Fatalf("ticket %s: status %s with resolution_hours %q", tk[0], tk[4], tk[5])
		}
		if tk[5] != "" {
			h, _ := strconv.ParseFloat(tk[5], 64)
			solved := mustTime(t, timestampLayout, tk[2]).Add(time.Duration(h * float64(time.Hour)))
			if h <= 0 || solved.After(lastTS.Add(time.Second)) {
				t.Fatalf("ticket %s: resolved after %s hours, at %s", tk[0], tk[5], solved)
			}
		}
	}
}

func TestNothingAfterEnd(t *testing.T) {
	// A midnight End (the default) stands for the whole day.
	d := defaultDataset(t)
	checkTimeFrame(t, d,
		time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 6, 30, 23, 59, 59, 0, time.UTC))

	// Any other clock cuts the last day at that instant.
	end := time.Date(2024, 3, 15, 12, 30, 0, 0, time.UTC)
	d = generateAndParse(t, Options{Customers: 3000, Seed: 7, End: end})
	checkTimeFrame(t, d, time.Date(2022, 3, 16, 0, 0, 0, 0, time.UTC), end.Truncate(24*time.Hour), end)
	var lastDay int
	for _, e := range d.file(fileEvents) {
		if strings.HasPrefix(e[3], "2024-03-15 ") {
			lastDay++
		}
	}
	if lastDay == 0 {
		t.Error("no events on the morning of the last day")
	}
}

type sub struct {
	id, plan   string
	amount     float64
	start, end time.Time // end is zero while active
}

func subsByCustomer(t *testing.T, d *dataset) map[string][]sub {
	m := map[string][]sub{}
	for _, s := range d.file(fileSubscriptions) {
		v := sub{id: s[0], plan: s[2], start: mustTime(t, dateLayout, s[4])}
		v.amount, _ = strconv.ParseFloat(s[3], 64)
		if s[5] != "" {
			v.end = mustTime(t, dateLayout, s[5])
		}
		m[s[1]] = append(m[s[1]], v)
	}
	return m
}

// amountRange bounds monthly_amount by plan; starter and growth drift up
// from 49 and 199 with price increases.
var amountRange = map[string][2]float64{
	"starter": {39, 120}, "growth": {179, 500}, "enterprise": {900, 5000}, "addon_seats": {10, 200},
}

func TestSubscriptions(t *testing.T) {
	d := defaultDataset(t)
	var changes, cancels, comebacks, addons, concurrent int
	for cust, subs := range subsByCustomer(t, d) {
		var main []sub
		for _, s := range subs {
			if !s.end.IsZero() && !s.start.Before(s.end) {
				t.Errorf("%s: started_at %s is not before ended_at %s", s.id, s.start, s.end)
			}
			if r := amountRange[s.plan]; s.amount < r[0] || s.amount > r[1] {
				t.Errorf("%s: %s at %.2f a month", s.id, s.plan, s.amount)
			}
			if s.plan != "addon_seats" {
				main = append(main, s)
			}
		}
		if len(main) == 0 {
			t.Errorf("%s has add-ons but no main subscription", cust)
			continue
		}
		for i := 1; i < len(main); i++ {
			p, s := main[i-1], main[i]
			switch {
			case p.end.IsZero() || s.start.Before(p.end):
				t.Errorf("%s: main subscriptions %s and %s overlap", cust, p.id, s.id)
			case s.start.Equal(p.end):
				changes++
				if s.amount == p.amount {
					t.Errorf("%s: %s follows %s at the same amount", cust, s.id, p.id)
				}
			default:
				comebacks++
			}
		}
		if !main[len(main)-1].end.IsZero() {
			cancels++
		}
		for _, a := range subs {
			if a.plan != "addon_seats" {
				continue
			}
			addons++
			for _, m := range main {
				if !a.start.Before(m.start) && (m.end.IsZero() || a.start.Before(m.end)) {
					concurrent++
					break
				}
			}
		}
	}
	if addons == 0 || concurrent != addons {
		t.Errorf("%d add-ons, %d of them concurrent with a main subscription", addons, concurrent)
	}
	if changes < 100 || cancels < 200 || comebacks < 20 {
		t.Errorf("too little lifecycle: %d plan/price changes, %d churned, %d comebacks", changes, cancels, comebacks)
	}
}

func TestAccountStatus(t *testing.T) {
	d := defaultDataset(t)
	subs := subsByCustomer(t, d)
	end := time.Date(2025, 6, 30, 23, 59, 59, 0, time.UTC)
	counts := map[string]int{}
	for _, c := range d.file(fileCustomers) {
		ss := subs[c[0]]
		var open bool
		plan := "free"
		for _, s := range ss {
			if s.plan == "addon_seats" {
				continue
			}
			if s.end.IsZero() {
				open = true
			}
			plan = s.plan // the last main plan
		}
		signup := mustTime(t, timestampLayout, c[2])
		var want string
		switch {
		case open:
			want = "active"
		case len(ss) > 0:
			want = "churned"
		case signup.Add(trialDays * 24 * time.Hour).After(end):
			want = "active_trial"
		default:
			want = "free"
		}
		if c[7] != want || c[4] != plan {
			t.Errorf("%s: status %s plan %s, want %s %s (subscriptions %v)", c[0], c[7], c[4], want, plan, ss)
		}
		counts[c[7]]++
	}
	for _, s := range statusNames {
		if counts[s] == 0 {
			t.Errorf("no %s customers", s)
		}
	}
	if paid := float64(counts["active"]+counts["churned"]) / float64(len(d.file(fileCustomers))); paid < 0.6 || paid > 0.78 {
		t.Errorf("%.2f of customers ever paid, want about 0.7", paid)
	}
}

func TestActivity(t *testing.T) {
	d := defaultDataset(t)
	events := map[string]int{}
	last := map[string]string{}
	names := map[string]int{}
	for _, e := range d.file(fileEvents) {
		events[e[1]]++
		last[e[1]] = max(last[e[1]], e[3])
		names[e[2]]++
	}
	subs := subsByCustomer(t, d)
	var silent int
	var counts []int
	for _, c := range d.file(fileCustomers) {
		if c[8] != last[c[0]] {
			t.Errorf("%s: last_seen_at %q, last event at %q", c[0], c[8], last[c[0]])
		}
		if events[c[0]] == 0 {
			silent++
		}
		counts = append(counts, events[c[0]])
		if c[7] == "churned" && c[8] != "" {
			var ended time.Time
			for _, s := range subs[c[0]] {
				if s.end.After(ended) {
					ended = s.end
				}
			}
			if !mustTime(t, timestampLayout, c[8]).Before(ended) {
				t.Errorf("%s churned on %s but was last seen %s", c[0], ended.Format(dateLayout), c[8])
			}
		}
	}
	if share := float64(silent) / float64(len(d.file(fileCustomers))); share < 0.06 || share > 0.14 {
		t.Errorf("%.3f of customers never active, want about 0.1", share)
	}
	for _, n := range []string{"feature_used", "report_created", "invite_sent"} {
		if names[n] == 0 || names[n] >= names["login"] {
			t.Errorf("event counts %v: login should be the most common", names)
		}
	}
	slices.Sort(counts)
	if median, p99 := counts[len(counts)/2], counts[len(counts)*99/100]; p99 < 8*median {
		t.Errorf("activity not skewed enough: median %d, p99 %d", median, p99)
	}
}

func TestTicketsAndNPS(t *testing.T) {
	d := defaultDataset(t)
	perCustomer := map[string]int{}
	for _, tk := range d.file(fileTickets) {
		perCustomer[tk[1]]++
	}
	var counts []int
	for _, n := range perCustomer {
		counts = append(counts, n)
	}
	slices.Sort(counts)
	slices.Reverse(counts)
	top := 0
	for _, n := range counts[:min(len(counts), len(d.file(fileCustomers))/5)] {
		top += n
	}
	if share := float64(top) / float64(len(d.file(fileTickets))); share < 0.7 || share > 0.92 {
		t.Errorf("top 20%% of customers open %.2f of tickets, want about 0.8", share)
	}

	events := map[string]int{}
	for _, e := range d.file(fileEvents) {
		events[e[1]]++
	}
	respondents := map[string]bool{}
	var busy, quiet [2]float64 // sum, count
	for _, n := range d.file(fileNPS) {
		respondents[n[1]] = true
		s, _ := strconv.Atoi(n[3])
		if events[n[1]] >= 40 {
			busy[0] += float64(s)
			busy[1]++
		} else {
			quiet[0] += float64(s)
			quiet[1]++
		}
	}
	if share := float64(len(respondents)) / float64(len(d.file(fileCustomers))); share < 0.22 || share > 0.38 {
		t.Errorf("%.2f of customers answered NPS, want about 0.3", share)
	}
	if len(respondents) == len(d.file(fileNPS)) {
		t.Error("nobody answered NPS twice")
	}
	if b, q := busy[0]/busy[1], quiet[0]/quiet[1]; b < q+0.5 {
		t.Errorf("mean NPS %.2f for active customers vs %.2f for quiet ones; want active higher", b, q)
	}
}

func TestOptions(t *testing.T) {
	for _, n := range []int{-1, maxCustomers + 1} {
		if _, err := Generate(t.TempDir(), Options{Customers: n}); err == nil {
			t.Errorf("Customers: %d: no error", n)
		}
	}
	d := generateAndParse(t, Options{Customers: 1})
	if len(d.file(fileCustomers)) != 1 {
		t.Errorf("Customers: 1 wrote %d customers", len(d.file(fileCustomers)))
	}
	if _, err := Generate(filepath.Join(d.dir, fileCustomers), Options{Customers: 1}); err == nil {
		t.Error("generating into a path that is a file: no error")
	}
}

func BenchmarkGenerate(b *testing.B) {
	dir := b.TempDir()
	var events int
	for b.Loop() {
		sum, err := Generate(dir, Options{Customers: 2000})
		if err != nil {
			b.Fatal(err)
		}
		events = sum.Files[fileEvents]
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
