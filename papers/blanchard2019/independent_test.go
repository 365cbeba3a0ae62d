package blanchard2019

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/assaylab/assay/claims"
	"github.com/assaylab/assay/snapshot"
)

// TestReproductionBySQL recomputes the reproduction's headline numbers on
// the bundled data without the engine: each rule's metros and Pearson r
// (DuckDB's corr) of the 2012-2017 change in the all-foreign-born share
// against the change in the violent and murder rates, straight from the
// stored panel table (metro_year), and checks the reproduction and the
// ledger's WP06-WP08 values against them.
func TestReproductionBySQL(t *testing.T) {
	ctx := context.Background()
	db, err := snapshot.OpenWarehouse()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds, err := snapshot.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	l := ledger(t, ds, claims.Options{Perm: 199})
	rep, err := FromLedger(l)
	if err != nil {
		t.Fatal(err)
	}
	// pairs: one row per metro with the share in both years; published:
	// the FBI's block in both years. The ranking value is the 2012 count
	// or share, ties by CBSA code.
	const pairs = `WITH b AS (SELECT * FROM metro_year WHERE year = 2012), e AS (SELECT * FROM metro_year WHERE year = 2017),
		p AS (SELECT b.cbsa, b.fb_count AS rank_count, b.fb_share AS rank_share,
			100 * (e.fb_share - b.fb_share) AS x,
			e.violent_rate - b.violent_rate AS dv, e.murder_rate - b.murder_rate AS dm,
			b.murder_rate AS m0, e.murder_rate AS m1,
			b.crime_source IS NOT NULL AND e.crime_source IS NOT NULL AS published
			FROM b JOIN e USING (cbsa) WHERE b.fb_share IS NOT NULL AND e.fb_share IS NOT NULL)`
	for i, tc := range []struct {
		rule, order, pool string
	}{
		{"count_fbi", "rank_count", "WHERE published"},
		{"count", "rank_count", ""},
		{"share_fbi", "rank_share", "WHERE published"},
		{"share", "rank_share", ""},
	} {
		q := fmt.Sprintf(`%s, top AS (SELECT * FROM p %s ORDER BY %s DESC, cbsa LIMIT 27)
			SELECT (SELECT count(*) FROM top WHERE dv IS NOT NULL), (SELECT corr(dv, x) FROM top WHERE dv IS NOT NULL),
			       (SELECT count(*) FROM top WHERE dm IS NOT NULL), (SELECT corr(dm, x) FROM top WHERE dm IS NOT NULL),
			       (SELECT count(*) FROM top WHERE m1 < m0 AND x > 0)`, pairs, tc.pool, tc.order)
		res, err := db.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		row := res.Rows[0]
		nv, rv, nm, rm, fellRose := row[0].(int64), row[1].(float64), row[2].(int64), row[3].(float64), row[4].(int64)
		rr := rep.Rules[i]
		if rr.Rule.Key != tc.rule {
			t.Fatalf("rule %d is %s, want %s", i, rr.Rule.Key, tc.rule)
		}
		if got := rr.Violent.Pearson; got.N != int(nv) || math.Abs(got.Estimate.V-rv) > 1e-12 {
			t.Errorf("%s violent: n %d r %v; SQL gives n %d r %v", tc.rule, got.N, got.Estimate.V, nv, rv)
		}
		if got := rr.Murder.Pearson; got.N != int(nm) || math.Abs(got.Estimate.V-rm) > 1e-12 {
			t.Errorf("%s murder: n %d r %v; SQL gives n %d r %v", tc.rule, got.N, got.Estimate.V, nm, rm)
		}
		if rr.Homicide.FellAndRose != int(fellRose) {
			t.Errorf("%s: murder fell while the share rose in %d metros; SQL counts %d", tc.rule, rr.Homicide.FellAndRose, fellRose)
		}
		if i == 0 {
			wp06, _ := l.Result("WP06")
			if math.Abs(wp06.Value.V-rv) > 1e-12 {
				t.Errorf("WP06 value %v, SQL r %v", wp06.Value, rv)
			}
			wp08, _ := l.Result("WP08")
			if math.Abs(wp08.Value.V-float64(fellRose)/float64(nm)) > 1e-12 {
				t.Errorf("WP08 value %v, SQL %d/%d", wp08.Value, fellRose, nm)
			}
		}
	}
}
