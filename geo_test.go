package assay

import (
	"reflect"
	"testing"
)

func TestCountyIndex(t *testing.T) {
	// SYNTHETIC codes and counties.
	d := &Delineation{CBSAs: []CBSA{
		{Code: "90010", Counties: []County{{FIPS: "09001"}, {FIPS: "09003"}}},
		{Code: "90020", Counties: []County{{FIPS: "08001", Division: "90024"}}},
		{Code: "90030"},
	}}
	want := map[string]string{"09001": "90010", "09003": "90010", "08001": "90020"}
	if got := d.CountyIndex(); !reflect.DeepEqual(got, want) {
		t.Errorf("CountyIndex() = %v, want %v", got, want)
	}
	if c, ok := d.Lookup("90020"); !ok || c.Code != "90020" {
		t.Errorf("Lookup(90020) = %v, %v", c, ok)
	}
	if _, ok := d.Lookup("90040"); ok {
		t.Error("Lookup found an absent code")
	}
}
