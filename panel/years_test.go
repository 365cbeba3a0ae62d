package panel

import (
	"slices"
	"testing"

	"github.com/assaylab/assay"
)

func TestCrimeYears(t *testing.T) {
	recs := []assay.CrimeRecord{
		{Year: 2017, Kind: assay.KindMSA}, {Year: 2012, Kind: assay.KindMSA},
		{Year: 2017, Kind: assay.KindMSA}, {Year: 2009, Kind: assay.KindMD},
	}
	if got, want := CrimeYears(recs, assay.KindMSA), []int{2012, 2017}; !slices.Equal(got, want) {
		t.Errorf("MSA years %v, want %v", got, want)
	}
	if got, want := CrimeYears(recs, assay.KindMD), []int{2009}; !slices.Equal(got, want) {
		t.Errorf("M.D. years %v, want %v", got, want)
	}
}
