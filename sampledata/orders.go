package sampledata

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// fileOrders is the e-commerce data set: one file of orders and no table
// of customers, as a shop's export comes.
const fileOrders = "orders.csv"

// GenerateOrders writes orders.csv into dir: an online shop's orders over
// the 18 months before End, one row per order (order_id, customer_id,
// ordered_at, channel, items, amount). Customers arrive through the
// period; each buys again at a rate that fades with time since the last
// order, so most buy once and a few often. About 3% of the orders are
// guest checkouts, with no customer_id. The same Options always give
// byte-identical files.
func GenerateOrders(dir string, opts Options) (Summary, error) {
	n, seed, end, err := opts.resolve(dir)
	if err != nil {
		return Summary{}, err
	}
	t, err := createTable(dir, fileOrders, "order_id,customer_id,ordered_at,channel,items,amount")
	if err != nil {
		return Summary{}, err
	}
	r := rand.New(rand.NewPCG(seed, seed^0x5eed0bde))
	const days = 548 // 18 months
	start := end.AddDate(0, 0, -days+1)
	channels := []string{"web", "web", "web", "app", "app", "marketplace"}
	order := 0
	var row []byte
	write := func(customer string, at time.Time) {
		order++
		items := 1 + int(r.ExpFloat64()*1.2)
		amount := math.Round(float64(items)*(12+r.ExpFloat64()*28)*100) / 100
		row = row[:0]
		row = append(row, fmt.Sprintf("O%07d,%s,%s,%s,%d,", order, customer, at.Format("2006-01-02 15:04:05"), channels[r.IntN(len(channels))], items)...)
		row = strconv.AppendFloat(row, amount, 'f', 2, 64)
		row = append(row, '\n')
		t.write(row)
	}
	type visit struct {
		customer string
		at       time.Time
	}
	var visits []visit
	for c := 1; c <= n; c++ {
		id := fmt.Sprintf("S%07d", c)
		day := r.IntN(days)
		for day < days {
			at := start.AddDate(0, 0, day).Add(time.Duration(8*3600+r.IntN(14*3600)) * time.Second)
			visits = append(visits, visit{id, at})
			// The chance to come back at all falls with each order less
			// than it rises with loyalty: a mean gap of a few weeks to months.
			if r.Float64() < 0.45 {
				break
			}
			day += 1 + int(r.ExpFloat64()*45)
		}
	}
	// Guest checkouts: about 3% more orders, without a customer.
	for i := 0; i < len(visits)*3/100; i++ {
		visits = append(visits, visit{"", start.AddDate(0, 0, r.IntN(days)).Add(time.Duration(8*3600+r.IntN(14*3600)) * time.Second)})
	}
	// In time order, as an export lists them.
	sortVisits := func(a, b visit) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		switch {
		case a.customer < b.customer:
			return -1
		case a.customer > b.customer:
			return 1
		}
		return 0
	}
	slices.SortStableFunc(visits, sortVisits)
	for _, v := range visits {
		write(v.customer, v.at)
	}
	if err := t.close(); err != nil {
		return Summary{}, err
	}
	return Summary{Files: map[string]int{fileOrders: t.rows}}, nil
}
