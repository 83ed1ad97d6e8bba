package examples_test

import (
	"context"
	"crypto/md5"
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/examples"
	"github.com/strata-analytics/strata/internal/dbtest"
	"github.com/strata-analytics/strata/sampledata"
)

const asOf = "2025-06-30"

// project writes the example project with 2,000 generated customers to a
// temporary directory and plans it.
func project(t *testing.T) (string, *compiler.Plan) {
	t.Helper()
	dir := t.TempDir()
	var files []compiler.File
	err := fs.WalkDir(examples.Templates, "saas", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".hcl") {
			return err
		}
		b, err := examples.Templates.ReadFile(path)
		files = append(files, compiler.File{Name: filepath.Base(path), Bytes: b})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sampledata.Generate(filepath.Join(dir, "data"), sampledata.Options{Customers: 2000}); err != nil {
		t.Fatal(err)
	}
	_, plan, diags := compiler.Load(files, compiler.Options{AsOf: compiler.MustAsOf(asOf)})
	if plan == nil {
		t.Fatalf("the example project is invalid: %v", diags)
	}
	return dir, plan
}

// builtOnDuckDB is the example project built on a fresh in-memory DuckDB,
// closed when the test ends.
func builtOnDuckDB(t *testing.T) engine.Warehouse {
	t.Helper()
	dir, plan := project(t)
	db, err := engine.OpenDuckDB("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	build(t, context.Background(), db, dir, plan, "duckdb")
	return db
}

func build(t *testing.T, ctx context.Context, wh engine.Warehouse, dir string, plan *compiler.Plan, dialect string) {
	t.Helper()
	d, _ := dialects.Lookup(dialect)
	compiled, diags := compiler.Render(plan, d)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if _, err := wh.Build(ctx, engine.BuildInput{Project: plan.Project, ProjectDir: dir, Compiled: compiled, LoadSeeds: true}); err != nil {
		t.Fatalf("building on %s: %v", dialect, err)
	}
}

// handWritten are independent formulations of the example's definitions,
// written against the raw tables, each paired with the view columns they
// must equal row for row.
var handWritten = []struct {
	name       string
	strata     string
	byHand     string
	minRows    int
	minNonZero int
}{
	{
		name:   "MRR: sum of subscriptions valid on as_of",
		strata: `SELECT customer_id, mrr FROM analytics.customer_profile`,
		byHand: `SELECT c.customer_id,
		           (SELECT coalesce(sum(s.monthly_amount), 0) FROM raw.subscriptions s
		             WHERE s.customer_id = c.customer_id
		               AND s.started_at <= DATE '2025-06-30'
		               AND coalesce(s.ended_at, DATE '9999-12-31') > DATE '2025-06-30')
		         FROM raw.customers c
		         WHERE c.signed_up_at IS NULL OR CAST(c.signed_up_at AS DATE) <= DATE '2025-06-30'`,
		minRows: 1000, minNonZero: 500,
	},
	{
		name:   "logins in the last 30 days, as_of included",
		strata: `SELECT customer_id, logins_30d FROM analytics.customer_profile`,
		byHand: `SELECT c.customer_id,
		           (SELECT count(*) FROM raw.events e WHERE e.customer_id = c.customer_id AND e.name = 'login'
		             AND CAST(e.occurred_at AS DATE) BETWEEN DATE '2025-06-01' AND DATE '2025-06-30')
		         FROM raw.customers c WHERE CAST(c.signed_up_at AS DATE) <= DATE '2025-06-30'`,
		minRows: 1000, minNonZero: 100,
	},
	{
		name:   "tickets in the last 90 days",
		strata: `SELECT customer_id, tickets_90d FROM analytics.customer_profile`,
		byHand: `SELECT c.customer_id, count(t.ticket_id)
		         FROM raw.customers c LEFT JOIN raw.tickets t
		           ON t.customer_id = c.customer_id
		          AND date_diff('day', CAST(t.opened_at AS DATE), DATE '2025-06-30') BETWEEN 0 AND 89
		         GROUP BY c.customer_id`,
		minRows: 1000, minNonZero: 50,
	},
	{
		name:   "NPS of the last year: % promoters minus % detractors",
		strata: `SELECT customer_id, nps FROM analytics.customer_profile WHERE nps IS NOT NULL`,
		byHand: `SELECT customer_id,
		           100.0 * (sum(CASE WHEN score >= 9 THEN 1 ELSE 0 END) - sum(CASE WHEN score <= 6 THEN 1 ELSE 0 END)) / count(*)
		         FROM raw.nps_responses
		         WHERE CAST(responded_at AS DATE) BETWEEN DATE '2024-07-01' AND DATE '2025-06-30'
		         GROUP BY customer_id`,
		minRows: 100,
	},
	{
		name:   "twitter trials",
		strata: `SELECT customer_id FROM analytics.segment_twitter_trials`,
		byHand: `SELECT customer_id FROM raw.customers
		         WHERE acquisition_channel = 'twitter_paid' AND account_status = 'active_trial'`,
	},
	{
		name:   "touch model tiers: first match wins",
		strata: `SELECT customer_id, tier FROM analytics.segment_touch_model`,
		byHand: `WITH m AS (
		           SELECT c.customer_id, c.company_size,
		                  coalesce((SELECT sum(monthly_amount) FROM raw.subscriptions s WHERE s.customer_id = c.customer_id
		                    AND s.started_at <= DATE '2025-06-30' AND (s.ended_at IS NULL OR s.ended_at > DATE '2025-06-30')), 0) AS mrr
		           FROM raw.customers c)
		         SELECT customer_id,
		                CASE WHEN mrr * 12 >= 24000 THEN 'high'
		                     WHEN mrr * 12 >= 6000 THEN 'medium'
		                     WHEN mrr > 0 AND company_size >= 500 THEN 'medium'
		                     ELSE 'tech' END
		         FROM m`,
		minRows: 1000,
	},
	{
		name:   "at risk: paying, and unseen for 7 days or a weak health score",
		strata: `SELECT customer_id FROM analytics.segment_at_risk`,
		byHand: `WITH f AS (
		           SELECT c.customer_id, c.last_seen_at,
		             (SELECT coalesce(sum(monthly_amount), 0) FROM raw.subscriptions s WHERE s.customer_id = c.customer_id
		               AND s.started_at <= DATE '2025-06-30' AND (s.ended_at IS NULL OR s.ended_at > DATE '2025-06-30')) AS mrr,
		             (SELECT count(*) FROM raw.events e WHERE e.customer_id = c.customer_id AND e.name = 'login'
		               AND CAST(e.occurred_at AS DATE) BETWEEN DATE '2025-06-01' AND DATE '2025-06-30') AS logins,
		             (SELECT count(*) FROM raw.tickets t WHERE t.customer_id = c.customer_id
		               AND CAST(t.opened_at AS DATE) BETWEEN DATE '2025-04-02' AND DATE '2025-06-30') AS tickets,
		             (SELECT avg(score) FROM raw.nps_responses n WHERE n.customer_id = c.customer_id
		               AND CAST(n.responded_at AS DATE) BETWEEN DATE '2024-07-01' AND DATE '2025-06-30') AS score
		           FROM raw.customers c),
		         h AS (
		           SELECT *, 0.4 * least(100, logins * 5)
		                   + 0.3 * greatest(0, 100 - tickets * 10)
		                   + 0.3 * (CASE WHEN score IS NULL THEN 50 ELSE score * 10 END) AS health
		           FROM f)
		         SELECT customer_id FROM h
		         WHERE mrr > 0 AND (last_seen_at IS NULL
		                            OR CAST(last_seen_at AS DATE) < DATE '2025-06-23'
		                            OR health < 40)`,
		minRows: 50,
	},
	{
		name:   "high maintenance, low value: percent ranks from counts",
		strata: `SELECT customer_id FROM analytics.segment_high_maintenance_low_value`,
		byHand: `WITH f AS (
		           SELECT c.customer_id,
		             (SELECT count(*) FROM raw.tickets t WHERE t.customer_id = c.customer_id
		               AND CAST(t.opened_at AS DATE) BETWEEN DATE '2025-04-02' AND DATE '2025-06-30') AS tickets,
		             (SELECT coalesce(sum(monthly_amount), 0) FROM raw.subscriptions s WHERE s.customer_id = c.customer_id
		               AND s.started_at <= DATE '2025-06-30' AND (s.ended_at IS NULL OR s.ended_at > DATE '2025-06-30')) AS mrr
		           FROM raw.customers c),
		         n AS (SELECT count(*) - 1 AS n FROM f)
		         SELECT a.customer_id FROM f a, n
		         WHERE a.tickets > 0
		           AND (SELECT count(*) FROM f b WHERE b.tickets < a.tickets) >= 0.8 * n.n
		           AND (SELECT count(*) FROM f b WHERE b.mrr < a.mrr) <= 0.5 * n.n`,
		minRows: 5,
	},
}

// TestExampleAgainstHandWrittenSQL checks the example's views, built on
// DuckDB from generated data, against SQL written independently here.
func TestExampleAgainstHandWrittenSQL(t *testing.T) {
	ctx := context.Background()
	db := builtOnDuckDB(t)
	for _, c := range handWritten {
		t.Run(c.name, func(t *testing.T) {
			got, err := db.Query(ctx, c.strata)
			if err != nil {
				t.Fatal(err)
			}
			want, err := db.Query(ctx, c.byHand)
			if err != nil {
				t.Fatalf("hand-written SQL: %v", err)
			}
			g, w := dbtest.Normalize(got), dbtest.Normalize(want)
			if len(g) < c.minRows {
				t.Errorf("only %d rows; the data should give at least %d", len(g), c.minRows)
			}
			nonZero := 0
			for _, line := range g {
				if !strings.HasSuffix(line, " | 0") {
					nonZero++
				}
			}
			if nonZero < c.minNonZero {
				t.Errorf("only %d rows with a non-zero value; the check would be weak", nonZero)
			}
			if strings.Join(g, "\n") != strings.Join(w, "\n") {
				t.Errorf("Strata's %d rows differ from the hand-written %d rows; first differences:\n%s", len(g), len(w), firstDifferences(w, g))
			}
		})
	}
}

// TestExampleLedgers checks MRR's ledgers by touch_model (customers move
// between tiers as their ARR grows) and by the outreach split on the
// generated data.
func TestExampleLedgers(t *testing.T) {
	db := builtOnDuckDB(t)
	ledgerInvariants(t, db, "mrr", "touch_model", true)
	ledgerInvariants(t, db, "mrr", "at_risk_outreach", true)
}

// TestExampleSplitIsMD5 checks the holdout split against Go's own MD5:
// each at-risk customer is in the tier the first 8 hex digits of
// md5("<salt>/<customer_id>") fall in (contacted below 90% of 2^32,
// holdout above), and nobody else is in the split.
func TestExampleSplitIsMD5(t *testing.T) {
	ctx := context.Background()
	db := builtOnDuckDB(t)
	atRisk, err := db.Query(ctx, `SELECT customer_id FROM analytics.segment_at_risk`)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	held := 0
	for _, r := range atRisk.Values {
		id := r[0].(string)
		sum := md5.Sum([]byte("at-risk-outreach-2025/" + id))
		tier := "contacted"
		if binary.BigEndian.Uint32(sum[:4]) >= uint32(uint64(90)<<32/100) {
			tier, held = "holdout", held+1
		}
		want = append(want, strconv.Quote(id)+" | "+strconv.Quote(tier))
	}
	got, err := db.Query(ctx, `SELECT customer_id, tier FROM analytics.segment_at_risk_outreach`)
	if err != nil {
		t.Fatal(err)
	}
	g := dbtest.Normalize(got)
	sort.Strings(want)
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("the split differs from Go's MD5; first differences:\n%s", firstDifferences(want, g))
	}
	// 455 at-risk customers: a tenth held out, give or take chance.
	if len(want) < 300 || held < len(want)/20 || held > len(want)/5 {
		t.Errorf("%d held out of %d at risk: not about a tenth", held, len(want))
	}
	t.Logf("%d at-risk customers, %d held out, as Go's MD5 says", len(want), held)
}

