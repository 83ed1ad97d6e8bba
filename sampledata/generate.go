package sampledata

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"time"
)

// Options controls the size and shape of the data set.
type Options struct {
	Customers int       // number of customers; default 2000 when 0
	Seed      uint64    // default 1 when 0
	End       time.Time // last day of data (data spans the ~24 months before End); default 2025-06-30 when zero
}

// Summary reports what Generate wrote.
type Summary struct {
	Files map[string]int // file name -> data rows written (no header)
}

const (
	defaultCustomers = 2000
	maxCustomers     = 9_999_999 // customer ids have 7 digits
)

// resolve fills in the defaults, checks the options and creates dir.
func (opts Options) resolve(dir string) (customers int, seed uint64, end time.Time, err error) {
	customers = opts.Customers
	switch {
	case customers == 0:
		customers = defaultCustomers
	case customers < 0 || customers > maxCustomers:
		return 0, 0, end, fmt.Errorf("sampledata: Customers must be between 1 and %d, got %d", maxCustomers, customers)
	}
	seed = opts.Seed
	if seed == 0 {
		seed = 1
	}
	end = opts.End
	if end.IsZero() {
		end = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, 0, end, fmt.Errorf("sampledata: %w", err)
	}
	return customers, seed, end, nil
}

// Generate writes customers.csv, subscriptions.csv, events.csv, tickets.csv
// and nps_responses.csv into dir, creating dir if needed and replacing the
// files if they exist. The same Options always give byte-identical files.
func Generate(dir string, opts Options) (Summary, error) {
	n, seed, end, err := opts.resolve(dir)
	if err != nil {
		return Summary{}, err
	}

	g := newGenerator(n, seed, newCalendar(end))
	var errs []error
	for i, h := range headers {
		t, err := createTable(dir, h[0], h[1])
		if err != nil {
			errs = append(errs, err)
			break
		}
		g.out[i] = t
	}
	if errs == nil {
		for id := int64(1); id <= int64(n); id++ {
			g.customer(id)
		}
	}
	sum := Summary{Files: make(map[string]int, len(headers))}
	for _, t := range g.out {
		if t == nil {
			continue
		}
		if err := t.close(); err != nil {
			errs = append(errs, err)
		}
		sum.Files[t.name] = t.rows
	}
	if g.nextEvent >= 1e10 || max(g.nextSub, g.nextTicket, g.nextResponse) >= 1e8 {
		errs = append(errs, errors.New("sampledata: too many rows for the id format"))
	}
	return sum, errors.Join(errs...)
}

// generator holds the state of one Generate call. Each customer is
// simulated in full, written, and forgotten, so memory stays flat whatever
// the number of customers.
type generator struct {
	cal     *calendar
	seed    uint64
	src     *rand.PCG
	r       *rand.Rand // reseeded for every customer
	signups *signupClock
	out     [len(headers)]*table

	// Scratch space reused from customer to customer.
	buf, name []byte
	subs      []subscription
	runs      []run
	segs      []segment
	events    []event
	tickets   []ticket
	responses []response

	nextSub, nextEvent, nextTicket, nextResponse int64
}

func newGenerator(n int, seed uint64, cal *calendar) *generator {
	src := rand.NewPCG(0, 0)
	g := &generator{cal: cal, seed: seed, src: src, r: rand.New(src)}
	// Signup times come from their own stream: they must be drawn in order.
	clock := rand.New(rand.NewPCG(splitmix(seed), splitmix(^seed)))
	g.signups = newSignupClock(cal, n, clock.Float64)
	return g
}

// customer simulates and writes customer id. Every customer has its own
// random stream (keyed by seed and id), so changing how one customer is
// simulated does not reshuffle all the others.
func (g *generator) customer(id int64) {
	g.src.Seed(splitmix(g.seed), splitmix(uint64(id)^0x5eed5eed5eed5eed))
	c := g.newCustomer(id)
	g.simulateSubscriptions(&c)
	g.settleStatus(&c)
	g.buildSegments(&c)
	g.simulateEvents(&c)
	g.simulateTickets(&c)
	g.simulateNPS(&c)

	g.writeCustomer(&c)
	g.writeSubscriptions(&c)
	g.writeEvents(&c)
	g.writeSupport(&c)
}

// splitmix is the SplitMix64 finaliser, used to spread seeds over the
// PCG state.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
