package sampledata

import (
	"math"
	"time"
)

const (
	day             = 86400 // seconds
	dateLayout      = "2006-01-02"
	timestampLayout = "2006-01-02 15:04:05"
)

// hourWeights is the share of activity per hour of the day: a business-hours
// product with a lunch dip and a long evening tail.
var hourWeights = [24]float64{
	0.25, 0.15, 0.12, 0.12, 0.18, 0.35, 0.8, 1.6, 2.8, 3.5, 3.6, 3.3,
	2.6, 3.1, 3.4, 3.2, 2.8, 2.2, 1.6, 1.2, 1.0, 0.85, 0.6, 0.4,
}

// calendar holds the time frame of a data set. Times are Unix seconds and
// dates are Unix day numbers, both read as UTC wall clock.
type calendar struct {
	firstDay, lastDay int64   // first and last day that hold data
	cutoff            int64   // latest timestamp that may be written
	cutoffFrac        float64 // share of the last day's activity up to cutoff
	todCum            [25]float64
	dates             []byte // "2006-01-02" for every day, 10 bytes each
	campaignFrom      int64  // the twitter_paid campaign, [from, to) in days
	campaignTo        int64
}

// newCalendar spans the 24 months that end on end's day. A zero clock
// (midnight, as time.Date(y, m, d, 0, 0, 0, 0, loc) gives) stands for the
// whole day; any other clock cuts the last day at that instant.
func newCalendar(end time.Time) *calendar {
	y, m, d := end.Date()
	last := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	first := time.Date(y, m-24, d+1, 0, 0, 0, 0, time.UTC)
	c := &calendar{
		firstDay: floorDiv(first.Unix(), day),
		lastDay:  floorDiv(last.Unix(), day),
	}
	c.cutoff = c.lastDay*day + day - 1
	if hh, mm, ss := end.Clock(); hh != 0 || mm != 0 || ss != 0 || end.Nanosecond() != 0 {
		c.cutoff = c.lastDay*day + int64(hh*3600+mm*60+ss)
	}
	var sum float64
	for _, w := range hourWeights {
		sum += w
	}
	for h, w := range hourWeights {
		c.todCum[h+1] = c.todCum[h] + w/sum
	}
	c.todCum[24] = 1
	c.cutoffFrac = c.todCDF(c.cutoff - c.lastDay*day + 1)

	n := c.lastDay - c.firstDay + 1
	c.dates = make([]byte, 0, 10*n)
	for dd := c.firstDay; dd <= c.lastDay; dd++ {
		c.dates = time.Unix(dd*day, 0).UTC().AppendFormat(c.dates, dateLayout)
	}
	c.campaignFrom = c.firstDay + n*62/100
	c.campaignTo = c.firstDay + n*74/100
	return c
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// weekend reports whether Unix day d is a Saturday or Sunday.
func weekend(d int64) bool {
	wd := (d%7 + 7 + 4) % 7 // 1970-01-01 was a Thursday; 0 = Sunday
	return wd == 0 || wd == 6
}

// timeOfDay maps u in [0, 1) to seconds after midnight following
// hourWeights. It is monotone in u.
func (c *calendar) timeOfDay(u float64) int64 {
	h := 0
	for h < 23 && u >= c.todCum[h+1] {
		h++
	}
	frac := (u - c.todCum[h]) / (c.todCum[h+1] - c.todCum[h])
	s := int64(h)*3600 + int64(frac*3600)
	return min(max(s, 0), day-1)
}

// todCDF is the share of a day's activity before second s of the day.
func (c *calendar) todCDF(s int64) float64 {
	if s >= day {
		return 1
	}
	h := s / 3600
	return c.todCum[h] + float64(s-h*3600)/3600*(c.todCum[h+1]-c.todCum[h])
}

func (c *calendar) appendDate(b []byte, d int64) []byte {
	if d < c.firstDay || d > c.lastDay {
		return time.Unix(d*day, 0).UTC().AppendFormat(b, dateLayout)
	}
	i := (d - c.firstDay) * 10
	return append(b, c.dates[i:i+10]...)
}

func (c *calendar) appendTimestamp(b []byte, t int64) []byte {
	d := floorDiv(t, day)
	if d < c.firstDay || d > c.lastDay {
		return time.Unix(t, 0).UTC().AppendFormat(b, timestampLayout)
	}
	s := t - d*day
	hh, mm, ss := s/3600, s/60%60, s%60
	b = c.appendDate(b, d)
	return append(b, ' ',
		byte('0'+hh/10), byte('0'+hh%10), ':',
		byte('0'+mm/10), byte('0'+mm%10), ':',
		byte('0'+ss/10), byte('0'+ss%10))
}

// signupClock hands out signup times in increasing order, so customer ids
// follow signup order, without holding them all: it walks the order
// statistics of n uniform draws and maps each through the inverse CDF of a
// per-day weight (growth over time, quiet weekends and holidays, a campaign
// bump) and of hourWeights within the day.
type signupClock struct {
	cal  *calendar
	next func() float64 // uniform in [0, 1)
	n, i int
	x    float64
	cum  []float64 // cumulative day weights
}

// growthOverSpan makes the last month's signups about three times the first's.
var growthOverSpan = math.Log(3)

func newSignupClock(cal *calendar, n int, uniform func() float64) *signupClock {
	days := cal.lastDay - cal.firstDay + 1
	s := &signupClock{cal: cal, next: uniform, n: n, cum: make([]float64, days)}
	var acc float64
	for k := range days {
		d := cal.firstDay + k
		w := math.Exp(growthOverSpan * float64(k) / float64(days))
		if weekend(d) {
			w *= 0.55
		}
		if d >= cal.campaignFrom && d < cal.campaignTo {
			w *= 1.25
		}
		if _, mo, dd := time.Unix(d*day, 0).UTC().Date(); (mo == 12 && dd >= 22) || (mo == 1 && dd <= 2) {
			w *= 0.6
		}
		if d == cal.lastDay {
			w *= cal.cutoffFrac
		}
		acc += w
		s.cum[k] = acc
	}
	return s
}

// signup returns the next signup time; each call is no earlier than the last.
func (s *signupClock) signup() int64 {
	remaining := s.n - s.i
	if remaining < 1 {
		remaining = 1
	}
	s.x = 1 - (1-s.x)*math.Pow(1-s.next(), 1/float64(remaining))
	s.i++
	target := s.x * s.cum[len(s.cum)-1]
	lo, hi := 0, len(s.cum)-1 // first k with cum[k] > target
	for lo < hi {
		mid := (lo + hi) / 2
		if s.cum[mid] > target {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	prev := 0.0
	if lo > 0 {
		prev = s.cum[lo-1]
	}
	frac := min(max((target-prev)/(s.cum[lo]-prev), 0), 1-1e-12)
	d := s.cal.firstDay + int64(lo)
	if d == s.cal.lastDay {
		frac *= s.cal.cutoffFrac
	}
	return min(d*day+s.cal.timeOfDay(frac), s.cal.cutoff)
}
