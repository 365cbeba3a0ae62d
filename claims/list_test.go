package claims

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assaylab/assay/internal/datadir"
)

func TestList(t *testing.T) {
	all, err := List()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 22 {
		t.Errorf("%d claims, want 22", len(all))
	}
	c, err := Lookup("WP11")
	if err != nil || c.CheckKind != "arithmetic" || !strings.Contains(c.Text, "MS-13") {
		t.Errorf("WP11: %+v %v", c, err)
	}
	if _, err := Lookup("ZZ99"); err == nil {
		t.Error("Lookup of an unknown id: no error")
	}
}

// TestSameAsShared keeps the embedded list equal to shared/claims where it
// is present.
func TestSameAsShared(t *testing.T) {
	shared := filepath.Join(datadir.ForTest(t), "..", "claims", "claims.csv")
	b, err := os.ReadFile(shared)
	if err != nil {
		t.Skipf("shared claims list not available: %v", err)
	}
	if !bytes.Equal(b, claimsCSV) {
		t.Errorf("claims/claims.csv differs from %s: copy it again", shared)
	}
}

func TestParseErrors(t *testing.T) {
	header := strings.Join(columns, ",") + "\n"
	for name, in := range map[string]string{
		"empty":        "",
		"wrong header": "id,claim\n",
		"empty id":     header + ",a,b,c,d,e,f,g,h\n",
		"duplicate id": header + "X1,a,b,c,d,e,f,g,h\nX1,a,b,c,d,e,f,g,h\n",
		"short row":    header + "X1,a,b\n",
	} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(string(claimsCSV))
	f.Add(strings.Join(columns, ",") + "\nX1,a,b,\"c,d\",e,f,g,h,i\n")
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Parse(strings.NewReader(s))
		if err == nil {
			for _, c := range out {
				if c.ID == "" {
					t.Fatal("accepted an empty id")
				}
			}
		}
	})
}
