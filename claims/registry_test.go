package claims

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/assaylab/assay"
)

// everyClaim is one evaluator per listed claim, each counting its calls.
func everyClaim(t *testing.T, calls map[string]int) []Evaluator {
	t.Helper()
	list, err := List()
	if err != nil {
		t.Fatal(err)
	}
	var out []Evaluator
	for _, c := range list {
		out = append(out, Evaluator{Claim: c.ID, Eval: func(*Context, assay.Claim) (assay.ClaimResult, error) {
			calls[c.ID]++
			return assay.ClaimResult{Verdict: assay.NotCheckable, Computed: "computed " + c.ID}, nil
		}})
	}
	return out
}

func TestRegistryCoversTheListExactly(t *testing.T) {
	all := everyClaim(t, map[string]int{})
	for _, tc := range []struct {
		name string
		sets [][]Evaluator
		want string // substring of the error; "" for none
	}{
		{"exact", [][]Evaluator{all[:10], all[10:]}, ""},
		{"missing", [][]Evaluator{all[1:]}, "claims without an evaluator: " + all[0].Claim},
		{"duplicate", [][]Evaluator{all, all[2:3]}, "claims with more than one evaluator: " + all[2].Claim},
		{"unlisted", [][]Evaluator{all, {NotCheckable("ZZ99", "", "")}}, `evaluators for no listed claim: "ZZ99"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewRegistry(tc.sets...)
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func TestLedgerRunsEachEvaluatorOnceInListOrder(t *testing.T) {
	calls := map[string]int{}
	r, err := NewRegistry(everyClaim(t, calls))
	if err != nil {
		t.Fatal(err)
	}
	l, err := r.Ledger(context.Background(), &assay.Dataset{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	list, _ := List()
	if len(l.Results) != len(list) {
		t.Fatalf("%d results for %d claims", len(l.Results), len(list))
	}
	for i, c := range list {
		res := l.Results[i]
		if res.ID != c.ID || res.Stated != c.Stated || res.Computed != "computed "+c.ID || res.Inputs == nil || calls[c.ID] != 1 {
			t.Errorf("result %d: %+v after %d calls, want claim %s once", i, res, calls[c.ID], c.ID)
		}
	}
	if got, ok := l.Result(list[3].ID); !ok || got.ID != list[3].ID {
		t.Errorf("Result(%s) = %+v, %v", list[3].ID, got, ok)
	}
	if l.Synthetic() {
		t.Error("no result is synthetic, the ledger says it is")
	}
}

func TestLedgerNamesTheClaimThatFailed(t *testing.T) {
	all := everyClaim(t, map[string]int{})
	all[4].Eval = func(*Context, assay.Claim) (assay.ClaimResult, error) {
		return assay.ClaimResult{}, errors.New("no data")
	}
	r, err := NewRegistry(all)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Ledger(context.Background(), &assay.Dataset{}, Options{}); err == nil || !strings.Contains(err.Error(), "claim "+all[4].Claim+": no data") {
		t.Errorf("error %v", err)
	}
}

func TestSharedComputesOnce(t *testing.T) {
	c := &Context{}
	n := 0
	for range 3 {
		v, err := Shared(c, "k", func() (int, error) { n++; return 42, nil })
		if v != 42 || err != nil {
			t.Fatalf("Shared = %d, %v", v, err)
		}
	}
	failing := errors.New("boom")
	for range 2 {
		if _, err := Shared(c, "bad", func() (int, error) { n++; return 0, failing }); !errors.Is(err, failing) {
			t.Fatalf("error %v, want the computation's", err)
		}
	}
	if n != 2 {
		t.Errorf("computed %d times, want once per key", n)
	}
}

func TestWriteText(t *testing.T) {
	results := []assay.ClaimResult{
		{ID: "A1", Verdict: assay.Supported, Stated: "1.2 million", Computed: "1,197,987 in 2014", Value: assay.Some(1197987),
			Low: assay.Some(1.1e6), High: assay.Some(1.3e6), Note: "a note", Inputs: []string{"file one", "file two"}},
		{ID: "A2", Verdict: assay.NotCheckable, Stated: "x", Computed: "nothing", Synthetic: true},
	}
	var b bytes.Buffer
	if err := WriteText(&b, results); err != nil {
		t.Fatal(err)
	}
	want := `A1    supported
  stated:   1.2 million
  computed: 1,197,987 in 2014
  value:    1,197,987 (1,100,000 to 1,300,000)
  note:     a note
  inputs:   - file one
            - file two

A2    not checkable with the bundled data  [SYNTHETIC: test data, not a finding]
  stated:   x
  computed: nothing

2 claims: 1 supported, 1 not checkable with the bundled data
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
