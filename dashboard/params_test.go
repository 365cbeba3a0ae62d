package dashboard

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/assaylab/assay/study"
)

// TestScatterParams reads views: defaults, every parameter, and the
// canonical form that equal views share.
func TestScatterParams(t *testing.T) {
	s := served(t).srv
	d := s.defaults
	for _, tc := range []struct {
		query string
		want  func(p *scatterParams)
		canon string
	}{
		{"", func(*scatterParams) {}, ""},
		{"start=2012&end=2017&outcome=violent&n=&perm=9999", func(*scatterParams) {}, ""},
		{"select=all&n=40&pool=fbi", func(*scatterParams) {}, ""},
		{"select=top_share&n=40&pool=fbi&outcome=murder_rate", nil, ""},
		{"outcome=murder&select=top_share&n=40&pool=fbi&weights=population&coverage=0.90&match=exact&drop=31080,10180&perm=0&seed=9&measure=share&change=log_ratio",
			func(p *scatterParams) {
				p.Outcome, p.Select, p.N, p.Pool, p.Weights, p.Coverage, p.Match = 1, study.TopShare, 40, study.FBIPool, study.Population, 0.9, study.ExactMatch
				p.Drop, p.Perm, p.Seed, p.Measure, p.Change = []string{"10180", "31080"}, 0, 9, study.Share, study.LogRatio
			},
			"change=log_ratio&coverage=0.9&drop=10180%2C31080&match=exact&measure=share&n=40&outcome=murder&perm=0&pool=fbi&seed=9&select=top_share&weights=population"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			p, err := s.parseScatter(tc.query)
			if tc.want == nil {
				var pe *ParamError
				if !errors.As(err, &pe) || pe.Param != "outcome" {
					t.Fatalf("err %v, want outcome refused (murder_rate is a metros rank, not a study outcome)", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := d
			tc.want(&want)
			if !reflect.DeepEqual(p, want) {
				t.Errorf("got %+v\nwant %+v", p, want)
			}
			if got := s.values(p).Encode(); got != tc.canon {
				t.Errorf("canonical %q, want %q", got, tc.canon)
			}
		})
	}
}

// FuzzScatterParams: whatever the query, the parser refuses it with a
// parameter error or reads a view whose study file the engine accepts and
// whose canonical query reads back as the same view.
func FuzzScatterParams(f *testing.F) {
	// A server that is not served: the parser needs the data, not the
	// findings the fixture computes.
	s := unserved(f)
	for _, q := range []string{"", "select=top_count&n=27&pool=fbi", "drop=10180,31080&weights=population", "coverage=0.5&match=exact",
		"start=2017&end=2012", "n=1e3", "seed=9007199254740991", "outcome=murder&change=pct_change&measure=log_share", "%zz", "drop=,", "a=1&a=2"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		p, err := s.parseScatter(q)
		if err != nil {
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Param == "" || pe.Allowed == "" {
				t.Fatalf("%q: %v is not a parameter error naming what is allowed", q, err)
			}
			return
		}
		spec, err := study.Parse(strings.NewReader(p.TOML()), "view.toml")
		if err != nil {
			t.Fatalf("%q: the view's study does not parse: %v\n%s", q, err, p.TOML())
		}
		if spec.Estimation.Permutations != p.Perm || len(spec.Exclude) != len(p.Drop) {
			t.Fatalf("%q: study %+v from view %+v", q, spec, p)
		}
		again, err := s.parseScatter(s.values(p).Encode())
		if err != nil || !reflect.DeepEqual(again, p) {
			t.Fatalf("%q: canonical %q reads back as %+v, %v; want %+v", q, s.values(p).Encode(), again, err, p)
		}
	})
}
