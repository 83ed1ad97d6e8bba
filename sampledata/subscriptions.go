package sampledata

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// subscription is one row of subscriptions.csv: [start, end) in Unix days.
type subscription struct {
	plan   int
	amount float64
	start  int64
	end    int64 // exclusive; 0 while active
}

// run is a stretch of uninterrupted paid service: one or more main rows,
// each ending the day the next starts (an upgrade, downgrade or price
// change), closed by a cancellation or still going at the end of the data.
type run struct {
	start, end int64 // days; end 0 while active
	top        int   // highest plan held during the run
}

// Monthly hazards of leaving a plan, by plan.
var hazards = [...]struct{ churn, up, down, price float64 }{
	planStarter:    {0.042, 0.030, 0, 0.010},
	planGrowth:     {0.026, 0.010, 0.010, 0.012},
	planEnterprise: {0.011, 0, 0.008, 0.035},
}

// comebackOdds is the chance of returning after the 1st, 2nd, ... cancellation.
var comebackOdds = []float64{0.25, 0.10, 0.05}

// simulateSubscriptions fills g.subs (sorted by start) and g.runs.
func (g *generator) simulateSubscriptions(c *customer) {
	g.subs, g.runs = g.subs[:0], g.runs[:0]
	if c.inactive {
		return
	}
	r := g.r
	trait := channelTraits[c.channel]
	if r.Float64() >= min(0.775*trait.convert, 0.97) {
		return // stays on the free tier
	}
	var k int64
	if r.Float64() < 0.88 {
		k = 1 + int64(13*math.Sqrt(r.Float64())) // during the trial, mostly near its end
	} else {
		k = trialDays + 1 + int64(r.ExpFloat64()*75) // a free user converting later
	}
	g.simulateRuns(c, c.signupDay+k, trait.churn*sizeChurn(c.size))
	g.addAddon()
	slices.SortStableFunc(g.subs, func(a, b subscription) int { return cmp.Compare(a.start, b.start) })
}

func (g *generator) simulateRuns(c *customer, start int64, churnMult float64) {
	r, last := g.r, g.cal.lastDay
	plan := firstPlan(r, c.size)
	upMult := 1.0
	switch {
	case c.size >= 200:
		upMult = 2
	case c.size < 20:
		upMult = 0.4
	}
	for comebacks := 0; start <= last; comebacks++ {
		runStart := start
		amount := listPrice(r, plan, c.size)
		g.runs = append(g.runs, run{start: runStart, top: plan})
		rn := &g.runs[len(g.runs)-1]
		for {
			h := hazards[plan]
			churn, up := h.churn*churnMult, h.up*upMult
			if comebacks == 0 && start-runStart < 90 {
				churn *= 1.6 // early churn
			}
			total := churn + up + h.down + h.price // per month
			end := start + 1 + int64(r.ExpFloat64()/total*30)
			u := r.Float64() * total
			cancel := u < churn
			if cancel { // effective at the end of the billing month
				end = runStart + 30*((end-runStart+29)/30)
			}
			if end > last {
				g.subs = append(g.subs, subscription{plan, amount, start, 0})
				return
			}
			g.subs = append(g.subs, subscription{plan, amount, start, end})
			start = end
			if cancel {
				rn.end = end
				break
			}
			switch {
			case u < churn+up:
				plan++
				amount = listPrice(r, plan, c.size)
			case u < churn+up+h.down:
				plan--
				amount = listPrice(r, plan, c.size)
			default:
				amount = repriced(r, plan, amount)
			}
			rn.top = max(rn.top, plan)
		}
		if r.Float64() >= comebackOdds[min(comebacks, len(comebackOdds)-1)] {
			return
		}
		start += 45 + int64(r.ExpFloat64()*110)
		switch u := r.Float64(); {
		case u < 0.25 && plan > planStarter:
			plan--
		case u > 0.92 && plan < planEnterprise:
			plan++
		}
	}
}

