package sampledata

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// segment is a stretch [from, to) of Unix seconds in which a customer uses
// the product at a steady rate of sessions per day.
type segment struct {
	from, to int64
	rate     float64
	kind     int
	plan     int // planFree outside paid runs
}

const (
	segTrial = iota
	segFree
	segPaid
	segLeaving // the last weeks before a cancellation takes effect
)

const (
	evLogin = iota
	evFeature
	evReport
	evInvite
)

var eventNames = []string{"login", "feature_used", "report_created", "invite_sent"}

type event struct {
	t    int64
	name int
}

// maxEventsPerCustomer bounds the work and memory spent on the most active
// customers of the long tail.
const maxEventsPerCustomer = 20000

// buildSegments lays out when the customer is engaged: the trial, the free
// tier for a while (or for good), each paid run with a slowdown before a
// cancellation, and nothing between a cancellation and a comeback.
func (g *generator) buildSegments(c *customer) {
	g.segs = g.segs[:0]
	if c.inactive {
		return
	}
	r := g.r
	trialEnd := c.signup + trialDays*day
	if len(g.runs) > 0 {
		first := g.runs[0].start * day
		g.addSegment(c.signup, min(first, trialEnd), c.rate*1.3, segTrial, planFree)
		g.addSegment(trialEnd, first, c.rate*0.35, segFree, planFree) // converted late
	} else {
		g.addSegment(c.signup, trialEnd, c.rate*1.3, segTrial, planFree)
		stay := trialEnd + int64(r.ExpFloat64()*60*day)
		if r.Float64() < 0.3 {
			stay = g.cal.cutoff + 1 // a long-term free user
		}
		g.addSegment(trialEnd, stay, c.rate*0.4, segFree, planFree)
	}
	mult := 1 + 0.25*math.Log10(float64(c.size)) // more seats, more sessions
	for _, rn := range g.runs {
		rate := c.rate * mult * [...]float64{planStarter: 1, planGrowth: 1.3, planEnterprise: 1.8}[rn.top]
		from := rn.start * day
		if rn.end == 0 {
			g.addSegment(from, g.cal.cutoff+1, rate, segPaid, rn.top)
			continue
		}
		to := rn.end * day
		slow := max(from, to-30*day)
		g.addSegment(from, slow, rate, segPaid, rn.top)
		g.addSegment(slow, to-int64(r.Float64()*10*day), rate*0.3, segLeaving, rn.top)
	}
}

// addSegment adds [from, to) clipped to the data's time frame.
func (g *generator) addSegment(from, to int64, rate float64, kind, plan int) {
	to = min(to, g.cal.cutoff+1)
	if from < to && rate > 0 {
		g.segs = append(g.segs, segment{from, to, rate, kind, plan})
	}
}

// segmentAt returns the segment that contains t, or nil.
func (g *generator) segmentAt(t int64) *segment {
	for i := range g.segs {
		if s := &g.segs[i]; t >= s.from && t < s.to {
			return s
		}
	}
	return nil
}

// dayTime places t's day at a random business-hours time.
func (g *generator) dayTime(t int64) int64 {
	d := floorDiv(t, day)
	return d*day + g.cal.timeOfDay(g.r.Float64())
}

// simulateEvents fills g.events, sorted by time. Sessions arrive as a
// Poisson process per segment, thinned on weekends, and each is a login
// followed by a few actions minutes apart.
func (g *generator) simulateEvents(c *customer) {
	g.events = g.events[:0]
	if len(g.segs) == 0 {
		return
	}
	r := g.r
	// Everyone who is not a tourist logs in soon after signing up.
	g.session(c.signup + 120 + int64(r.ExpFloat64()*4*3600))
	for _, s := range g.segs {
		step := day / s.rate
		for t := float64(s.from); len(g.events) < maxEventsPerCustomer; {
			t += r.ExpFloat64() * step
			if t >= float64(s.to) {
				break
			}
			if weekend(floorDiv(int64(t), day)) && r.Float64() > 0.3 {
				continue
			}
			if ts := g.dayTime(int64(t)); ts >= s.from && ts < s.to {
				g.session(ts)
			}
		}
	}
	slices.SortStableFunc(g.events, func(a, b event) int { return cmp.Compare(a.t, b.t) })
	if n := len(g.events); n > 0 {
		c.lastSeen = g.events[n-1].t
	}
}

func (g *generator) session(t int64) {
	if t > g.cal.cutoff {
		return
	}
	r := g.r
	g.events = append(g.events, event{t, evLogin})
	for r.Float64() < 0.45 {
		t += 20 + int64(r.ExpFloat64()*240)
		if t > g.cal.cutoff {
			return
		}
		name := evFeature
		switch u := r.Float64(); {
		case u < 0.08:
			name = evInvite
		case u < 0.32:
			name = evReport
		}
		g.events = append(g.events, event{t, name})
	}
}

func (g *generator) writeEvents(c *customer) {
	b := g.buf
	for _, e := range g.events {
		g.nextEvent++
		b = appendID(b[:0], 'E', g.nextEvent, 10)
		b = append(b, ',')
		b = appendID(b, 'C', c.id, 7)
		b = append(b, ',')
		b = append(b, eventNames[e.name]...)
		b = append(b, ',')
		b = g.cal.appendTimestamp(b, e.t)
		b = append(b, '\n')
		g.out[2].write(b)
	}
	g.buf = b
}

// poisson draws from a Poisson distribution with mean lambda.
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	limit, p := math.Exp(-lambda), 1.0
	for k := 0; ; k++ {
		if p *= r.Float64(); p <= limit {
			return k
		}
	}
}