// TestExampleSameRowsOnPostgres builds the example on PostgreSQL and on
// DuckDB and compares every view row for row.
func TestExampleSameRowsOnPostgres(t *testing.T) {
	dsn := dbtest.Postgres(t)
	ctx := context.Background()
	dir, plan := project(t)
	pg, err := engine.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	duck, err := engine.OpenDuckDB("")
	if err != nil {
		t.Fatal(err)
	}
	defer duck.Close()
	build(t, ctx, pg, dir, plan, "postgres")
	build(t, ctx, duck, dir, plan, "duckdb")
	for _, o := range plan.Outputs {
		q := `SELECT * FROM "analytics".` + `"` + o.Name + `"`
		want, err := duck.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pg.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		g, w := dbtest.Normalize(got), dbtest.Normalize(want)
		if len(w) == 0 && o.Name != "segment_twitter_trials" {
			t.Errorf("%s is empty on DuckDB: the comparison would prove nothing", o.Name)
		}
		if strings.Join(g, "\n") != strings.Join(w, "\n") {
			t.Errorf("%s: PostgreSQL (%d rows) and DuckDB (%d rows) differ:\n%s", o.Name, len(g), len(w), firstDifferences(w, g))
		}
	}
}

func firstDifferences(want, got []string) string {
	inWant := map[string]bool{}
	for _, l := range want {
		inWant[l] = true
	}
	inGot := map[string]bool{}
	for _, l := range got {
		inGot[l] = true
	}
	var out []string
	for _, l := range want {
		if !inGot[l] && len(out) < 10 {
			out = append(out, "- "+l)
		}
	}
	for _, l := range got {
		if !inWant[l] && len(out) < 20 {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }
