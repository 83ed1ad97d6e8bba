package sampledata

import (
	"math"
	"math/rand/v2"
)

// Acquisition channels, with their share of signups and how their customers
// behave: the paid social channels bring more tourists who never come back,
// convert less and churn more; referrals and partners are the best.
const (
	chTwitter = iota
	chGoogle
	chOrganic
	chReferral
	chPartner
	chLinkedIn
	chFacebook
)

var channelNames = []string{"twitter_paid", "google_ads", "organic", "referral", "partner", "linkedin", "facebook"}

var (
	channelWeights         = []float64{7, 22, 30, 13, 8, 11, 9}
	campaignChannelWeights = []float64{35, 22, 30, 13, 8, 11, 9} // the twitter_paid campaign
)

type channelTrait struct{ inactive, convert, churn float64 }

var channelTraits = []channelTrait{
	chTwitter:  {2.2, 0.80, 1.7},
	chGoogle:   {1.0, 0.97, 1.1},
	chOrganic:  {0.8, 1.04, 0.95},
	chReferral: {0.5, 1.12, 0.7},
	chPartner:  {0.6, 1.10, 0.75},
	chLinkedIn: {0.9, 1.00, 0.9},
	chFacebook: {1.5, 0.86, 1.35},
}

var (
	countries = []string{
		"US", "GB", "DE", "FR", "NL", "CA", "AU", "IN", "BR", "JP", "ES", "IT", "SE",
		"PL", "MX", "SG", "CH", "IE", "IL", "ZA", "NZ", "BE", "DK", "NO", "KR", "AR",
	}
	countryWeights = []float64{
		36, 9, 8, 5.5, 3.5, 5, 4, 7, 4, 3, 2.5, 2, 1.8,
		1.5, 1.5, 1.2, 1, 1, 0.8, 0.7, 0.6, 0.9, 0.8, 0.6, 0.8, 0.7,
	}
)

// Plans. planFree is what customers.plan says for customers without a paid
// plan; planAddon only appears in subscriptions.
const (
	planFree = iota
	planStarter
	planGrowth
	planEnterprise
	planAddon
)

var planNames = []string{"free", "starter", "growth", "enterprise", "addon_seats"}

const (
	statusActiveTrial = iota
	statusActive
	statusChurned
	statusFree
)

var statusNames = []string{"active_trial", "active", "churned", "free"}

const trialDays = 14

// baseSessionRate is the median customer's sessions per day during a trial;
// it sets the overall volume of events.
const baseSessionRate = 0.054

// customer is everything the generator decides about one customer.
type customer struct {
	id        int64
	signup    int64 // Unix seconds
	signupDay int64
	channel   int
	country   int
	size      int     // employees
	inactive  bool    // never comes back after signing up
	z         float64 // engagement propensity, standard normal
	rate      float64 // sessions per day while on a trial
	status    int
	plan      int
	lastSeen  int64 // 0 when the customer has no events
}

// pick returns an index drawn with the given (unnormalised) weights.
func pick(r *rand.Rand, weights []float64) int {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	u := r.Float64() * sum
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}

func (g *generator) newCustomer(id int64) customer {
	r := g.r
	c := customer{id: id, signup: g.signups.signup()}
	c.signupDay = floorDiv(c.signup, day)
	if c.signupDay >= g.cal.campaignFrom && c.signupDay < g.cal.campaignTo {
		c.channel = pick(r, campaignChannelWeights)
	} else {
		c.channel = pick(r, channelWeights)
	}
	c.country = pick(r, countryWeights)
	g.name = appendCompanyName(g.name[:0], r, countries[c.country])
	// Long tail: median ~25 employees, a few thousand-plus enterprises.
	c.size = int(min(max(math.Round(math.Exp(math.Log(25)+1.55*r.NormFloat64())), 1), 20000))
	c.inactive = r.Float64() < 0.092*channelTraits[c.channel].inactive
	c.z = r.NormFloat64()
	c.rate = baseSessionRate * math.Exp(1.1*c.z)
	return c
}

// settleStatus derives account_status and plan from the subscriptions, as of
// the end of the data.
func (g *generator) settleStatus(c *customer) {
	c.status, c.plan = statusFree, planFree
	if len(g.subs) == 0 {
		if c.signup+trialDays*day > g.cal.cutoff {
			c.status = statusActiveTrial
		}
		return
	}
	c.status = statusChurned
	for _, s := range g.subs {
		if s.plan == planAddon {
			continue
		}
		if s.end == 0 {
			c.status = statusActive
			c.plan = s.plan
		} else if c.status == statusChurned {
			c.plan = s.plan // the last plan held
		}
	}
}

func (g *generator) writeCustomer(c *customer) {
	b := appendID(g.buf[:0], 'C', c.id, 7)
	b = append(b, ',')
	b = appendField(b, g.name)
	b = append(b, ',')
	b = g.cal.appendTimestamp(b, c.signup)
	b = append(b, ',')
	b = append(b, channelNames[c.channel]...)
	b = append(b, ',')
	b = append(b, planNames[c.plan]...)
	b = append(b, ',')
	b = append(b, countries[c.country]...)
	b = append(b, ',')
	b = appendInt(b, int64(c.size))
	b = append(b, ',')
	b = append(b, statusNames[c.status]...)
	b = append(b, ',')
	if c.lastSeen != 0 {
		b = g.cal.appendTimestamp(b, c.lastSeen)
	}
	b = append(b, '\n')
	g.out[0].write(b)
	g.buf = b
}