// addAddon gives some growth and enterprise customers one add-on-seats row
// that overlaps their main subscription.
func (g *generator) addAddon() {
	r := g.r
	for _, rn := range g.runs {
		if rn.top < planGrowth {
			continue
		}
		p := 0.22
		if rn.top == planEnterprise {
			p = 0.45
		}
		if r.Float64() >= p {
			continue
		}
		open := rn.end == 0
		end := rn.end
		if open {
			end = g.cal.lastDay + 1
		}
		span := end - rn.start
		if span < 10 {
			continue
		}
		s := rn.start + 1 + r.Int64N(min(span-2, 240)) // in (run start, end-1)
		var e int64
		switch {
		case open:
			if r.Float64() < 0.3 {
				if e = s + 30 + int64(r.ExpFloat64()*150); e > g.cal.lastDay {
					e = 0
				}
			}
		case r.Float64() < 0.6:
			e = end // dropped together with the main plan
		default:
			e = s + 1 + r.Int64N(end-s) // in (s, end]
		}
		g.subs = append(g.subs, subscription{planAddon, 10 * float64(1+min(19, int(r.ExpFloat64()*4))), s, e})
		return
	}
}

func sizeChurn(size int) float64 {
	switch {
	case size < 10:
		return 1.3
	case size < 50:
		return 1.1
	case size < 500:
		return 0.9
	}
	return 0.7
}

// firstPlan picks the plan a converting customer starts on; bigger companies
// buy bigger plans.
func firstPlan(r *rand.Rand, size int) int {
	var ent, growth float64
	switch {
	case size >= 1000:
		ent, growth = 0.40, 0.42
	case size >= 200:
		ent, growth = 0.12, 0.50
	case size >= 50:
		ent, growth = 0.03, 0.40
	default:
		ent, growth = 0.005, 0.22
	}
	switch u := r.Float64(); {
	case u < ent:
		return planEnterprise
	case u < ent+growth:
		return planGrowth
	}
	return planStarter
}

// listPrice is the monthly amount of a new main row on plan.
func listPrice(r *rand.Rand, plan, size int) float64 {
	u := r.Float64()
	switch plan {
	case planStarter:
		return [...]float64{49, 39, 59}[pickU(u, 0.85, 0.94)]
	case planGrowth:
		return [...]float64{199, 179, 249}[pickU(u, 0.80, 0.92)]
	}
	x := 900 * math.Exp(u*math.Log(3.3))
	if size >= 1000 {
		x *= 1.4
	}
	return math.Round(min(x, 5000)/50) * 50
}

func pickU(u, a, b float64) int {
	switch {
	case u < a:
		return 0
	case u < b:
		return 1
	}
	return 2
}

// repriced is a new, different amount for the same plan: a price increase,
// or for enterprise contracts an expansion or contraction.
func repriced(r *rand.Rand, plan int, amount float64) float64 {
	if plan != planEnterprise {
		x := math.Round(amount * (1.06 + 0.14*r.Float64()))
		if x == amount {
			x++
		}
		return x
	}
	var x float64
	if r.Float64() < 0.7 {
		x = amount * (1.08 + 0.27*r.Float64())
	} else {
		x = amount * (0.75 + 0.2*r.Float64())
	}
	x = math.Round(min(max(x, 900), 5000)/10) * 10
	if x == amount {
		if amount > 900 {
			x = amount - 50
		} else {
			x = amount + 50
		}
	}
	return x
}

func (g *generator) writeSubscriptions(c *customer) {
	b := g.buf
	for _, s := range g.subs {
		g.nextSub++
		b = appendID(b[:0], 'S', g.nextSub, 8)
		b = append(b, ',')
		b = appendID(b, 'C', c.id, 7)
		b = append(b, ',')
		b = append(b, planNames[s.plan]...)
		b = append(b, ',')
		b = appendAmount(b, s.amount)
		b = append(b, ',')
		b = g.cal.appendDate(b, s.start)
		b = append(b, ',')
		if s.end != 0 {
			b = g.cal.appendDate(b, s.end)
		}
		b = append(b, '\n')
		g.out[1].write(b)
	}
	g.buf = b
}
