package sampledata

import (
	"cmp"
	"math"
	"slices"
)

var priorityNames = []string{"low", "normal", "high", "urgent"}

var (
	priorityWeights           = []float64{0.28, 0.50, 0.16, 0.06}
	enterprisePriorityWeights = []float64{0.15, 0.45, 0.25, 0.15}
)

// Median hours to resolve a ticket, by priority.
var medianResolution = []float64{36, 16, 6, 2.5}

type ticket struct {
	t        int64
	priority int
	hours    float64 // < 0 while open
}

type response struct {
	t     int64
	score int
}

// simulateTickets fills g.tickets, sorted by time. A fifth of the customers
// are needy and file most of the tickets; paying customers file more than
// free ones, and busier users a little more than quiet ones.
func (g *generator) simulateTickets(c *customer) {
	g.tickets = g.tickets[:0]
	if len(g.segs) == 0 {
		return
	}
	r := g.r
	prop := math.Exp(0.5*r.NormFloat64()) * math.Pow(c.rate/baseSessionRate, 0.3)
	if r.Float64() < 0.2 {
		prop *= 6
	}
	for _, s := range g.segs {
		perDay := 1.0 / 1200
		if s.plan != planFree {
			perDay = 1.0 / 420
		}
		if s.plan == planEnterprise {
			perDay *= 1.6
		}
		n := poisson(r, float64(s.to-s.from)/day*perDay*prop)
		for range n {
			t := s.from + r.Int64N(s.to-s.from)
			if ts := g.dayTime(t); ts >= s.from && ts < s.to {
				t = ts
			}
			g.tickets = append(g.tickets, g.newTicket(t, s.plan))
		}
	}
	slices.SortStableFunc(g.tickets, func(a, b ticket) int { return cmp.Compare(a.t, b.t) })
}

func (g *generator) newTicket(t int64, plan int) ticket {
	r := g.r
	weights := priorityWeights
	if plan == planEnterprise {
		weights = enterprisePriorityWeights
	}
	tk := ticket{t: t, priority: pick(r, weights)}
	h := medianResolution[tk.priority] * math.Exp(r.NormFloat64())
	if plan == planEnterprise {
		h *= 0.7
	}
	h = max(math.Round(h*100)/100, 0.1)
	// A few tickets are forgotten; the rest stay open until resolved.
	if r.Float64() < 0.015 || t+int64(math.Ceil(h*3600)) > g.cal.cutoff {
		h = -1
	}
	tk.hours = h
	return tk
}

// simulateNPS fills g.responses. Surveys go out 30 days after signup and
// every 90 days after; some customers answer, and only while engaged. The
// score follows the customer's engagement, drops while they are on the way
// out or on the free tier, and with each ticket filed.
func (g *generator) simulateNPS(c *customer) {
	g.responses = g.responses[:0]
	if len(g.segs) == 0 {
		return
	}
	r := g.r
	if r.Float64() >= 0.52 {
		return
	}
	for wave := c.signup + 30*day; wave <= g.cal.cutoff; wave += 90 * day {
		s := g.segmentAt(wave)
		if s == nil || r.Float64() >= 0.55 {
			continue
		}
		t := g.dayTime(wave + int64(r.ExpFloat64()*1.5*day))
		if t > g.cal.cutoff || t < wave {
			continue
		}
		x := 7.9 + 1.2*c.z + 1.5*r.NormFloat64()
		switch s.kind {
		case segLeaving:
			x -= 2.5
		case segFree:
			x -= 0.7
		}
		if s.plan == planEnterprise {
			x += 0.3
		}
		filed := 0
		for _, tk := range g.tickets {
			if tk.t < t {
				filed++
			}
		}
		x -= 0.35 * float64(min(filed, 6))
		g.responses = append(g.responses, response{t, int(min(max(math.Round(x), 0), 10))})
	}
}

func (g *generator) writeSupport(c *customer) {
	b := g.buf
	for _, tk := range g.tickets {
		g.nextTicket++
		b = appendID(b[:0], 'T', g.nextTicket, 8)
		b = append(b, ',')
		b = appendID(b, 'C', c.id, 7)
		b = append(b, ',')
		b = g.cal.appendTimestamp(b, tk.t)
		b = append(b, ',')
		b = append(b, priorityNames[tk.priority]...)
		if tk.hours < 0 {
			b = append(b, ",open,\n"...)
		} else {
			b = append(b, ",solved,"...)
			b = appendAmount(b, tk.hours)
			b = append(b, '\n')
		}
		g.out[3].write(b)
	}
	for _, rs := range g.responses {
		g.nextResponse++
		b = appendID(b[:0], 'N', g.nextResponse, 8)
		b = append(b, ',')
		b = appendID(b, 'C', c.id, 7)
		b = append(b, ',')
		b = g.cal.appendTimestamp(b, rs.t)
		b = append(b, ',')
		b = appendInt(b, int64(rs.score))
		b = append(b, '\n')
		g.out[4].write(b)
	}
	g.buf = b
}
