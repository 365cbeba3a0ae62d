package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/assaylab/assay/claims"
)

// TestClaimsCommand runs the ledger on the embedded snapshot: every claim of
// the list gets exactly one verdict, in the list's order, with the fields
// the JSON promises.
func TestClaimsCommand(t *testing.T) {
	code, out, errOut := runCapture(t, "claims", "--perm", "199", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	list, err := claims.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(list) {
		t.Fatalf("%d verdicts for %d claims", len(got), len(list))
	}
	for i, r := range got {
		if r["id"] != list[i].ID {
			t.Errorf("verdict %d is for %v, want %s", i, r["id"], list[i].ID)
		}
		for _, key := range []string{"id", "verdict", "stated", "computed", "inputs", "note"} {
			if _, ok := r[key]; !ok {
				t.Errorf("%v lacks %q", r["id"], key)
			}
		}
	}
	// Arithmetic claims are computed from the data, never typed in.
	by := map[any]map[string]any{}
	for _, r := range got {
		by[r["id"]] = r
	}
	if v := by["WP11"]["verdict"]; v != "arithmetic error" {
		t.Errorf("WP11 verdict %v", v)
	}
	if v := by["WP06"]["verdict"]; v != "not checkable with the bundled data" {
		t.Errorf("WP06 without metro B05006: verdict %v", v)
	}

	code, out, _ = runCapture(t, "claims", "--perm", "199")
	if code != 0 || !strings.Contains(out, "22 claims:") || !strings.Contains(out, "WP14  arithmetic error") {
		t.Errorf("text ledger: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"claims", "extra"}, {"claims", "--perm", "-1"}} {
		if code, _, _ := runCapture(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}
