package census

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUserGroupsFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "groups.toml")
	err := os.WriteFile(p, []byte(`
[[group]]
key = "sv_gt"
name = "Born in El Salvador or Guatemala"
table = "B05006"
labels = ["Total!!Americas!!Latin America!!Central America!!El Salvador", "Estimate!!Total:!!Americas:!!Latin America:!!Central America:!!Guatemala"]
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := ReadGroupsFile(p)
	if err != nil {
		t.Fatal(err)
	}
	res := mustRead(t, fixtureAPI, Options{})
	e, err := GroupEstimate(gs[0], geo(t, res, "99901"))
	if err != nil || e.Value.V != 9000+6000 {
		t.Errorf("sv_gt = %+v, %v; want 15000", e, err)
	}
	for _, bad := range []struct{ toml, want string }{
		{`[[group]]` + "\n" + `key = "x"` + "\n" + `table = "B05006"`, "no labels"},
		{`[[group]]` + "\n" + `key = "x"` + "\n" + `labels = ["Total"]`, "no table"},
		{`[[group]]` + "\n" + `key = "x"` + "\n" + `table = "B05006"` + "\n" + `labels = ["Total"]` + "\n" + `colour = "red"`, "colour"},
		{`[[group]]` + "\n" + `key = "x"` + "\n" + `table = "B05006"` + "\n" + `labels = ["Total"]` + "\n[[group]]\n" + `key = "x"` + "\n" + `table = "B05006"` + "\n" + `labels = ["Total"]`, "twice"},
		{``, "no [[group]]"},
	} {
		if _, err := ReadGroups(strings.NewReader(bad.toml)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: error %v, want %q", bad.toml, err, bad.want)
		}
	}
	if _, err := GroupEstimate(gs[0], geo(t, mustRead(t, fixtureS0201, Options{}), "99/412")); err == nil {
		t.Error("a group found its labels in a table that lacks them")
	}
}

func TestDefaultGroups(t *testing.T) {
	gs, err := DefaultGroups()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, g := range gs {
		keys = append(keys, g.Key)
	}
	if strings.Join(keys, ",") != "ntca,mexico,central_america,foreign_born,el_salvador,guatemala,honduras" {
		t.Errorf("groups %v", keys)
	}
}
